/**
 * Rosenblatt's perceptron in plain f64: threshold units trained one sample
 * at a time by w_ij ← w_ij + η(y_j − ŷ_j)x_i and b_j ← b_j + η(y_j − ŷ_j).
 */
import { activateValue } from './activations.ts'

/** A single layer of threshold units; W is inputs×outputs, row-major. */
export interface RefPerceptron {
  inputs: number
  outputs: number
  activation: 'heaviside' | 'sign'
  W: Float64Array
  b: Float64Array
}

/** Returns a perceptron that starts from all zeros, as the core's does. */
export function createPerceptron(
  inputs: number,
  outputs: number,
  activation: 'heaviside' | 'sign',
): RefPerceptron {
  const W = new Float64Array(inputs * outputs)
  return { inputs, outputs, activation, W, b: new Float64Array(outputs) }
}

/** Returns z = x·W + b for one sample, summing over inputs before the bias. */
export function perceptronSums(p: RefPerceptron, row: number[]): number[] {
  const z = new Array<number>(p.outputs)
  for (let j = 0; j < p.outputs; j++) {
    let sum = 0
    for (let i = 0; i < p.inputs; i++) sum += row[i] * p.W[i * p.outputs + j]
    z[j] = sum + p.b[j]
  }
  return z
}

/** Returns ŷ = step(x·W + b) for one sample. */
export function perceptronOutputs(p: RefPerceptron, row: number[]): number[] {
  return perceptronSums(p, row).map((z) => activateValue(p.activation, z, 0))
}

/** Applies the rule to one sample; returns whether any output was wrong. */
export function perceptronUpdate(
  p: RefPerceptron,
  row: number[],
  target: number[],
  learningRate: number,
): boolean {
  const predicted = perceptronOutputs(p, row)
  let wrong = false
  for (let j = 0; j < p.outputs; j++) {
    const step = learningRate * (target[j] - predicted[j])
    if (step === 0) continue
    wrong = true
    for (let i = 0; i < p.inputs; i++) p.W[i * p.outputs + j] += step * row[i]
    p.b[j] += step
  }
  return wrong
}

/**
 * Trains in the given order for up to `epochs` epochs, stopping after an
 * epoch without mistakes; returns the epochs run and that last epoch's
 * mistakes (samples with any output wrong).
 */
export function trainPerceptron(
  p: RefPerceptron,
  x: number[][],
  y: number[][],
  learningRate: number,
  epochs: number,
): { epochs: number; mistakes: number } {
  let mistakes = 0
  for (let epoch = 1; epoch <= epochs; epoch++) {
    mistakes = 0
    for (let i = 0; i < x.length; i++) {
      if (perceptronUpdate(p, x[i], y[i], learningRate)) mistakes++
    }
    if (mistakes === 0) return { epochs: epoch, mistakes }
  }
  return { epochs, mistakes }
}
