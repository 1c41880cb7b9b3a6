/**
 * The raw kernels of build/core.wasm against the project's plain f64
 * reference (test/reference/), plus the matmul written out here. An element
 * passes when its error is at most 1e-5 × Σ|terms| (the magnitudes added
 * to make it); the matmul is also checked bit-for-bit against the scalar
 * f32 loop that sums in order.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  Activation, type ActivationName, Loss, type LossName, Status,
} from '../../src/core/enums.ts'
import {
  activateRow, activateValue, derivative, softmaxBackward,
} from '../reference/activations.ts'
import { lossGradient, lossValue } from '../reference/losses.ts'
import { mulberry32 } from '../reference/random.ts'

const wasm = readFileSync(new URL('../../build/core.wasm', import.meta.url))
const instance = await WebAssembly.instantiate(await WebAssembly.compile(wasm))
type Kernel = (...args: number[]) => number
const core = instance.exports as unknown as Record<string, Kernel> & {
  memory: WebAssembly.Memory
}

const SIZES = [0, 1, 3, 4, 5, 17, 64]
const SHAPES: [number, number][] = [
  [0, 3], [1, 1], [3, 4], [4, 5], [5, 17], [17, 64], [67, 131],
]
const RELATIVE = 1e-5
const next = mulberry32(2024)

// --- moving values in and out of wasm memory --------------------------------

/** Places each array in one scratch region, 16-byte aligned; returns pointers. */
function place(...arrays: ArrayLike<number>[]): number[] {
  const sizes = arrays.map((values) => Math.ceil((values.length * 4) / 16) * 16)
  let pointer = core.scratch(sizes.reduce((sum, size) => sum + size, 0))
  expect(pointer, 'scratch() could not grow memory').toBeGreaterThan(0)
  return arrays.map((values, i) => {
    write(pointer, values)
    pointer += sizes[i]
    return pointer - sizes[i]
  })
}

/** Copies values into wasm memory at `pointer`, as f32. */
function write(pointer: number, values: ArrayLike<number>): void {
  new Float32Array(core.memory.buffer, pointer, values.length).set(values)
}

/** Copies `count` f32 values out of wasm memory. */
function read(pointer: number, count: number): Float32Array {
  return new Float32Array(core.memory.buffer, pointer, count).slice()
}

/** Returns `count` f32 values drawn uniformly from [low, high). */
function draw(count: number, low = -1, high = 1): Float32Array {
  return Float32Array.from({ length: count }, () => low + (high - low) * next())
}

/** Fails on the first element whose error exceeds 1e-5 × Σ|terms|. */
function expectClose(
  got: ArrayLike<number>, expected: number[], terms: number[], what: string,
) {
  expect(got.length, `${what}: length`).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    const allowed = RELATIVE * terms[i] + 1e-30
    if (!(Math.abs(got[i] - expected[i]) <= allowed)) {
      expect.fail(`${what}[${i}]: got ${got[i]}, want ${expected[i]} ± ${allowed}`)
    }
  }
}

// --- the reference, in f64 ----------------------------------------------------

type Matrix = Float32Array

/** Returns A·B (a m×k, b k×n) in f64, and Σ|a_ip·b_pj| per element. */
function matmulReference(a: Matrix, b: Matrix, m: number, k: number, n: number) {
  const out: number[] = []
  const terms: number[] = []
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0
      let magnitude = 0
      for (let p = 0; p < k; p++) {
        sum += a[i * k + p] * b[p * n + j]
        magnitude += Math.abs(a[i * k + p] * b[p * n + j])
      }
      out.push(sum)
      terms.push(magnitude)
    }
  }
  return { out, terms }
}

/** Sums in f32 in the order p = 0..k−1, as the kernel promises to. */
function matmulScalarF32(a: Matrix, b: Matrix, m: number, k: number, n: number) {
  const out = new Float32Array(m * n)
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0
      for (let p = 0; p < k; p++) {
        sum = Math.fround(sum + Math.fround(a[i * k + p] * b[p * n + j]))
      }
      out[i * n + j] = sum
    }
  }
  return out
}

const ALPHA = 0.01
const ELEMENTWISE: ActivationName[] = [
  'linear', 'heaviside', 'sign', 'sigmoid', 'tanh', 'relu', 'leaky-relu',
]
const LOSSES: LossName[] = ['mse', 'binary-cross-entropy', 'cross-entropy']

