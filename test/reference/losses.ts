/**
 * Losses C and their gradients ∂C/∂a, in plain f64.
 *
 * Every loss is summed over the outputs of a row and averaged over the m rows
 * of the batch, so each gradient already carries the 1/m. Probabilities are
 * clamped to [1e-7, 1 − 1e-7] inside the logs.
 */
import type { LossName } from '../../src/core/enums.ts'

/** The smallest probability a log sees. */
export const PROBABILITY_FLOOR = 1e-7

/** Returns p clamped to [1e-7, 1 − 1e-7]. */
export function clampProbability(p: number): number {
  return Math.min(Math.max(p, PROBABILITY_FLOOR), 1 - PROBABILITY_FLOOR)
}

/** Returns one (output, target) pair's term of the loss, before the 1/m. */
function lossTerm(loss: LossName, a: number, y: number): number {
  switch (loss) {
    case 'mse':
      return 0.5 * (a - y) ** 2
    case 'binary-cross-entropy': {
      const p = clampProbability(a)
      return -(y * Math.log(p) + (1 - y) * Math.log(1 - p))
    }
    case 'cross-entropy':
      return -y * Math.log(clampProbability(a))
  }
}

/** Returns ∂(term)/∂a for one pair, before the 1/m (clamped p in the logs). */
function lossTermGradient(loss: LossName, a: number, y: number): number {
  switch (loss) {
    case 'mse':
      return a - y
    case 'binary-cross-entropy': {
      const p = clampProbability(a)
      return -y / p + (1 - y) / (1 - p)
    }
    case 'cross-entropy':
      return -y / clampProbability(a)
  }
}

/** Returns C for outputs a against targets y (both rows × outputs). */
export function lossValue(loss: LossName, a: number[][], y: number[][]): number {
  let total = 0
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < a[i].length; j++) total += lossTerm(loss, a[i][j], y[i][j])
  }
  return total / a.length
}

/** Returns ∂C/∂a for outputs a against targets y, the 1/m included. */
export function lossGradient(loss: LossName, a: number[][], y: number[][]): number[][] {
  const m = a.length
  return a.map((row, i) => row.map((aij, j) => lossTermGradient(loss, aij, y[i][j]) / m))
}
