/**
 * The targets of issue 6, each checked against one run's numbers: ratios
 * of edgeprop to a peer (medians), shares of the f32x4 limit, workerd CPU
 * time and the size and start-up cost of core.wasm.
 */
import type { ProfileShares } from './isolate-profile.ts'
import type { SystemResult } from './protocol.ts'

/** Holds the workerd measurements (see workerd.ts), per request. */
export interface WorkerdResult {
  /** Process CPU: everything workerd did, simulators included. */
  trainCpuMs: number
  predictCpuMs: number
  floorCpuMs: number
  /** Where the isolate's samples fell during each kind of request. */
  profiles: { train: ProfileShares; predict: ProfileShares }
  calls: { train: number; predict: number; floor: number }
  /** The same requests answered by an empty Worker: what any request costs. */
  emptyWorker: { trainCpuMs: number; predictCpuMs: number; floorCpuMs: number }
}

/** Returns the Worker's own CPU for a call: the process's, less an empty Worker's. */
export function ownCpuMs(numbers: WorkerdResult, call: 'train' | 'predict' | 'floor'): number {
  const key = `${call}CpuMs` as const
  return numbers[key] - numbers.emptyWorker[key]
}

/** Holds what a run measured, keyed by system name. */
export interface RunNumbers {
  systems: Record<string, SystemResult>
  workerd?: WorkerdResult | { error: string }
}

/** Tells how one target fared. */
export interface TargetCheck {
  target: string
  measured: string
  met: boolean | null
}

/** Returns a task's median rate for a system, or NaN when it has none. */
export function rateOf(run: RunNumbers, system: string, task: string): number {
  return run.systems[system]?.tasks[task]?.rate.median ?? NaN
}

/** Returns edgeprop's median rate over a peer's for one task. */
export function ratioOf(run: RunNumbers, peer: string, task: string): number {
  return rateOf(run, 'edgeprop', task) / rateOf(run, peer, task)
}

const PEERS = ['tfjs-wasm', 'tfjs-cpu', 'plain-ts']

function ratioCheck(run: RunNumbers, task: string, peer: string, floor: number) {
  const best = peer === 'best'
    ? PEERS.reduce((a, b) => (rateOf(run, b, task) > rateOf(run, a, task) ? b : a))
    : peer
  const ratio = ratioOf(run, best, task)
  return {
    target: `${task}: ≥ ${floor}× ${peer === 'best' ? 'the best peer' : peer}`,
    measured: `${ratio.toFixed(2)}× ${best}`,
    met: Number.isFinite(ratio) ? ratio >= floor : null,
  }
}

function peakCheck(run: RunNumbers, task: string): TargetCheck {
  const share = rateOf(run, 'edgeprop', task) / rateOf(run, 'peak', 'peak')
  return {
    target: `${task}: ≥ 60% of the f32x4 limit`,
    measured: `${(share * 100).toFixed(0)}%`,
    met: Number.isFinite(share) ? share >= 0.6 : null,
  }
}

function limitCheck(target: string, value: number | undefined, limit: number, unit: string) {
  const known = value !== undefined && Number.isFinite(value)
  return {
    target,
    measured: known ? `${value.toFixed(unit === 'KB' ? 1 : 2)} ${unit}` : 'not measured',
    met: known ? value < limit : null,
  }
}

// judged on the Worker's own CPU, which is what Workers bills
function workerdChecks(run: RunNumbers): TargetCheck[] {
  const numbers = run.workerd && 'trainCpuMs' in run.workerd ? run.workerd : undefined
  const own = (call: 'train' | 'predict') => (numbers ? ownCpuMs(numbers, call) : undefined)
  return [
    limitCheck('workerd: 64-row train call < 10 ms CPU', own('train'), 10, 'ms'),
    limitCheck('workerd: warm 1-row predict < 1 ms CPU', own('predict'), 1, 'ms'),
  ]
}

/** Checks every target of the issue against one run. */
export function checkTargets(run: RunNumbers): TargetCheck[] {
  const facts = run.systems.edgeprop?.facts ?? {}
  const checks: TargetCheck[] = [
    ratioCheck(run, 'train xor 2-4-1 b32', 'best', 1.5),
    ratioCheck(run, 'train digits 64-32-10 b32', 'tfjs-wasm', 3),
    ratioCheck(run, 'train 784-128-10 b64', 'tfjs-wasm', 4),
  ]
  for (const network of ['xor 2-4-1', 'digits 64-32-10', '784-128-10']) {
    checks.push(ratioCheck(run, `predict ${network} b1`, 'tfjs-wasm', 3))
    checks.push(ratioCheck(run, `predict ${network} b256`, 'tfjs-wasm', 1.5))
  }
  for (const size of [256, 512]) {
    checks.push(ratioCheck(run, `matmul ${size}`, 'tfjs-wasm', 1.2))
    checks.push(peakCheck(run, `matmul ${size}`))
  }
  checks.push(...workerdChecks(run))
  const kilobytes = typeof facts.coreBytes === 'number' ? facts.coreBytes / 1024 : undefined
  checks.push(limitCheck('core.wasm < 64 KB', kilobytes, 64, 'KB'))
  // the measure: a fresh instance of the compiled module (as a
  // Worker isolate makes one); the compile is in the table beside it
  const instantiate = facts.firstInstantiateMs as number | undefined
  checks.push(limitCheck('instantiating core.wasm < 5 ms', instantiate, 5, 'ms'))
  return checks
}
