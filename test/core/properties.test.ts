/**
 * Properties of the core and the library over random shapes and values,
 * drawn by fast-check from a fixed seed so every run sees the same cases:
 * forward passes stay finite (or are refused as past f32, naming the row),
 * softmax rows sum to 1, gradients match central differences of the f64
 * reference, models round-trip through bytes bit for bit, and no train
 * call stores a non-finite value, however large the learning rate.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { EdgepropError, loadCore, Network } from '../../src/core/index.ts'
import type { ActivationName } from '../../src/core/enums.ts'
import { HIDDEN_ACTIVATIONS, OUTPUT_PAIRS, shapeOf } from '../reference/cases.ts'
import { drawData, twins, worstRelativeError } from '../reference/compare.ts'
import { finiteDifferences } from '../reference/mlp.ts'
import { mulberry32 } from '../reference/random.ts'

fc.configureGlobal({ seed: 20_240_707, numRuns: 60 })

beforeAll(async () => {
  await loadCore()
})

// --- what gets drawn ------------------------------------------------------------

/** An f32 value of any size the library takes, biased to the ends of the range. */
const anyF32 = fc.float({ noNaN: true, noDefaultInfinity: true })
/** An f32 value of an everyday size. */
const plainF32 = fc.float({ min: -4, max: 4, noNaN: true })
const value = fc.oneof(plainF32, anyF32)

/** A small MLP: 1–6 inputs, up to 2 hidden layers of 1–8 units, any output pair. */
const mlpShape = fc.record({
  inputs: fc.integer({ min: 1, max: 6 }),
  hidden: fc.array(
    fc.tuple(fc.integer({ min: 1, max: 8 }), fc.constantFrom(...HIDDEN_ACTIVATIONS)),
    { maxLength: 2 },
  ),
  pair: fc.constantFrom(...OUTPUT_PAIRS),
  outputs: fc.integer({ min: 1, max: 4 }),
}).map(({ inputs, hidden, pair, outputs }) => {
  const width = pair.activation === 'softmax' ? Math.max(2, outputs) : outputs
  const last: [number, ActivationName] = [width, pair.activation]
  return shapeOf(inputs, [...hidden, last], pair.loss)
})

type Shape = ReturnType<typeof shapeOf>

/** Returns `rows` arbitrary rows of `width` values drawn by `item`. */
function rowsOf(width: number, item: fc.Arbitrary<number>, rows = { min: 1, max: 5 }) {
  return fc.array(fc.array(item, { minLength: width, maxLength: width }),
    { minLength: rows.min, maxLength: rows.max })
}

/** Creates an MLP of `shape` with its drawn seed and no input scaling. */
function mlp(shape: Shape, seed: number, extra: object = {}) {
  return Network.create({
    kind: 'mlp', ...shape, optimizer: { name: 'sgd', learningRate: 0.1 },
    inputScaling: 'none', seed, ...extra,
  })
}

/** Returns weights of `net`'s shape scaled by `gain`, drawn from `seed`. */
function scaledWeights(net: Network, gain: number, seed: number) {
  const next = mulberry32(seed)
  const draw = () => Math.fround((next() * 2 - 1) * gain)
  return net.getWeights().map(({ W, b }) => ({ W: W.map(draw), b: b.map(draw) }))
}

/** Returns targets that fit the model: class indices, or 0..1 values. */
function targetsFor(net: Network, rows: number, seed: number): (number | number[])[] {
  const next = mulberry32(seed)
  const units = net.spec.kind === 'mlp' ? net.spec.layers.at(-1)!.units : net.spec.outputs
  if (net.classes) return Array.from({ length: rows }, () => Math.floor(next() * units))
  return Array.from({ length: rows }, () => Array.from({ length: units }, () => next()))
}

/** Runs `call`; a refusal must be a forward pass past f32 that names x or one row. */
function finiteOrRefused<T>(call: () => T, rows: number): T | undefined {
  try {
    return call()
  } catch (error) {
    if (!(error instanceof EdgepropError)) throw error
    expect(error.code, error.message).toBe('invalid-data')
    expect(error.message).toMatch(/past the f32 range/)
    const path = error.errors[0].path
    expect(path[0]).toBe('x')
    if (path.length > 1) expect(path[1]).toBeLessThan(rows)
    return undefined
  }
}

const allFinite = (rows: ArrayLike<number>[]) =>
  rows.every((row) => Array.from(row).every(Number.isFinite))

// --- forward passes ---------------------------------------------------------------