/** Returns φ'(z) from the reference; step functions have none, so 0. */
function slope(name: ActivationName, z: number, a: number): number {
  return name === 'heaviside' || name === 'sign' ? 0 : derivative(name, z, a, ALPHA)
}

/** Returns Σ|terms| of φ'(z): 1 − a² and a(1 − a) can cancel in f32. */
function slopeTerms(name: ActivationName, z: number, a: number): number {
  if (name === 'tanh') return 1 + a * a
  if (name === 'sigmoid') return Math.abs(a) * (1 + Math.abs(a))
  return Math.abs(slope(name, z, a))
}

/** Splits row-major values into rows of `width`. */
function rowsOf(values: ArrayLike<number>, rows: number, width: number) {
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: width }, (_, j) => values[r * width + j]))
}

// --- the tests -----------------------------------------------------------------

describe('matmul', () => {
  const shapes: [number, number, number][] = []
  for (const m of SIZES) {
    for (const k of SIZES) for (const n of SIZES) shapes.push([m, k, n])
  }
  // then panels of 8 + 4 + 2 columns, and depths past one 256-row block
  shapes.push([67, 129, 131], [3, 7, 10], [6, 260, 14], [9, 513, 12])
  // and rows too few to pack: B read in place, 32 and 8 columns at a time
  shapes.push([1, 300, 77], [2, 513, 40], [3, 64, 35])

  it('matches the f64 reference and the in-order f32 loop bit-for-bit', () => {
    for (const [m, k, n] of shapes) {
      const [a, b] = [draw(m * k), draw(k * n)]
      const [pa, pb, pout] = place(a, b, new Float32Array(m * n).fill(NaN))
      core.matmul(m, k, n, pa, pb, pout)
      const got = read(pout, m * n)
      const { out, terms } = matmulReference(a, b, m, k, n)
      expectClose(got, out, terms, `matmul ${m}×${k}×${n}`)
      const scalar = matmulScalarF32(a, b, m, k, n)
      expect(got, `matmul ${m}×${k}×${n} vs the f32 loop`).toEqual(scalar)
    }
  })

  it('writes zeros when the inner size k is 0', () => {
    const [pa, pb, pout] = place([], [], [7, 7, 7, 7, 7, 7])
    core.matmul(2, 0, 3, pa, pb, pout)
    expect(Array.from(read(pout, 6))).toEqual([0, 0, 0, 0, 0, 0])
  })

  it('computes a 2×2 product written out by hand', () => {
    // [1 2; 3 4]·[5 6; 7 8] = [1·5+2·7 1·6+2·8; 3·5+4·7 3·6+4·8]
    const [pa, pb, pout] = place([1, 2, 3, 4], [5, 6, 7, 8], [0, 0, 0, 0])
    core.matmul(2, 2, 2, pa, pb, pout)
    expect(Array.from(read(pout, 4))).toEqual([19, 22, 43, 50])
  })

  it('leaves memory alone when a size is negative or a buffer runs past it', () => {
    const [pa, pout] = place([1, 2, 3, 4], [9, 9, 9, 9])
    core.matmul(-1, 2, 2, pa, pa, pout)
    core.matmul(2, 2, 2, pa, core.memory.buffer.byteLength - 8, pout)
    expect(Array.from(read(pout, 4))).toEqual([9, 9, 9, 9])
  })
})

describe('transpose', () => {
  it('moves a[i][j] to out[j][i] for every shape', () => {
    for (const [rows, cols] of [...SHAPES, [64, 64], [1, 17], [33, 2]]) {
      const a = draw(rows * cols)
      const [pa, pout] = place(a, new Float32Array(rows * cols))
      core.transpose(rows, cols, pa, pout)
      const expected = Float32Array.from(
        { length: rows * cols },
        (_, at) => a[(at % rows) * cols + Math.floor(at / rows)],
      )
      expect(read(pout, rows * cols), `transpose ${rows}×${cols}`).toEqual(expected)
    }
  })
})

