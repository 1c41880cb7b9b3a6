/**
 * Proves the f64 reference (test/reference/) before it judges the core:
 * its gradients against central differences of its own loss, its optimizer
 * steps and perceptron rule against values worked out by hand.
 */
import { describe, expect, it } from 'vitest'
import { activateRow } from '../reference/activations.ts'
import {
  HIDDEN_ACTIVATIONS,
  isSmooth,
  OUTPUT_PAIRS,
  randomTargets,
  randomWeights,
  shapeOf,
} from '../reference/cases.ts'
import { lossValue } from '../reference/losses.ts'
import {
  buildNet,
  finiteDifferences,
  gradients,
  type LayerGradient,
  type RefNet,
} from '../reference/mlp.ts'
import {
  createOptimizerState,
  type OptimizerConfig,
  optimizerConfig,
  optimizerStep,
} from '../reference/optimizers.ts'
import { createPerceptron, trainPerceptron } from '../reference/perceptron.ts'
import { mulberry32, randomMatrix } from '../reference/random.ts'
import { createScaler, mergeBatch } from '../reference/scaling.ts'

/** Returns the largest |a − b| / max(|a| + |b|, 1e-8) over all gradients. */
function worstRelativeError(a: LayerGradient[], b: LayerGradient[]): number {
  let worst = 0
  a.forEach((layer, l) => {
    for (const key of ['W', 'b'] as const) {
      layer[key].forEach((value, i) => {
        const other = b[l][key][i]
        const scale = Math.max(Math.abs(value) + Math.abs(other), 1e-8)
        worst = Math.max(worst, Math.abs(value - other) / scale)
      })
    }
  })
  return worst
}

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
      expect(worstRelativeError(analytic.layers, finiteDifferences(net, x, y))).toBeLessThan(1e-6)
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
