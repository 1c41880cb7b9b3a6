/**
 * First proves the f64 reference (test/reference/): its gradients against
 * central differences of its own loss, its optimizer steps and perceptron
 * rule against values worked out by hand. Then judges the core by it:
 * outputs, gradients and three steps of each optimizer on random shapes
 * with widths and rows of 1, 3, 4, 5, 17 and 64, each value within 1e-5 of
 * the sum of its absolute terms (test/reference/tolerance.ts says how that
 * sum is carried through a network); standardization; the perceptron rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCore, Network } from '../../src/core/index.ts'
import { activateRow } from '../reference/activations.ts'
import {
  edgeCase,
  HIDDEN_ACTIVATIONS,
  isSmooth,
  OUTPUT_PAIRS,
  randomTargets,
  randomWeights,
  shapeOf,
} from '../reference/cases.ts'
import {
  compareArrays,
  compareLayers,
  coreSpec,
  describeWorst,
  drawData,
  keepWorst,
  noWorst,
  twins,
  worstRelativeError,
} from '../reference/compare.ts'
import { lossValue } from '../reference/losses.ts'
import {
  buildNet,
  cloneNet,
  finiteDifferences,
  forward,
  gradients,
  type RefNet,
} from '../reference/mlp.ts'
import {
  createOptimizerState,
  globalNorm,
  type OptimizerConfig,
  optimizerConfig,
  optimizerStep,
  regularize,
} from '../reference/optimizers.ts'
import {
  createPerceptron,
  perceptronOutputs,
  perceptronSums,
  trainPerceptron,
} from '../reference/perceptron.ts'
import { mulberry32, randomMatrix, toF32 } from '../reference/random.ts'
import { createScaler, mergeBatch, standardize } from '../reference/scaling.ts'
import {
  forwardScales,
  gradientScales,
  RELATIVE_TOLERANCE,
  standardizedScale,
  stepAllowance,
} from '../reference/tolerance.ts'

describe('the f64 reference MLP', () => {
  const cases = HIDDEN_ACTIVATIONS.flatMap((hidden) =>
    OUTPUT_PAIRS.map((pair) => ({ hidden, ...pair })),
  )

  // Central differences with h = 1e-5 err by about h²·|C'''| plus ε·|C|/h,
  // both far below 1e-6 of a gradient; a wrong formula misses by far more.
  it.each(cases)(
    'has the gradient of its own loss: $hidden hidden, $activation + $loss',
    ({ hidden, activation, loss }) => {
      const next = mulberry32(17)
      const shape = shapeOf(3, [[4, hidden], [5, hidden], [3, activation]], loss)
      let net = buildNet(shape, randomWeights(next, shape))
      let x = randomMatrix(next, 6, 3)
      while (!isSmooth(net, x, 1e-3)) {
        net = buildNet(shape, randomWeights(next, shape))
        x = randomMatrix(next, 6, 3)
      }
      const y = randomTargets(next, shape, 6)
      const analytic = gradients(net, x, y)
      expect(analytic.loss).toBeGreaterThan(0)
      const numeric = finiteDifferences(net, x, y)
      expect(worstRelativeError(analytic.layers, numeric, 1e-8).error).toBeLessThan(1e-6)
    },
  )

  it('gives softmax of [1000, 1000] as [0.5, 0.5] and of [0, ln 3] as [¼, ¾]', () => {
    expect(activateRow('softmax', [1000, 1000], 0)).toEqual([0.5, 0.5])
    const [low, high] = activateRow('softmax', [0, Math.log(3)], 0)
    expect(low).toBeCloseTo(1 / 4, 15)
    expect(high).toBeCloseTo(3 / 4, 15)
  })

  it('keeps a confident wrong answer large and finite: −log(1e-7)', () => {
    expect(lossValue('cross-entropy', [[1, 0]], [[0, 1]])).toBeCloseTo(-Math.log(1e-7), 12)
    expect(lossValue('binary-cross-entropy', [[1]], [[0]])).toBeCloseTo(-Math.log(1e-7), 6)
  })

  it('halves the squared error and averages over rows for mse', () => {
    expect(lossValue('mse', [[1, 2], [0, 0]], [[0, 0], [0, 1]])).toBe((1 + 4 + 1) / 2 / 2)
  })
})

/** Runs `steps` steps on w = 1, b = 0.5 with g_W = 0.5, g_b = −1 each time. */
function stepOneWeight(config: OptimizerConfig, steps: number): [number, number] {
  const net = buildNet(shapeOf(1, [[1, 'linear']], 'mse'), [{ W: [1], b: [0.5] }])
  const state = createOptimizerState(net)
  for (let s = 0; s < steps; s++) {
    const grads = [{ W: Float64Array.of(0.5), b: Float64Array.of(-1) }]
    optimizerStep(net, grads, config, state)
  }
  return [net.layers[0].W[0], net.layers[0].b[0]]
}

