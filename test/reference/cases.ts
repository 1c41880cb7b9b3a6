/**
 * Random networks and data for the reference tests and the gradient checks,
 * drawn from a seeded generator so every run sees the same cases.
 */
import type { ActivationName, LossName } from '../../src/core/enums.ts'
import { forward, type MlpShape, type RefNet } from './mlp.ts'
import { randomIndex, uniform } from './random.ts'

/** The hidden activations that have a gradient. */
export const HIDDEN_ACTIVATIONS: ActivationName[] = [
  'linear',
  'sigmoid',
  'tanh',
  'relu',
  'leaky-relu',
]

/** The output layer and loss pairs every check covers. */
export const OUTPUT_PAIRS: { activation: ActivationName; loss: LossName }[] = [
  { activation: 'softmax', loss: 'cross-entropy' },
  { activation: 'sigmoid', loss: 'binary-cross-entropy' },
  { activation: 'softmax', loss: 'mse' },
  { activation: 'sigmoid', loss: 'mse' },
  { activation: 'tanh', loss: 'mse' },
  { activation: 'linear', loss: 'mse' },
  { activation: 'relu', loss: 'mse' },
  { activation: 'leaky-relu', loss: 'mse' },
]

/** Returns the spec shape of an MLP with the given widths and activations. */
export function shapeOf(
  inputs: number,
  layers: [number, ActivationName][],
  loss: LossName,
  alpha = 0.1,
): MlpShape {
  return {
    inputs,
    layers: layers.map(([units, activation]) =>
      activation === 'leaky-relu' ? { units, activation, alpha } : { units, activation },
    ),
    loss,
  }
}

/** Returns targets that suit the output activation and loss. */
export function randomTargets(
  next: () => number,
  shape: MlpShape,
  rows: number,
): number[][] {
  const output = shape.layers[shape.layers.length - 1]
  const width = output.units
  return Array.from({ length: rows }, () => {
    if (output.activation === 'softmax') {
      const row = new Array<number>(width).fill(0)
      row[randomIndex(next, width)] = 1
      return row
    }
    const low = output.activation === 'tanh' ? -0.9 : output.activation === 'linear' ? -1 : 0
    const high = output.activation === 'sigmoid' || shape.loss !== 'mse' ? 1 : 0.9
    return Array.from({ length: width }, () => uniform(next, low, high))
  })
}

/**
 * Tells whether every pre-activation of a relu-like layer is at least
 * `margin` away from its kink at 0, and every probability fed to a log is
 * inside [margin, 1 − margin]; finite differences are only valid then.
 */
export function isSmooth(net: RefNet, x: number[][], margin: number): boolean {
  const trace = forward(net, x)
  return net.layers.every((layer, l) => {
    const kinked = layer.activation === 'relu' || layer.activation === 'leaky-relu'
    const zOk = !kinked || trace.z[l].every((row) => row.every((z) => Math.abs(z) >= margin))
    const logged = l === net.layers.length - 1 && net.loss !== 'mse'
    const aOk =
      !logged || trace.a[l].every((row) => row.every((a) => a >= margin && a <= 1 - margin))
    return zOk && aOk
  })
}

/** Returns uniform weights in ±sqrt(6/(fanIn+fanOut)) and small biases. */
export function randomWeights(
  next: () => number,
  shape: MlpShape,
): { W: Float64Array; b: Float64Array }[] {
  let inputs = shape.inputs
  return shape.layers.map(({ units }) => {
    const limit = Math.sqrt(6 / (inputs + units))
    const W = Float64Array.from({ length: inputs * units }, () => uniform(next, -limit, limit))
    const b = Float64Array.from({ length: units }, () => uniform(next, -0.1, 0.1))
    inputs = units
    return { W, b }
  })
}

/** The awkward widths every comparison must cover. */
export const EDGE_SIZES = [1, 3, 4, 5, 17, 64]

/**
 * Returns the i-th comparison case: input, hidden and output widths and the
 * row count each drawn from EDGE_SIZES by rotation (so every size appears in
 * every role), one or two hidden layers, and activations and losses in turn.
 */
export function edgeCase(i: number): { shape: MlpShape; rows: number } {
  const size = (shift: number) => EDGE_SIZES[(i + shift) % EDGE_SIZES.length]
  const hidden = HIDDEN_ACTIVATIONS[i % HIDDEN_ACTIVATIONS.length]
  const pair = OUTPUT_PAIRS[i % OUTPUT_PAIRS.length]
  const outputs = pair.activation === 'softmax' ? Math.max(2, size(2)) : size(2)
  const layers: [number, ActivationName][] = [[size(1), hidden]]
  if (i % 2 === 0) layers.push([size(3), hidden])
  layers.push([outputs, pair.activation])
  return { shape: shapeOf(size(0), layers, pair.loss), rows: size(4) }
}
