// The raw kernels, exported for tests and benchmarks, and the check the
// library runs over inputs. Each checks its sizes and buffers once, here,
// and does nothing when they are invalid: a negative size, an unknown
// code, or a buffer that runs past memory.

import { scratchRegion } from './arena'
import { activate, activateBackward, isActivation } from './activations'
import { transpose as transposeKernel } from './dense'
import { firstNonFinite as findNonFinite } from './finite'
import { isLoss, lossBackward, lossSum } from './losses'
import { multiply } from './matmul'

// @ts-ignore: decorator
@inline function fits(pointer: usize, rows: i32, cols: i32): bool {
  if (rows < 0 || cols < 0) return false
  const end = <u64>pointer + (<u64>rows * <u64>cols << 2)
  return end <= (<u64>memory.size() << 16)
}

/** Returns a 16-byte-aligned scratch region of `bytes`; 0 if memory is full. */
export function scratch(bytes: i32): usize {
  return scratchRegion(bytes)
}

/** Writes out = a·b: a m×k, b k×n, out m×n, row-major; out must not alias. */
export function matmul(
  m: i32, k: i32, n: i32, a: usize, b: usize, out: usize,
): void {
  if (!fits(a, m, k) || !fits(b, k, n) || !fits(out, m, n)) return
  multiply(m, k, n, a, k, 1, b, n, 1, out)
}

/** Writes out = aᵀ: a rows×cols, out cols×rows; out must not alias. */
export function transpose(rows: i32, cols: i32, a: usize, out: usize): void {
  if (!fits(a, rows, cols) || !fits(out, cols, rows)) return
  transposeKernel(rows, cols, a, out)
}

/** Writes a = φ(z) over rows×width values (softmax: row by row). */
export function activationForward(
  activation: i32, rows: i32, width: i32, z: usize, out: usize, alpha: f64,
): void {
  if (!isActivation(activation) || !fits(z, rows, width)) return
  if (!fits(out, rows, width)) return
  activate(activation, rows, width, z, out, <f32>alpha)
}

/** Writes out = upstream ⊙ φ'(z) (softmax: the Jacobian-vector product). */
export function activationBackward(
  activation: i32, rows: i32, width: i32,
  z: usize, a: usize, upstream: usize, out: usize, alpha: f64,
): void {
  if (!isActivation(activation) || !fits(z, rows, width)) return
  if (!fits(a, rows, width) || !fits(upstream, rows, width)) return
  if (!fits(out, rows, width)) return
  activateBackward(activation, rows, width, z, a, upstream, out, <f32>alpha)
}

/** Returns the loss of outputs a against targets y; NaN if invalid. */
export function lossValue(
  loss: i32, rows: i32, width: i32, a: usize, y: usize,
): f64 {
  if (!isLoss(loss) || !fits(a, rows, width) || !fits(y, rows, width)) {
    return NaN
  }
  if (rows == 0) return 0
  return lossSum(loss, rows * width, a, y) / <f64>rows
}

/** Writes out = ∂C/∂a for outputs a and targets y, all rows×width. */
export function lossGradient(
  loss: i32, rows: i32, width: i32, a: usize, y: usize, out: usize,
): void {
  if (!isLoss(loss) || !fits(a, rows, width)) return
  if (!fits(y, rows, width) || !fits(out, rows, width)) return
  lossBackward(loss, rows, rows * width, a, y, out)
}

/** Returns the index of the first NaN or ±Infinity of count f32 values; −1 if none. */
export function firstNonFinite(values: usize, count: i32): i32 {
  if (!fits(values, 1, count)) return -1
  return findNonFinite(values, count)
}
