/**
 * core.firstNonFinite, which the library runs over f32 rows it copied
 * whole, and what a network says when such a row holds NaN or ±Infinity.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { EdgepropError, Network } from '../../src/core/index.ts'

const wasm = readFileSync(new URL('../../build/core.wasm', import.meta.url))
const instance = await WebAssembly.instantiate(await WebAssembly.compile(wasm))
const core = instance.exports as unknown as {
  memory: WebAssembly.Memory
  scratch(bytes: number): number
  firstNonFinite(values: number, count: number): number
}

// the smallest f32 values of each kind next to the ones that are not finite
const FINITE = [0, -0, 1.5, 3.4028234663852886e38, -3.4028234663852886e38, 1e-45]
const NOT_FINITE = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]

/** Copies values into scratch memory and returns firstNonFinite over them. */
function firstNonFiniteOf(values: Float32Array): number {
  const pointer = core.scratch(values.byteLength + 16)
  new Float32Array(core.memory.buffer, pointer, values.length).set(values)
  return core.firstNonFinite(pointer, values.length)
}

describe('firstNonFinite', () => {
  test('returns −1 when every value is finite, f32 max and the smallest subnormal too', () => {
    const values = new Float32Array(100).map((_, i) => FINITE[i % FINITE.length])
    expect(firstNonFiniteOf(values)).toBe(-1)
    expect(firstNonFiniteOf(new Float32Array(0))).toBe(-1)
  })

  // 16 values a step, then one at a time: positions in both parts
  test.each([0, 1, 15, 16, 17, 31, 32, 47, 63, 64, 65, 99])(
    'finds NaN, +Infinity and −Infinity at index %i of 100',
    (at) => {
      for (const bad of NOT_FINITE) {
        const values = new Float32Array(100).fill(2.5)
        values[at] = bad
        expect(firstNonFiniteOf(values)).toBe(at)
      }
    },
  )

  test('gives the first of several, in the same step of 16 and in later ones', () => {
    const values = new Float32Array(70).fill(1)
    values[40] = Number.NaN
    values[37] = Number.POSITIVE_INFINITY
    values[69] = Number.NaN
    expect(firstNonFiniteOf(values)).toBe(37)
  })

  test('returns −1 for a buffer that runs past memory, reading nothing', () => {
    const end = core.memory.buffer.byteLength
    expect(core.firstNonFinite(end - 8, 4)).toBe(-1)
  })
})

describe('f32 rows with a value that is not finite', () => {
  const spec = {
    kind: 'mlp', inputs: 20, seed: 3, loss: 'mse',
    layers: [{ units: 2, activation: 'linear' }],
    optimizer: { name: 'sgd', learningRate: 0.1 },
  } as const

  test.each(['predict', 'train', 'evaluate'] as const)(
    '%s names the row and column, as for plain rows, and changes nothing',
    async (method) => {
      const net = await Network.create(spec)
      const before = net.toBytes()
      const rows = Array.from({ length: 3 }, () => new Float32Array(20).fill(0.5))
      rows[2][17] = Number.NEGATIVE_INFINITY
      const y = [[0, 0], [1, 1], [2, 2]]
      const call = () =>
        method === 'predict' ? net.predict(rows) : net[method](rows, y)
      let error: unknown
      try {
        call()
      } catch (thrown) {
        error = thrown
      }
      expect(error).toBeInstanceOf(EdgepropError)
      expect((error as EdgepropError).errors).toEqual([
        { path: ['x', 2, 17], message: 'x[2][17] is -Infinity; expected a finite number' },
      ])
      expect(net.toBytes()).toEqual(before)
    },
  )
})