describe('the f64 reference optimizers', () => {
  const rate = { learningRate: 0.1 }

  it('takes w −= η g for sgd, with l2·W on weights only', () => {
    expect(stepOneWeight(optimizerConfig({ name: 'sgd', ...rate }), 1)).toEqual([
      1 - 0.1 * 0.5,
      0.5 + 0.1 * 1,
    ])
    const [w, b] = stepOneWeight(optimizerConfig({ name: 'sgd', ...rate, l2: 0.2 }), 1)
    expect(w).toBeCloseTo(1 - 0.1 * (0.5 + 0.2 * 1), 15)
    expect(b).toBeCloseTo(0.5 + 0.1 * 1, 15)
  })

  it('scales all gradients by clipNorm/‖g‖ when the norm is over clipNorm', () => {
    const config = optimizerConfig({ name: 'sgd', ...rate, clipNorm: 0.5 })
    const scale = 0.5 / Math.sqrt(0.5 ** 2 + 1 ** 2)
    const [w, b] = stepOneWeight(config, 1)
    expect(w).toBeCloseTo(1 - 0.1 * 0.5 * scale, 15)
    expect(b).toBeCloseTo(0.5 + 0.1 * 1 * scale, 15)
    const loose = optimizerConfig({ name: 'sgd', ...rate, clipNorm: 2 })
    expect(stepOneWeight(loose, 1)).toEqual([1 - 0.1 * 0.5, 0.5 + 0.1])
  })

  it('keeps a velocity v = μv − ηg for momentum, and looks ahead for Nesterov', () => {
    const [w] = stepOneWeight(optimizerConfig({ name: 'momentum', ...rate }), 2)
    const v1 = -0.1 * 0.5
    const v2 = 0.9 * v1 - 0.1 * 0.5
    expect(w).toBeCloseTo(1 + v1 + v2, 15)
    const nesterov = optimizerConfig({ name: 'momentum', ...rate, nesterov: true })
    const [wn] = stepOneWeight(nesterov, 2)
    expect(wn).toBeCloseTo(1 + (0.9 * v1 - 0.05) + (0.9 * v2 - 0.05), 15)
  })

  it('moves each weight by about η per step for adam on a steady gradient', () => {
    const [w1, b1] = stepOneWeight(optimizerConfig({ name: 'adam', ...rate }), 1)
    expect(w1).toBeCloseTo(1 - (0.1 * 0.5) / (0.5 + 1e-8), 15)
    expect(b1).toBeCloseTo(0.5 + 0.1 / (1 + 1e-8), 15)
    const [w2] = stepOneWeight(optimizerConfig({ name: 'adam', ...rate }), 2)
    expect(w2).toBeCloseTo(1 - 0.1 - 0.1, 6)
  })
})

describe('the f64 reference perceptron and scaler', () => {
  it('learns AND with η = 1 in six epochs, ending at W = [2, 1], b = −3', () => {
    // Traced by hand, heaviside(0) = 1: epochs make 2, 3, 3, 2, 1, 0 mistakes.
    const p = createPerceptron(2, 1, 'heaviside')
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]]
    const result = trainPerceptron(p, x, [[0], [0], [0], [1]], 1, 50)
    expect(result).toEqual({ epochs: 6, mistakes: 0 })
    expect([...p.W, ...p.b]).toEqual([2, 1, -3])
  })

  it('never separates XOR and runs every epoch it is given', () => {
    const p = createPerceptron(2, 1, 'sign')
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]]
    const result = trainPerceptron(p, x, [[-1], [1], [1], [-1]], 0.5, 40)
    expect(result.epochs).toBe(40)
    expect(result.mistakes).toBeGreaterThan(0)
  })

  it('merges batches into the same mean and population variance as one batch', () => {
    const scaler = createScaler(1)
    mergeBatch(scaler, [[1], [2]])
    mergeBatch(scaler, [[3], [4], [5]])
    expect(scaler.count).toBe(5)
    expect(scaler.mean[0]).toBe(3)
    expect(scaler.variance[0]).toBeCloseTo((4 + 1 + 0 + 1 + 4) / 5, 6)
  })
})