/** Runs φ forward, then backward with `upstream`; returns a and out. */
function runActivation(name: ActivationName, rows: number, width: number,
  z: Float32Array, upstream: Float32Array) {
  const count = rows * width
  const empty = () => new Float32Array(count)
  const [pz, pa, pup, pout] = place(z, empty(), upstream, empty())
  core.activationForward(Activation[name], rows, width, pz, pa, ALPHA)
  core.activationBackward(Activation[name], rows, width, pz, pa, pup, pout, ALPHA)
  return { a: read(pa, count), out: read(pout, count) }
}

describe('activations', () => {
  for (const name of ELEMENTWISE) {
    it(`${name} forward and backward match the reference`, () => {
      for (const [rows, width] of SHAPES) {
        const what = `${name} ${rows}×${width}`
        const z = draw(rows * width, -4, 4)
        const upstream = draw(rows * width)
        const { a, out } = runActivation(name, rows, width, z, upstream)
        const expected = Array.from(z, (value) => activateValue(name, value, ALPHA))
        expectClose(a, expected, expected.map(Math.abs), what)

        const gradient = Array.from(z, (v, i) => upstream[i] * slope(name, v, a[i]))
        const terms = Array.from(z, (v, i) =>
          Math.abs(upstream[i]) * slopeTerms(name, v, a[i]))
        expectClose(out, gradient, terms, `${what}, backward`)
      }
    })
  }

  it('softmax forward and its Jacobian-vector product match the reference', () => {
    for (const [rows, width] of SHAPES) {
      const z = draw(rows * width, -6, 6)
      const g = draw(rows * width)
      const { a, out } = runActivation('softmax', rows, width, z, g)
      const expected = rowsOf(z, rows, width).flatMap((row) =>
        activateRow('softmax', row, 0))
      expectClose(a, expected, expected, `softmax ${rows}×${width}`)

      // a_j (g_j − Σ_k g_k a_k) adds terms of size a_j (|g_j| + Σ_k |g_k a_k|)
      const [aRows, gRows] = [rowsOf(a, rows, width), rowsOf(g, rows, width)]
      const product = aRows.flatMap((row, r) => softmaxBackward(row, gRows[r]))
      const terms = aRows.flatMap((row, r) => {
        const size = row.reduce((sum, ak, k) => sum + Math.abs(gRows[r][k] * ak), 0)
        return row.map((aj, j) => aj * (Math.abs(gRows[r][j]) + size))
      })
      expectClose(out, product, terms, `softmax ${rows}×${width}, backward`)
    }
  })

  it('softmax of [1000, 1000] is exactly [0.5, 0.5]: e^0/(e^0 + e^0)', () => {
    const z = Float32Array.of(1000, 1000)
    const { a } = runActivation('softmax', 1, 2, z, new Float32Array(2))
    expect(Array.from(a)).toEqual([0.5, 0.5])
  })

  it('softmax rows sum to 1 within 1e-6, even for wide spreads', () => {
    const [rows, width] = [40, 37]
    const z = draw(rows * width, -50, 50)
    const { a } = runActivation('softmax', rows, width, z, z.map(() => 0))
    for (let r = 0; r < rows; r++) {
      const sum = a.subarray(r * width, (r + 1) * width).reduce((t, v) => t + v, 0)
      expect(Math.abs(sum - 1), `row ${r} sums to ${sum}`).toBeLessThanOrEqual(1e-6)
    }
  })

  it('takes heaviside(0) = 1 and sign(0) = 0, as the lecture does', () => {
    const zeros = Float32Array.of(0, -0, 0, 0, 0)
    const none = new Float32Array(5)
    const steps = Array.from(runActivation('heaviside', 1, 5, zeros, none).a)
    expect(steps).toEqual([1, 1, 1, 1, 1])
    const signs = Array.from(runActivation('sign', 1, 5, zeros, none).a)
    expect(signs.map(Math.abs)).toEqual([0, 0, 0, 0, 0])
  })

  it('saturates sigmoid, tanh and softmax at ±100 and ±1e30 without NaN', () => {
    const z = Float32Array.of(-1e30, -100, 100, 1e30)
    const ones = Float32Array.of(1, 1, 1, 1)
    for (const name of ['sigmoid', 'tanh', 'softmax'] as const) {
      const { a, out } = runActivation(name, 1, 4, z, ones)
      expect([...a, ...out].every(Number.isFinite), name).toBe(true)
    }
    expect(Array.from(runActivation('sigmoid', 1, 4, z, ones).a)).toEqual([0, 0, 1, 1])
  })
})

