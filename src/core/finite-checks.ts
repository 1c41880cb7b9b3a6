/**
 * Refusals for values that pass the f32 range (±3.4e38) because of the
 * inputs: a forward pass whose outputs, loss or gradients are not finite,
 * and a train call whose rows overflow the running variance.
 *
 * NOTE: x has no fixed bound beyond f32's own range (samples.ts): whether
 * a row overflows depends on the weights it meets, so the library checks
 * the result of every forward pass it exposes instead of guessing a limit.
 */
import { EdgepropError, formatPath } from './errors.ts'
import { perceptronScores } from './results.ts'
import type { PackedInputs } from './samples.ts'
import type { Spec } from './spec.ts'

const F32_MAX = 3.4028234663852886e38

/** Returns the first row of a rows×width buffer holding NaN or ±Infinity, or −1. */
export function firstNonFiniteRow(values: Float32Array, width: number): number {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) return Math.floor(i / width)
  }
  return -1
}

/** Builds the refusal for a row (−1: some row) a forward pass takes past f32. */
export function forwardOverflow(
  spec: Spec,
  inputs: PackedInputs,
  row: number,
  what: 'outputs' | 'loss' | 'gradients' | 'weighted sums',
): EdgepropError {
  const path = row < 0 || inputs.single ? ['x'] : ['x', row]
  return new EdgepropError('invalid-data', [{
    path,
    message:
      `${formatPath(path)} drives the ${what} past the f32 range (±3.4e38): the inputs ` +
      `are too large for this model's weights, and nothing was changed; ${advice(spec)}`,
  }])
}

/**
 * Builds the refusal for rows whose gradient is not finite before any step,
 * blaming x or y, whichever holds the larger value: a regression target
 * near the f32 range overflows δ = a − y whatever the inputs are.
 */
export function gradientOverflow(
  spec: Spec,
  inputs: PackedInputs,
  targets: Float32Array,
  width: number,
) {
  const input = largestInput(inputs, width, -1)
  const target = largestInput({ data: targets }, targets.length / inputs.rows, -1)
  const inY = Math.abs(target.value) > Math.abs(input.value)
  const { row, value } = inY ? target : input
  const field = inY ? 'y' : 'x'
  const path = inputs.single ? [field] : [field, row]
  const fix = inY ? 'scale the targets down' : advice(spec)
  return new EdgepropError('invalid-data', [{
    path,
    message:
      `${formatPath(path)} (its largest value is ${short(value)}) gives an infinite or NaN ` +
      'gradient at the current weights, so no learning rate can train on it and the ' +
      `network was left as it was; ${fix}`,
  }])
}

/** Builds the refusal for rows that overflow the running variance of `column`. */
export function statisticsOverflow(inputs: PackedInputs, width: number, column: number) {
  const { row, value } = largestInput(inputs, width, column)
  const path = inputs.single ? ['x', column] : ['x', row, column]
  return new EdgepropError('invalid-data', [{
    path,
    message:
      `${formatPath(path)} is ${short(value)}: merged into the running variance of input ` +
      `${column} it passes the f32 range (3.4e38), so inputScaling 'standardize' cannot ` +
      'hold it and the network was left as it was; scale that input down (its values ' +
      'must stay well within ±1e19)',
  }])
}

/** Writes an f32 value with 7 significant digits at most: 1e+20, not 100000002004087730000. */
function short(value: number): string {
  const rounded = Number(value.toPrecision(7))
  return Math.abs(rounded) >= 1e6 ? rounded.toExponential() : String(rounded)
}

function advice(spec: Spec): string {
  const scalable = spec.kind === 'mlp' && spec.inputScaling === 'none'
  return scalable ? "scale the inputs down or use inputScaling: 'standardize'"
    : 'scale the inputs down'
}

/** Finds the row holding the largest |value| (in one column, or any when −1). */
function largestInput(inputs: { data: Float32Array }, width: number, column: number) {
  const data = inputs.data
  const stride = column >= 0 ? width : 1
  let best = Math.max(column, 0)
  for (let i = best; i < data.length; i += stride) {
    if (Math.abs(data[i]) > Math.abs(data[best])) best = i
  }
  return { row: Math.floor(best / width), value: data[best] }
}

/**
 * Returns the first input whose running variance would leave f32 when the
 * rows are merged into the statistics, or −1; the arithmetic is the core's
 * (f64 sums over the rows in order, Chan's merge, one rounding to f32).
 */
export function overflowingColumn(
  inputs: PackedInputs,
  width: number,
  scaling: Float32Array,
  count: number,
): number {
  const { rows, data } = inputs
  const total = count + rows
  for (let c = 0; c < width; c++) {
    let sum = 0
    for (let r = 0; r < rows; r++) sum += data[r * width + c]
    const batchMean = sum / rows
    let squares = 0
    for (let r = 0; r < rows; r++) squares += (data[r * width + c] - batchMean) ** 2
    const shift = batchMean - scaling[c]
    const spread = scaling[width + c] * count + squares + shift * shift * count * rows / total
    if (!Number.isFinite(Math.fround(spread / total))) return c
  }
  return -1
}

/**
 * Returns the first row whose perceptron sums z = x·W + b leave f32, or −1.
 * A row passes at once when Σ|x|·max|W| + max|b| stays below half the f32
 * range (rounding cannot double a sum); the rest get z computed exactly.
 */
export function perceptronOverflowRow(
  x: Float32Array,
  parameters: Float32Array,
  rows: number,
  inputs: number,
  outputs: number,
): number {
  const weights = parameters.subarray(0, inputs * outputs)
  const largestWeight = largestMagnitude(weights)
  const largestBias = largestMagnitude(parameters.subarray(inputs * outputs))
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * inputs, (r + 1) * inputs)
    const bound = largestMagnitude(row) * inputs * largestWeight + largestBias
    if (bound < F32_MAX / 2) continue
    const z = perceptronScores(row, parameters, 1, inputs, outputs)
    if (!z.every(Number.isFinite)) return r
  }
  return -1
}

function largestMagnitude(values: Float32Array): number {
  let largest = 0
  for (const value of values) largest = Math.max(largest, Math.abs(value))
  return largest
}
