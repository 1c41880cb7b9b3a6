import { describe, expect, test } from 'vitest'
import { Network, toF32Rows } from '../../src/core/index.ts'

describe('toF32Rows', () => {
  test('packs rows as f32 views of one buffer, row by row', () => {
    const rows = toF32Rows([[0.1, 2], [-0, 3e38]]) as Float32Array[]
    expect(rows).toHaveLength(2)
    expect(rows[0].buffer).toBe(rows[1].buffer)
    expect(rows[0].buffer.byteLength).toBe(2 * 2 * 4)
    expect([...rows[0]]).toEqual([Math.fround(0.1), 2])
    expect(Object.is(rows[1][0], -0)).toBe(true)
    expect(rows[1][1]).toBe(Math.fround(3e38))
  })

  test('packs one flat row as one Float32Array', () => {
    const row = toF32Rows([1, 2.5, -4])
    expect(row).toBeInstanceOf(Float32Array)
    expect([...(row as Float32Array)]).toEqual([1, 2.5, -4])
  })

  // each of these is left to the network, which names the row and value
  test.each([
    ['no rows', []],
    ['an empty row', [[]]],
    ['rows of two widths', [[1, 2], [1, 2, 3]]],
    ['a string value', [[1, '2']]],
    ['null', [[1, null]]],
    ['a value past f32 (1e39 rounds to Infinity)', [[1, 1e39]]],
    ['NaN', [[Number.NaN, 1]]],
    ['a row among numbers', [1, [2, 3]]],
    ['a number among rows', [[2, 3], 1]],
    ['a third level of arrays', [[[1], [2]]]],
    ['not an array', 'x'],
  ])('returns null for %s', (_name, x) => {
    expect(toF32Rows(x)).toBeNull()
  })

  test('trains to the same bytes as the plain rows it came from', async () => {
    const spec = {
      kind: 'mlp', inputs: 3, seed: 5,
      layers: [{ units: 4, activation: 'relu' }, { units: 2, activation: 'softmax' }],
      loss: 'cross-entropy', optimizer: { name: 'adam', learningRate: 0.05 },
      inputScaling: 'standardize',
    } as const
    const x = [[0.1, 0.2, 0.3], [1.7, -2.25, 1e-3], [3, 1, 4], [-1, -5, 9]]
    const y = [0, 1, 1, 0]
    const plain = await Network.create(spec)
    const packed = await Network.create(spec)
    plain.train(x, y, { epochs: 3, batchSize: 2 })
    packed.train(toF32Rows(x)!, y, { epochs: 3, batchSize: 2 })
    expect(packed.toBytes()).toEqual(plain.toBytes())
  })
})
