/**
 * The shape every system's runner takes: for each task it prepares its
 * model and data outside the clock and hands back one call to time.
 */
import type { BenchNetwork, Dataset } from '../tasks.ts'

/** Holds one call to time and how much work one call does. */
export interface Work {
  run: () => void
  /** Counts samples (train, predict) or flops (matmul) per call. */
  units: number
  /** Frees what the task held, once it has been timed. */
  dispose?: () => void
}

/** Prepares the timed call of each kind of task for one system. */
export interface BenchSystem {
  /** One call trains one epoch over the data set in batches. */
  train(network: BenchNetwork, data: Dataset): Promise<Work>
  /** One call predicts `batch` rows. */
  predict(network: BenchNetwork, data: Dataset, batch: number): Promise<Work>
  /** One call multiplies two size×size f32 matrices. */
  matmul(size: number): Promise<Work>
  /** Reports facts about the system worth keeping with its numbers. */
  describe(): Promise<Record<string, unknown>>
}

/** Fills a buffer with values in [-1, 1) from a fixed seed. */
export function fillSigned(values: Float32Array, seed: number): Float32Array {
  let state = seed >>> 0
  for (let i = 0; i < values.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    values[i] = state / 2147483648 - 1
  }
  return values
}

/** Counts the flops of one size×size matrix product. */
export function matmulFlops(size: number): number {
  return 2 * size * size * size
}
