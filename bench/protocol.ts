/**
 * How run.ts and its child processes talk (Node's IPC channel, one message
 * at a time), what they report, and the systems a child can run.
 */
import type { Repetitions, Timing } from './timing.ts'

/** Lists the systems a child can run. */
export const SYSTEMS = ['peak', 'edgeprop', 'tfjs-wasm', 'tfjs-cpu', 'plain-ts'] as const

/** Asks a child to do one thing; it answers each with one Reply. */
export type Command =
  | { kind: 'prepare'; task: string }
  | { kind: 'time'; task: string; repetitions: number }
  | { kind: 'finish'; task: string }

/** Answers a Command, or says the child is ready (first) or failed. */
export type Reply =
  | { kind: 'ready'; facts: Record<string, unknown> }
  | { kind: 'prepared'; units: number; calls: number }
  | { kind: 'timed'; times: Repetitions }
  | { kind: 'finished' }
  | { kind: 'failed'; message: string }

/** Holds one task's numbers: ms per call and the rate they give. */
export interface TaskResult {
  unit: 'samples/s' | 'GFLOP/s'
  ms: Timing
  /** Rates from the slowest, middle and fastest repetitions. */
  rate: { min: number; median: number; max: number }
}

/** Holds everything measured for one system. */
export interface SystemResult {
  system: string
  facts: Record<string, unknown>
  tasks: Record<string, TaskResult>
}

/** Turns repetitions into a task result; units are samples or flops per call. */
export function resultOf(
  units: number, timing: Timing, unit: TaskResult['unit'],
): TaskResult {
  // GFLOP/s from flops per call and ms per call: flops / (ms · 1e6)
  const scale = unit === 'GFLOP/s' ? 1e-6 : 1e3
  const rate = (ms: number) => (units / ms) * scale
  return {
    unit,
    ms: timing,
    rate: { min: rate(timing.max), median: rate(timing.median), max: rate(timing.min) },
  }
}
