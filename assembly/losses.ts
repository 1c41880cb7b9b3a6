// Losses, summed over outputs and averaged over the m rows of a batch:
//   mse                   C = (1/2m) Σ (a − y)²
//   binary-cross-entropy  C = −(1/m) Σ [y log a + (1 − y) log(1 − a)]
//   cross-entropy         C = −(1/m) Σ y log a
// Probabilities are clamped to [1e-7, 1 − 1e-7] inside logs, so finite
// inputs never give NaN. Values are summed in f64, in row-major order.

import {
  ACTIVATION_HEAVISIDE, ACTIVATION_SIGMOID, ACTIVATION_SIGN, ACTIVATION_SOFTMAX,
  ACTIVATION_TANH, LOSS_BINARY_CROSS_ENTROPY, LOSS_CROSS_ENTROPY, LOSS_MSE,
} from './enums'

const LOWEST: f64 = 1e-7
const HIGHEST: f64 = 1 - 1e-7

/** Tells whether a code names a known loss. */
export function isLoss(kind: i32): bool {
  return kind >= LOSS_MSE && kind <= LOSS_CROSS_ENTROPY
}

// @ts-ignore: decorator
@inline function clampProbability(p: f64): f64 {
  return min(max(p, LOWEST), HIGHEST)
}

/** Returns the loss summed (not averaged) over `count` values of a and y. */
export function lossSum(kind: i32, count: i32, a: usize, y: usize): f64 {
  let sum: f64 = 0
  for (let i = 0; i < count; i++) {
    const at = <usize>i << 2
    const output = <f64>load<f32>(a + at)
    const target = <f64>load<f32>(y + at)
    if (kind == LOSS_MSE) {
      const error = output - target
      sum += 0.5 * error * error
    } else if (kind == LOSS_BINARY_CROSS_ENTROPY) {
      const p = clampProbability(output)
      sum -= target * Math.log(p) + (1 - target) * Math.log(1 - p)
    } else {
      sum -= target * Math.log(clampProbability(output))
    }
  }
  return sum
}

/**
 * Writes out = ∂C/∂a for `count` values, with C averaged over `rows`:
 * mse (a − y)/m; bce −(y/p − (1 − y)/(1 − p))/m; ce −(y/p)/m, where p
 * is a clamped. out may alias a or y.
 */
export function lossBackward(
  kind: i32, rows: i32, count: i32, a: usize, y: usize, out: usize,
): void {
  const m = <f64>rows
  for (let i = 0; i < count; i++) {
    const at = <usize>i << 2
    const output = <f64>load<f32>(a + at)
    const target = <f64>load<f32>(y + at)
    let gradient: f64
    if (kind == LOSS_MSE) {
      gradient = output - target
    } else if (kind == LOSS_BINARY_CROSS_ENTROPY) {
      const p = clampProbability(output)
      gradient = -(target / p - (1 - target) / (1 - p))
    } else {
      gradient = -(target / clampProbability(output))
    }
    store<f32>(out + at, <f32>(gradient / m))
  }
}

/** Tells whether the output error fuses to δ = (a − y)/m for this pair. */
export function isFused(loss: i32, activation: i32): bool {
  return (loss == LOSS_CROSS_ENTROPY && activation == ACTIVATION_SOFTMAX) ||
    (loss == LOSS_BINARY_CROSS_ENTROPY && activation == ACTIVATION_SIGMOID)
}

/** Writes the fused output error δ = (a − y)/m for `count` values. */
export function fusedDelta(
  rows: i32, count: i32, a: usize, y: usize, out: usize,
): void {
  const m = <f32>rows
  const divisor = f32x4.splat(m)
  let i = 0
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2
    const error = f32x4.sub(v128.load(a + at), v128.load(y + at))
    v128.store(out + at, f32x4.div(error, divisor))
  }
  for (; i < count; i++) {
    const at = <usize>i << 2
    store<f32>(out + at, (load<f32>(a + at) - load<f32>(y + at)) / m)
  }
}

/**
 * Counts rows of a classified as y says. Step outputs must equal y
 * exactly; sigmoid outputs agree on every output at 0.5; softmax rows
 * agree on the argmax; other rows of one output agree at 0 (tanh) or 0.5,
 * and of several outputs on the argmax.
 */
export function countCorrect(
  activation: i32, rows: i32, width: i32, a: usize, y: usize,
): i32 {
  const exact = activation == ACTIVATION_HEAVISIDE ||
    activation == ACTIVATION_SIGN
  const threshold: f32 = activation == ACTIVATION_TANH ? 0 : 0.5
  const byArgmax = !exact && activation != ACTIVATION_SIGMOID &&
    (activation == ACTIVATION_SOFTMAX || width > 1)
  const rowBytes = <usize>width << 2
  let correct = 0
  for (let i = 0; i < rows; i++) {
    if (byArgmax) {
      if (argmax(width, a) == argmax(width, y)) correct++
    } else if (rowAgrees(width, a, y, exact, threshold)) {
      correct++
    }
    a += rowBytes
    y += rowBytes
  }
  return correct
}

/** Returns the index of the first largest of `width` values. */
export function argmax(width: i32, row: usize): i32 {
  let best = 0
  let largest = load<f32>(row)
  for (let j = 1; j < width; j++) {
    const value = load<f32>(row + (<usize>j << 2))
    if (value > largest) {
      largest = value
      best = j
    }
  }
  return best
}

function rowAgrees(
  width: i32, a: usize, y: usize, exact: bool, threshold: f32,
): bool {
  for (let j = 0; j < width; j++) {
    const output = load<f32>(a + (<usize>j << 2))
    const target = load<f32>(y + (<usize>j << 2))
    const differ = exact
      ? output != target
      : (output >= threshold) != (target >= threshold)
    if (differ) return false
  }
  return true
}