describe('losses', () => {
  for (const name of LOSSES) {
    it(`${name} value and gradient match the reference`, () => {
      for (const [rows, width] of SHAPES.filter(([rows]) => rows > 0)) {
        const what = `${name} ${rows}×${width}`
        const count = rows * width
        const a = draw(count, 0.01, 0.99)
        const y = name === 'mse' ? draw(count) : draw(count, 0, 1).map(Math.round)
        const [pa, py, pout] = place(a, y, new Float32Array(count))
        const [aRows, yRows] = [rowsOf(a, rows, width), rowsOf(y, rows, width)]
        const expected = lossValue(name, aRows, yRows)
        // each term alone is the loss of a one-value batch
        const size = Array.from(a, (p, i) => Math.abs(lossValue(name, [[p]], [[y[i]]])))
          .reduce((sum, term) => sum + term, 0)
        const got = core.lossValue(Loss[name], rows, width, pa, py)
        const allowed = (RELATIVE * size) / rows
        expect(Math.abs(got - expected), what).toBeLessThanOrEqual(allowed)

        core.lossGradient(Loss[name], rows, width, pa, py, pout)
        const gradient = lossGradient(name, aRows, yRows).flat()
        expectClose(read(pout, count), gradient, gradient.map(Math.abs), `∂${what}`)
      }
    })
  }

  it('mse of outputs [1, 2] against [0, 4] over one row is ½(1² + 2²) = 2.5', () => {
    const [pa, py] = place([1, 2], [0, 4])
    expect(core.lossValue(Loss.mse, 1, 2, pa, py)).toBe(2.5)
  })

  it('cross-entropy of a confident wrong answer is −log 1e-7 ≈ 16.1', () => {
    const [pa, py] = place([1, 0], [0, 1])
    const loss = core.lossValue(Loss['cross-entropy'], 1, 2, pa, py)
    expect(loss).toBeGreaterThan(10)
    expect(Number.isFinite(loss)).toBe(true)
  })

  it('cross-entropies stay finite on probabilities 0 and 1', () => {
    const [pa, py, pout] = place([0, 1, 0, 1], [0, 0, 1, 1], new Float32Array(4))
    for (const name of ['binary-cross-entropy', 'cross-entropy'] as const) {
      expect(Number.isFinite(core.lossValue(Loss[name], 2, 2, pa, py)), name).toBe(true)
      core.lossGradient(Loss[name], 2, 2, pa, py, pout)
      expect(read(pout, 4).every(Number.isFinite), `∂${name}`).toBe(true)
    }
  })
})

describe('a network of one layer through the exports', () => {
  const cases = [
    { inputs: 5, units: 13, rows: 7, activation: 'linear' },
    { inputs: 300, units: 9, rows: 6, activation: 'relu' },
    { inputs: 17, units: 64, rows: 130, activation: 'linear' },
  ] as const

  for (const { inputs, units, rows, activation } of cases) {
    const shape = `${rows}×${inputs} into ${units}`
    it(`predicts ${activation}(x·W + b) bit-for-bit, ${shape}`, () => {
      expect(core.defineNetwork(inputs, Loss.mse)).toBe(Status.ok)
      expect(core.addLayer(units, Activation[activation], 0)).toBe(Status.ok)
      expect(core.commitNetwork()).toBe(Status.ok)
      expect(core.parameterCount()).toBe(inputs * units + units)
      const [weights, biases] = [draw(inputs * units), draw(units)]
      const x = draw(rows * inputs, -3, 3)
      write(core.parametersPointer(), [...weights, ...biases])
      expect(core.reserveSamples(rows)).toBe(Status.ok)
      write(core.samplesInputsPointer(), x)
      expect(core.predict(rows)).toBe(Status.ok)

      const z = matmulScalarF32(x, weights, rows, inputs, units)
        .map((sum, at) => Math.fround(sum + biases[at % units]))
      const expected = z.map((value) => activateValue(activation, value, 0))
      expect(read(core.outputsPointer(), rows * units)).toEqual(expected)
    })
  }
})
