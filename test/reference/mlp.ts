/**
 * A plain f64 multilayer perceptron: the reference the wasm core is judged by.
 *
 * Nothing here is fast. Each step follows the maths of issue 2 line by line:
 * Z = X·W + b (sum over p = 0..k-1, then the bias), A = φ(Z); the output
 * error δᴸ = ∂C/∂a ⊙ φ'(zᴸ), fused to (a − y)/m for softmax with
 * cross-entropy and sigmoid with binary-cross-entropy; the hidden error
 * δˡ = (δˡ⁺¹ · (Wˡ⁺¹)ᵀ) ⊙ φ'(zˡ); ∂C/∂Wˡ = (aˡ⁻¹)ᵀ·δˡ and ∂C/∂bˡ = Σ_rows δˡ.
 */
import type { ActivationName, LossName } from '../../src/core/enums.ts'
import { activateRow, activationBackwardRow } from './activations.ts'
import { lossGradient, lossValue } from './losses.ts'

/** One dense layer; W is inputs×units, row-major (one row per input). */
export interface RefLayer {
  inputs: number
  units: number
  activation: ActivationName
  alpha: number
  W: Float64Array
  b: Float64Array
}

/** A network: its input width, its layers in order, and its loss. */
export interface RefNet {
  inputs: number
  layers: RefLayer[]
  loss: LossName
}

/** The gradient of the loss for one layer, laid out like the layer. */
export interface LayerGradient {
  W: Float64Array
  b: Float64Array
}

/** Everything a forward pass computed: z and a for each layer. */
export interface Trace {
  inputs: number[][]
  z: number[][][]
  a: number[][][]
}

/** Returns Z = X·W + b for one layer, summing p = 0..k-1 before the bias. */
export function denseForward(layer: RefLayer, x: number[][]): number[][] {
  return x.map((row) => {
    const z = new Array<number>(layer.units)
    for (let j = 0; j < layer.units; j++) {
      let sum = 0
      for (let p = 0; p < layer.inputs; p++) sum += row[p] * layer.W[p * layer.units + j]
      z[j] = sum + layer.b[j]
    }
    return z
  })
}

/** Runs the network forward, keeping every layer's z and a. */
export function forward(net: RefNet, x: number[][]): Trace {
  const trace: Trace = { inputs: x, z: [], a: [] }
  let current = x
  for (const layer of net.layers) {
    const z = denseForward(layer, current)
    current = z.map((row) => activateRow(layer.activation, row, layer.alpha))
    trace.z.push(z)
    trace.a.push(current)
  }
  return trace
}

/** Returns the network's outputs for the rows of x. */
export function predict(net: RefNet, x: number[][]): number[][] {
  const trace = forward(net, x)
  return trace.a[trace.a.length - 1]
}

/** Returns the loss C of the network on (x, y), without any L2 penalty. */
export function loss(net: RefNet, x: number[][], y: number[][]): number {
  return lossValue(net.loss, predict(net, x), y)
}

/** Tells whether the output layer and loss use the fused δᴸ = (a − y)/m. */
export function isFused(net: RefNet): boolean {
  const last = net.layers[net.layers.length - 1].activation
  return (
    (last === 'softmax' && net.loss === 'cross-entropy') ||
    (last === 'sigmoid' && net.loss === 'binary-cross-entropy')
  )
}

/** Returns the output error δᴸ for a forward trace and targets y. */
export function outputDelta(net: RefNet, trace: Trace, y: number[][]): number[][] {
  const last = net.layers.length - 1
  const a = trace.a[last]
  const m = a.length
  if (isFused(net)) return a.map((row, i) => row.map((aij, j) => (aij - y[i][j]) / m))
  const g = lossGradient(net.loss, a, y)
  const layer = net.layers[last]
  return a.map((row, i) =>
    activationBackwardRow(layer.activation, trace.z[last][i], row, g[i], layer.alpha),
  )
}

