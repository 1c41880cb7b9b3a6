/**
 * What a child process of the benchmark reports to run.ts, and the systems
 * a child can run.
 */
import type { Timing } from './timing.ts'

/** Holds one task's numbers: ms per call and the rate they give. */
export interface TaskResult {
  unit: 'samples/s' | 'GFLOP/s'
  ms: Timing
  /** Rates from the slowest, middle and fastest repetitions. */
  rate: { min: number; median: number; max: number }
}

/** Holds everything a child reports. */
export interface SystemResult {
  system: string
  facts: Record<string, unknown>
  tasks: Record<string, TaskResult>
}

/** Lists the systems a child can run. */
export const SYSTEMS = ['peak', 'edgeprop', 'tfjs-wasm', 'tfjs-cpu', 'plain-ts'] as const