describe('forward passes on finite inputs', () => {
  it('give finite outputs, losses and gradients, or refuse the row past f32', async () => {
    const cases = fc.tuple(mlpShape, fc.nat(), fc.constantFrom(1, 10, 1e3, 1e18))
      .chain(([shape, seed, gain]) =>
        fc.tuple(fc.constant(shape), fc.constant(seed), fc.constant(gain),
          rowsOf(shape.inputs, value)))
    await fc.assert(fc.asyncProperty(cases, async ([shape, seed, gain, x]) => {
      const net = await mlp(shape, seed)
      net.setWeights(scaledWeights(net, gain, seed))
      const y = targetsFor(net, x.length, seed)
      const out = finiteOrRefused(() => net.predict(x), x.length)
      if (out) expect(allFinite(out.outputs), 'outputs').toBe(true)
      if (out?.probabilities) expect(allFinite(out.probabilities)).toBe(true)
      const fit = finiteOrRefused(() => net.evaluate(x, y), x.length)
      if (fit) expect(Number.isFinite(fit.loss), `loss ${fit.loss}`).toBe(true)
      const grad = finiteOrRefused(() => net.gradients(x, y), x.length)
      if (grad) expect(allFinite(grad.layers.flatMap((l) => [l.W, l.b]))).toBe(true)
    }), { numRuns: 150 })
  })

  it('give perceptron outputs in the step range, or refuse the row past f32', async () => {
    const cases = fc.record({
      inputs: fc.integer({ min: 1, max: 6 }),
      outputs: fc.integer({ min: 1, max: 4 }),
      activation: fc.constantFrom('heaviside', 'sign'),
      gain: fc.constantFrom(1, 1e20, 3e38),
      seed: fc.nat(),
    }).chain((c) => fc.tuple(fc.constant(c), rowsOf(c.inputs, value)))
    await fc.assert(fc.asyncProperty(cases, async ([c, x]) => {
      const { gain, seed, ...spec } = c
      const net = await Network.create({ kind: 'perceptron', ...spec, learningRate: 0.1 })
      net.setWeights(scaledWeights(net, gain, seed))
      const out = finiteOrRefused(() => net.predict(x), x.length)
      const range = spec.activation === 'sign' ? [-1, 0, 1] : [0, 1]
      for (const v of out?.outputs.flat() ?? []) expect(range).toContain(v)
    }))
  })

  it('give softmax rows that sum to 1 within 1e-6, even for huge logits', async () => {
    const softmax = mlpShape.filter((s) => s.layers.at(-1)!.activation === 'softmax')
    const cases = fc.tuple(softmax, fc.nat(), fc.constantFrom(1, 100, 1e6, 1e30))
      .chain(([shape, seed, gain]) =>
        fc.tuple(fc.constant(shape), fc.constant(seed), fc.constant(gain),
          rowsOf(shape.inputs, value)))
    await fc.assert(fc.asyncProperty(cases, async ([shape, seed, gain, x]) => {
      const net = await mlp(shape, seed)
      net.setWeights(scaledWeights(net, gain, seed))
      const out = finiteOrRefused(() => net.predict(x), x.length)
      for (const row of out?.outputs ?? []) {
        const sum = row.reduce((a, b) => a + b, 0)
        expect(Math.abs(sum - 1), `row ${row} sums to ${sum}`).toBeLessThanOrEqual(1e-6)
        for (const p of row) expect(p >= 0 && p <= 1, `probability ${p}`).toBe(true)
      }
    }), { numRuns: 120 })
  })
})

// --- gradients --------------------------------------------------------------------

describe('gradients', () => {
  it('match central differences of the f64 reference within 1e-2', async () => {
    const rows = fc.integer({ min: 1, max: 5 })
    const cases = fc.record({ shape: mlpShape, seed: fc.nat(), rows })
    await fc.assert(fc.asyncProperty(cases, async ({ shape, seed, rows }) => {
      const next = mulberry32(seed)
      const { net, reference } = await twins(shape, next, undefined, seed)
      // 1e-2 from every kink and log clamp, as in gradient-check.test.ts
      const { x, y } = drawData(reference, shape, rows, next, 1e-2)
      const core = net.gradients(x, y).layers
      const numeric = finiteDifferences(reference, x, y)
      const largest = Math.max(...numeric.flatMap((l) => [...l.W, ...l.b].map(Math.abs)))
      // a dead relu output zeroes every gradient; 1e-12 keeps 0/0 out
      const floor = Math.max(1e-3 * largest, 1e-12)
      const { error, where } = worstRelativeError(core, numeric, floor)
      expect(error, where).toBeLessThan(1e-2)
    }), { numRuns: 80 })
  })
})