// --- the core against the reference ------------------------------------------

const worstForward = noWorst()
const worstGradient = noWorst()
const worstStep = noWorst()

afterAll(() => {
  console.log(`forward, worst: ${describeWorst(worstForward)}`)
  console.log(`gradients, worst: ${describeWorst(worstGradient)}`)
  console.log(`optimizer steps, worst: ${describeWorst(worstStep)}`)
})

describe('the core against the f64 reference', () => {
  beforeAll(async () => {
    await loadCore()
  })

  // two cases per output pair, so each pair meets two hidden activations
  const count = 2 * OUTPUT_PAIRS.length
  it.each(Array.from({ length: count }, (_, i) => ({ i, ...edgeCase(i) })))(
    'computes outputs and gradients within 1e-5 of the absolute terms: case $i, $rows rows',
    async ({ i, shape, rows }) => {
      const next = mulberry32(100 + i)
      const { net, reference } = await twins(shape, next)
      const { x, y } = drawData(reference, shape, rows, next)
      const name = `case ${i} ${JSON.stringify(shape.layers.map((l) => l.units))}`
      const trace = forward(reference, x)
      const allowed = forwardScales(reference, trace).a.at(-1)!.flat()
      const outputs = { worst: noWorst(), got: net.predict(x).outputs.flat() }
      const limits = allowed.map((s) => RELATIVE_TOLERANCE * s)
      compareArrays(outputs.got, trace.a.at(-1)!.flat(), limits, `${name} outputs`, outputs.worst)
      keepWorst(worstForward, outputs.worst)
      expect(outputs.worst.ratio, describeWorst(outputs.worst)).toBeLessThanOrEqual(1)

      const expected = gradients(reference, x, y)
      const got = net.gradients(x, y)
      expect(Math.abs(got.loss - expected.loss)).toBeLessThan(1e-5 * Math.max(1, expected.loss))
      const allowedGradients = gradientScales(reference, x, y).map(({ W, b }) => ({
        W: W.map((s) => RELATIVE_TOLERANCE * s),
        b: b.map((s) => RELATIVE_TOLERANCE * s),
      }))
      const worst = noWorst()
      compareLayers(got.layers, expected.layers, allowedGradients, name, worst)
      keepWorst(worstGradient, worst)
      expect(worst.ratio, describeWorst(worst)).toBeLessThanOrEqual(1)
    },
  )
})

describe('one optimizer step of the core against the f64 reference', () => {
  const optimizers: OptimizerConfig[] = [
    optimizerConfig({ name: 'sgd', learningRate: 0.1 }),
    optimizerConfig({ name: 'sgd', learningRate: 0.1, l2: 0.01, clipNorm: 0.05 }),
    optimizerConfig({ name: 'momentum', learningRate: 0.05 }),
    optimizerConfig({ name: 'momentum', learningRate: 0.05, nesterov: true, l2: 0.01 }),
    optimizerConfig({ name: 'momentum', learningRate: 0.05, nesterov: true, clipNorm: 0.05 }),
    optimizerConfig({ name: 'adam', learningRate: 0.01 }),
    optimizerConfig({ name: 'adam', learningRate: 0.01, l2: 0.01, clipNorm: 0.05 }),
  ]
  const cases = optimizers.flatMap((config, o) =>
    [1, 4].map((i) => ({ config, o, i, ...edgeCase(i + o) })),
  )

  beforeAll(async () => {
    await loadCore()
  })

  it.each(cases)(
    'takes $config.name steps like the reference in three train calls (optimizer $o, case $i)',
    async ({ config, shape, rows, o, i }) => {
      const next = mulberry32(200 + 10 * o + i)
      const { net, reference } = await twins(shape, next, config)
      const { x, y } = drawData(reference, shape, rows, next)
      const state = createOptimizerState(reference)
      const allowed = reference.layers.map((l) => ({ W: l.W.map(() => 0), b: l.b.map(() => 0) }))
      const worst = noWorst()
      // The second case of each optimizer trains in minibatches of ⌈rows/3⌉.
      const batchSize = i === 1 ? rows : Math.ceil(rows / 3)
      for (let call = 1; call <= 3; call++) {
        for (let start = 0; start < rows; start += batchSize) {
          const [xs, ys] = [x.slice(start, start + batchSize), y.slice(start, start + batchSize)]
          const grads = gradients(reference, xs, ys).layers
          const unclipped = regularize(reference, grads, { ...config, clipNorm: undefined })
          // A clipNorm case proves nothing unless the gradient is over the limit.
          expect(globalNorm(unclipped)).toBeGreaterThan(config.clipNorm ?? 0)
          const scales = gradientScales(reference, xs, ys)
          const before = cloneNet(reference)
          optimizerStep(reference, grads, config, state)
          const args = [grads, scales, config, state.second, state.steps] as const
          stepAllowance(before, reference, ...args).forEach((values, s) => {
            const slot = allowed[s >> 1][s % 2 === 0 ? 'W' : 'b']
            values.forEach((value, k) => (slot[k] += value))
          })
        }
        net.train(x, y, { epochs: 1, batchSize, shuffle: false })
        const where = `${config.name} ${o} case ${i} call ${call}`
        compareLayers(net.getWeights(), reference.layers, allowed, where, worst)
      }
      expect(net.stats.steps).toBe(state.steps)
      keepWorst(worstStep, worst)
      expect(worst.ratio, describeWorst(worst)).toBeLessThanOrEqual(1)
    },
  )
})