/** Returns δˡ = (δˡ⁺¹ · (Wˡ⁺¹)ᵀ) ⊙ φ'(zˡ) for hidden layer l. */
function hiddenDelta(net: RefNet, trace: Trace, l: number, next: number[][]): number[][] {
  const layer = net.layers[l]
  const above = net.layers[l + 1]
  return next.map((deltaRow, i) => {
    const upstream = new Array<number>(layer.units).fill(0)
    for (let p = 0; p < layer.units; p++) {
      for (let j = 0; j < above.units; j++) {
        upstream[p] += deltaRow[j] * above.W[p * above.units + j]
      }
    }
    const z = trace.z[l][i]
    return activationBackwardRow(layer.activation, z, trace.a[l][i], upstream, layer.alpha)
  })
}

/** Returns ∂C/∂W = (aˡ⁻¹)ᵀ·δˡ and ∂C/∂b = Σ_rows δˡ for one layer. */
function layerGradient(layer: RefLayer, below: number[][], delta: number[][]): LayerGradient {
  const W = new Float64Array(layer.inputs * layer.units)
  const b = new Float64Array(layer.units)
  for (let i = 0; i < delta.length; i++) {
    for (let j = 0; j < layer.units; j++) {
      b[j] += delta[i][j]
      for (let p = 0; p < layer.inputs; p++) W[p * layer.units + j] += below[i][p] * delta[i][j]
    }
  }
  return { W, b }
}

/** Returns the loss and every layer's gradient by the chain rule. */
export function gradients(
  net: RefNet,
  x: number[][],
  y: number[][],
): { loss: number; layers: LayerGradient[] } {
  const trace = forward(net, x)
  const last = net.layers.length - 1
  const layers = new Array<LayerGradient>(net.layers.length)
  let delta = outputDelta(net, trace, y)
  for (let l = last; l >= 0; l--) {
    const below = l === 0 ? x : trace.a[l - 1]
    layers[l] = layerGradient(net.layers[l], below, delta)
    if (l > 0) delta = hiddenDelta(net, trace, l - 1, delta)
  }
  return { loss: lossValue(net.loss, trace.a[last], y), layers }
}

/** Returns ∂C/∂θ for every parameter by central differences of step h. */
export function finiteDifferences(
  net: RefNet,
  x: number[][],
  y: number[][],
  h = 1e-5,
): LayerGradient[] {
  const slope = (values: Float64Array, index: number): number => {
    const kept = values[index]
    values[index] = kept + h
    const above = loss(net, x, y)
    values[index] = kept - h
    const below = loss(net, x, y)
    values[index] = kept
    return (above - below) / (2 * h)
  }
  return net.layers.map((layer) => ({
    W: layer.W.map((_, index) => slope(layer.W, index)),
    b: layer.b.map((_, index) => slope(layer.b, index)),
  }))
}

/** Returns a deep copy of a network, so a step on it leaves the original. */
export function cloneNet(net: RefNet): RefNet {
  return {
    ...net,
    layers: net.layers.map((layer) => ({ ...layer, W: layer.W.slice(), b: layer.b.slice() })),
  }
}

/** The part of an MLP spec the reference needs (see DESIGN.md). */
export interface MlpShape {
  inputs: number
  layers: { units: number; activation: ActivationName; alpha?: number }[]
  loss: LossName
}

/** Builds a reference net from a spec and weights such as net.getWeights(). */
export function buildNet(
  spec: MlpShape,
  weights: { W: ArrayLike<number>; b: ArrayLike<number> }[],
): RefNet {
  let inputs = spec.inputs
  const layers = spec.layers.map((layerSpec, l): RefLayer => {
    const layer = {
      inputs,
      units: layerSpec.units,
      activation: layerSpec.activation,
      alpha: layerSpec.alpha ?? 0.01,
      W: Float64Array.from(weights[l].W),
      b: Float64Array.from(weights[l].b),
    }
    if (layer.W.length !== inputs * layer.units || layer.b.length !== layer.units) {
      throw new Error(
        `layer ${l} weights have W ${layer.W.length} and b ${layer.b.length} values; ` +
          `the spec needs ${inputs * layer.units} and ${layer.units}`,
      )
    }
    inputs = layer.units
    return layer
  })
  return { inputs: spec.inputs, layers, loss: spec.loss }
}
