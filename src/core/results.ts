/**
 * What a Network's methods return, and how the raw f32 outputs of a forward
 * pass become them: rows, class labels and probabilities; and perceptron
 * scores, whose loss and accuracy are counts of mistakes.
 */
import type { LayerWeights } from './options.ts'
import type { Spec } from './spec.ts'

/** What `net.train` returns. */
export interface TrainResult {
  /** Mean loss on the rows given, before and after this call. */
  lossBefore: number
  lossAfter: number
  /** Classifiers only: the share of the rows given classified right, after training. */
  accuracy?: number
  /** Rows processed over the model's life (rows × epochs run, summed over calls). */
  samplesSeen: number
  /** Optimizer steps in this call (a perceptron: one per row presented). */
  steps: number
  /** Epochs run in this call (a perceptron may stop early). */
  epochs: number
  /** The model's version after this call. */
  version: number
}

/** What `net.evaluate` returns. */
export interface Evaluation {
  loss: number
  accuracy?: number
}

/** What `net.gradients` returns: ∂C/∂W and ∂C/∂b per layer, and the loss. */
export interface Gradients {
  loss: number
  layers: LayerWeights[]
}

/** What `net.predict` returns. */
export interface Prediction {
  /** One row of output values per input row. */
  outputs: number[][]
  /** Classifiers only: the predicted class of each row (its label, or its index). */
  labels?: (string | number)[]
  /** Softmax and sigmoid classifiers only: one probability per class per row. */
  probabilities?: number[][]
}

/** Splits a flat rows×width buffer into rows of plain numbers. */
export function toRows(values: Float32Array, rows: number, width: number): number[][] {
  const out: number[][] = new Array(rows)
  for (let r = 0; r < rows; r++) {
    // a plain loop: Array.from over a typed array walks its iterator
    const row: number[] = new Array(width)
    for (let c = 0; c < width; c++) row[c] = values[r * width + c]
    out[r] = row
  }
  return out
}

/**
 * Reads outputs as a prediction. `scores` are a multi-output perceptron's
 * pre-activations z, whose argmax picks the class.
 */
export function readPrediction(
  spec: Spec,
  classes: readonly (string | number)[] | null,
  outputs: Float32Array,
  rows: number,
  scores?: Float32Array,
): Prediction {
  const width = outputs.length / rows
  const prediction: Prediction = { outputs: toRows(outputs, rows, width) }
  if (classes === null) return prediction

  const labels: (string | number)[] = new Array(rows)
  const cut = threshold(spec)
  for (let r = 0; r < rows; r++) {
    const pick = width === 1
      ? (outputs[r] >= cut ? 1 : 0)
      : argmaxAt(scores ?? outputs, r * width, width)
    labels[r] = classes[pick]
  }
  prediction.labels = labels
  if (spec.kind === 'mlp') {
    prediction.probabilities =
      width === 1 ? prediction.outputs.map(([a]) => [1 - a, a]) : prediction.outputs
  }
  return prediction
}

/** Returns the cut that decides class 1 for a one-unit output. */
function threshold(spec: Spec): number {
  // a sigmoid gives a probability; a threshold unit gives 1 for its class
  return spec.kind === 'mlp' ? 0.5 : 1
}

/** Returns the index of the largest value; the first one on ties. */
export function argmax(values: Float32Array): number {
  return argmaxAt(values, 0, values.length)
}

// argmax over values[start .. start + width), without a subarray per row
function argmaxAt(values: Float32Array, start: number, width: number): number {
  let best = 0
  for (let i = 1; i < width; i++) if (values[start + i] > values[start + best]) best = i
  return best
}

/**
 * Computes z = x·W + b in f32 for a perceptron, summing over the inputs in
 * order and adding the bias last, as the kernels do.
 */
export function perceptronScores(
  x: Float32Array,
  parameters: Float32Array,
  rows: number,
  inputs: number,
  outputs: number,
): Float32Array {
  const z = new Float32Array(rows * outputs)
  const bias = inputs * outputs
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < outputs; j++) {
      let sum = 0
      for (let p = 0; p < inputs; p++) {
        sum = Math.fround(sum + Math.fround(x[r * inputs + p] * parameters[p * outputs + j]))
      }
      z[r * outputs + j] = Math.fround(sum + parameters[bias + j])
    }
  }
  return z
}

/** Scores a perceptron: loss = share of wrong outputs, accuracy = share of rows all right. */
export function perceptronScore(
  predicted: Float32Array,
  targets: Float32Array,
  rows: number,
): { loss: number; accuracy: number } {
  const width = targets.length / rows
  let wrongOutputs = 0
  let rightRows = 0
  for (let r = 0; r < rows; r++) {
    let wrong = 0
    for (let j = r * width; j < (r + 1) * width; j++) if (predicted[j] !== targets[j]) wrong++
    wrongOutputs += wrong
    if (wrong === 0) rightRows++
  }
  return { loss: wrongOutputs / (rows * width), accuracy: rightRows / rows }
}