describe('the core standardizes and runs perceptrons like the reference', () => {
  beforeAll(async () => {
    await loadCore()
  })

  it('merges each train call into the scaling state and predicts through it', async () => {
    const next = mulberry32(300)
    const shape = shapeOf(4, [[5, 'tanh'], [3, 'softmax']], 'cross-entropy')
    const config = optimizerConfig({ name: 'sgd', learningRate: 1e-3 })
    const spec = { ...coreSpec(shape, config, 9), inputScaling: 'standardize' as const }
    const net = await Network.create(spec)
    const reference = buildNet(shape, net.getWeights())
    const scaler = createScaler(4)
    const state = createOptimizerState(reference)
    for (const rows of [5, 17]) {
      const x = toF32(randomMatrix(next, rows, 4, -3, 7))
      const y = randomTargets(next, shape, rows)
      mergeBatch(scaler, x)
      const grads = gradients(reference, standardize(scaler, x), y).layers
      optimizerStep(reference, grads, config, state)
      net.train(x, y, { epochs: 1, batchSize: rows, shuffle: false })
    }
    const x = toF32(randomMatrix(next, 9, 4, -3, 7))
    const scaled = standardize(scaler, x)
    const trace = forward(reference, scaled)

    const inputScale = standardizedScale(x, scaled, scaler.mean, scaler.variance)
    const scales = forwardScales(reference, trace, inputScale).a.at(-1)!.flat()
    const worst = noWorst()
    const allowed = scales.map((s) => RELATIVE_TOLERANCE * s)
    const got = net.predict(x).outputs.flat()
    compareArrays(got, trace.a.at(-1)!.flat(), allowed, 'standardized outputs', worst)
    expect(worst.ratio, describeWorst(worst)).toBeLessThanOrEqual(1)
  })

  it('applies the perceptron rule bit for bit like the reference (η = ½)', async () => {
    // Inputs are multiples of ⅛ and η = ½, so every sum is exact in f32.
    const next = mulberry32(400)
    const x = Array.from({ length: 20 }, () =>
      Array.from({ length: 3 }, () => Math.round((next() * 4 - 2) * 8) / 8),
    )
    const y = x.map((row) => [row[0] + row[1] > 0.3 ? 1 : -1, row[2] - row[0] > 0 ? 1 : -1])
    const net = await Network.create({
      kind: 'perceptron', inputs: 3, outputs: 2, activation: 'sign', learningRate: 0.5,
    })
    const reference = createPerceptron(3, 2, 'sign')
    const result = trainPerceptron(reference, x, y, 0.5, 25)
    const fit = net.train(x, y, { epochs: 25, shuffle: false })
    const [layer] = net.getWeights()
    expect([...layer.W]).toEqual([...reference.W])
    expect([...layer.b]).toEqual([...reference.b])
    expect(net.stats.epochs).toBe(result.epochs)

    // Loss: the share of (sample, output) pairs wrong; label: argmax of z.
    const outputs = x.map((row) => perceptronOutputs(reference, row))
    const wrong = outputs.flat().filter((value, k) => value !== y[k >> 1][k % 2]).length
    expect(fit.lossAfter).toBe(wrong / (2 * x.length))
    const sums = x.map((row) => perceptronSums(reference, row))
    expect(net.predict(x).labels).toEqual(sums.map((z) => (z[1] > z[0] ? 1 : 0)))
  })
})
