/**
 * One optimizer step in plain f64: sgd, momentum (Keras form, optional
 * Nesterov) and adam, after the L2 term and the global-norm clip.
 *
 * Order within a step: g ← ∂C/∂θ; g_W += l2·W (weights only, not biases);
 * when ‖g‖₂ over all parameters exceeds clipNorm, g ← g·clipNorm/‖g‖₂;
 * then the update rule of the optimizer.
 */
import type { OptimizerName } from '../../src/core/enums.ts'
import type { LayerGradient, RefNet } from './mlp.ts'

/** The optimizer fields of a spec, defaults already filled in. */
export interface OptimizerConfig {
  name: OptimizerName
  learningRate: number
  momentum: number
  nesterov: boolean
  beta1: number
  beta2: number
  epsilon: number
  l2: number
  clipNorm?: number
}

/** Fills the spec's optimizer defaults around the fields given. */
export function optimizerConfig(
  fields: Partial<OptimizerConfig> & { name: OptimizerName; learningRate: number },
): OptimizerConfig {
  const defaults = { momentum: 0.9, nesterov: false, beta1: 0.9, beta2: 0.999 }
  return { ...defaults, epsilon: 1e-8, l2: 0, ...fields }
}

/** What an optimizer carries between steps: per-parameter moments and t. */
export interface OptimizerState {
  steps: number
  first: Float64Array[]
  second: Float64Array[]
}

/** Returns zeroed optimizer state for a net (one array per W and per b). */
export function createOptimizerState(net: RefNet): OptimizerState {
  const zeros = () => net.layers.flatMap((l) => [l.W.map(() => 0), l.b.map(() => 0)])
  return { steps: 0, first: zeros(), second: zeros() }
}

/** Returns the L2 norm of all values of all arrays together. */
export function globalNorm(arrays: ArrayLike<number>[]): number {
  let squares = 0
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) squares += values[i] * values[i]
  }
  return Math.sqrt(squares)
}

/** Returns the gradients with l2·W added and clipped to the global norm. */
export function regularize(
  net: RefNet,
  grads: LayerGradient[],
  config: OptimizerConfig,
): Float64Array[] {
  const flat = grads.flatMap((g, l) => [
    g.W.map((value, i) => value + config.l2 * net.layers[l].W[i]),
    g.b.slice(),
  ])
  if (config.clipNorm === undefined) return flat
  const norm = globalNorm(flat)
  if (norm <= config.clipNorm) return flat
  const scale = config.clipNorm / norm
  return flat.map((values) => values.map((value) => value * scale))
}

/** Applies one step of the optimizer to net, updating state in place. */
export function optimizerStep(
  net: RefNet,
  grads: LayerGradient[],
  config: OptimizerConfig,
  state: OptimizerState,
): void {
  const flat = regularize(net, grads, config)
  const params = net.layers.flatMap((layer) => [layer.W, layer.b])
  const rate = config.learningRate
  state.steps += 1
  const t = state.steps
  params.forEach((theta, slot) => {
    const g = flat[slot]
    const first = state.first[slot]
    const second = state.second[slot]
    for (let i = 0; i < theta.length; i++) {
      if (config.name === 'sgd') {
        theta[i] -= rate * g[i]
      } else if (config.name === 'momentum') {
        first[i] = config.momentum * first[i] - rate * g[i]
        theta[i] += config.nesterov ? config.momentum * first[i] - rate * g[i] : first[i]
      } else {
        first[i] = config.beta1 * first[i] + (1 - config.beta1) * g[i]
        second[i] = config.beta2 * second[i] + (1 - config.beta2) * g[i] * g[i]
        const firstHat = first[i] / (1 - config.beta1 ** t)
        const secondHat = second[i] / (1 - config.beta2 ** t)
        theta[i] -= (rate * firstHat) / (Math.sqrt(secondHat) + config.epsilon)
      }
    }
  })
}
