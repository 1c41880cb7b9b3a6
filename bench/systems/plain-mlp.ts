/**
 * A dense network in plain TypeScript over Float32Arrays: the loops a
 * developer would write by hand, in cache-friendly order (row, input,
 * unit), with buffers allocated once. The benchmark's baseline.
 */
import type { BenchActivation, BenchNetwork } from '../tasks.ts'

interface PlainLayer {
  inputs: number
  units: number
  activation: BenchActivation
  /** inputs×units, row-major. */
  weights: Float32Array
  biases: Float32Array
  weightGrads: Float32Array
  biasGrads: Float32Array
  /** rows×units: activations, then errors δ. */
  a: Float32Array
  delta: Float32Array
}

/** Trains and runs one network on batches of at most `capacity` rows. */
export class PlainMlp {
  readonly layers: PlainLayer[]
  readonly network: BenchNetwork

  constructor(network: BenchNetwork, capacity: number) {
    this.network = network
    let inputs = network.inputs
    this.layers = network.layers.map(({ units, activation }) => {
      const limit = activation === 'relu'
        ? Math.sqrt(6 / inputs)
        : Math.sqrt(6 / (inputs + units))
      const weights = new Float32Array(inputs * units)
      for (let i = 0; i < weights.length; i++) {
        weights[i] = (((i * 7919) % 1000) / 500 - 1) * limit
      }
      const layer = {
        inputs, units, activation, weights,
        biases: new Float32Array(units),
        weightGrads: new Float32Array(inputs * units),
        biasGrads: new Float32Array(units),
        a: new Float32Array(capacity * units),
        delta: new Float32Array(capacity * units),
      }
      inputs = units
      return layer
    })
  }

  /** Runs `rows` rows of x forward; returns the output layer's activations. */
  forward(x: Float32Array, rows: number): Float32Array {
    let input = x
    for (const layer of this.layers) {
      const { inputs, units, weights, biases, a } = layer
      for (let i = 0; i < rows; i++) {
        const row = i * units
        for (let j = 0; j < units; j++) a[row + j] = biases[j]
        for (let p = 0; p < inputs; p++) {
          const value = input[i * inputs + p]
          const w = p * units
          for (let j = 0; j < units; j++) a[row + j] += value * weights[w + j]
        }
      }
      activate(layer.activation, a, rows, units)
      input = a
    }
    return input
  }

  /** Takes one SGD step on `rows` rows of x with targets y (rows×outputs). */
  step(x: Float32Array, y: Float32Array, rows: number): void {
    const output = this.forward(x, rows)
    const last = this.layers[this.layers.length - 1]
    outputError(this.network.loss, last, output, y, rows)
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const input = l === 0 ? x : this.layers[l - 1].a
      gradients(this.layers[l], input, rows)
      if (l > 0) passDown(this.layers[l], this.layers[l - 1], rows)
    }
    const rate = this.network.learningRate
    for (const layer of this.layers) {
      const { weights, weightGrads, biases, biasGrads } = layer
      for (let i = 0; i < weights.length; i++) weights[i] -= rate * weightGrads[i]
      for (let j = 0; j < biases.length; j++) biases[j] -= rate * biasGrads[j]
    }
  }
}

function activate(kind: BenchActivation, a: Float32Array, rows: number, units: number) {
  const count = rows * units
  if (kind === 'relu') {
    for (let i = 0; i < count; i++) if (a[i] < 0) a[i] = 0
  } else if (kind === 'sigmoid') {
    for (let i = 0; i < count; i++) a[i] = 1 / (1 + Math.exp(-a[i]))
  } else {
    for (let i = 0; i < rows; i++) {
      const row = i * units
      let max = -Infinity
      for (let j = 0; j < units; j++) max = Math.max(max, a[row + j])
      let sum = 0
      for (let j = 0; j < units; j++) {
        a[row + j] = Math.exp(a[row + j] - max)
        sum += a[row + j]
      }
      for (let j = 0; j < units; j++) a[row + j] /= sum
    }
  }
}

// δᴸ: (a − y)/m for softmax with cross-entropy, (a − y)·a(1 − a)/m for
// sigmoid with mse
function outputError(
  loss: string, layer: PlainLayer, a: Float32Array, y: Float32Array, rows: number,
) {
  const count = rows * layer.units
  const delta = layer.delta
  for (let i = 0; i < count; i++) {
    const error = (a[i] - y[i]) / rows
    delta[i] = loss === 'mse' ? error * a[i] * (1 - a[i]) : error
  }
}

// ∂C/∂W = inputᵀ·δ and ∂C/∂b = Σ_rows δ
function gradients(layer: PlainLayer, input: Float32Array, rows: number) {
  const { inputs, units, delta, weightGrads, biasGrads } = layer
  weightGrads.fill(0)
  biasGrads.fill(0)
  for (let i = 0; i < rows; i++) {
    const row = i * units
    for (let j = 0; j < units; j++) biasGrads[j] += delta[row + j]
    for (let p = 0; p < inputs; p++) {
      const value = input[i * inputs + p]
      const w = p * units
      for (let j = 0; j < units; j++) weightGrads[w + j] += value * delta[row + j]
    }
  }
}

// δ below = (δ·Wᵀ) ⊙ φ'(z), with φ' read from the layer below's activations
function passDown(layer: PlainLayer, below: PlainLayer, rows: number) {
  const { inputs, units, delta, weights } = layer
  for (let i = 0; i < rows; i++) {
    for (let p = 0; p < inputs; p++) {
      let sum = 0
      for (let j = 0; j < units; j++) sum += delta[i * units + j] * weights[p * units + j]
      const a = below.a[i * inputs + p]
      const slope = below.activation === 'relu' ? (a > 0 ? 1 : 0) : a * (1 - a)
      below.delta[i * inputs + p] = sum * slope
    }
  }
}
