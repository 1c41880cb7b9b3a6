/**
 * Times one piece of work the way every system in the benchmark is timed:
 * calibrate how many calls make a repetition long enough to read a clock
 * reliably, warm up until V8 has tiered the code up (repetition times stop
 * falling), then time several repetitions and keep min, median and max.
 * run.ts takes the systems in turn for each round of repetitions, so a
 * change in the machine's load falls on every system alike.
 *
 * The clock is the process's CPU time (user + system, process.cpuUsage),
 * so time the OS hands to other processes on a shared machine does not
 * count. Every system here runs on one thread, so on an idle machine CPU
 * time and wall time agree; the wall time of each repetition is kept too.
 */

/** Sets how long each phase runs. */
export interface TimingPlan {
  /** Aims each timed repetition at about this many milliseconds. */
  repetitionMs: number
  /** Counts the timed repetitions of each system, over all rounds. */
  repetitions: number
  /** Splits the repetitions into rounds that take the systems in turn. */
  rounds: number
  /** Warms up for at least this long before looking for a steady state. */
  warmupMs: number
  /** Stops warming up after this long even if times still move. */
  maxWarmupMs: number
}

/** Holds CPU ms per call: the fastest, middle and slowest repetition. */
export interface Timing {
  min: number
  median: number
  max: number
  /** Gives the middle repetition's wall-clock ms per call. */
  wallMedian: number
  /** Counts calls in one repetition. */
  calls: number
  repetitions: number
}

/** Holds the ms per call of each repetition timed so far. */
export interface Repetitions {
  cpu: number[]
  wall: number[]
}

/** Runs a full benchmark: 9 repetitions of about 50 ms, in 3 rounds. */
export const FULL_PLAN: TimingPlan = {
  repetitionMs: 50,
  repetitions: 9,
  rounds: 3,
  warmupMs: 400,
  maxWarmupMs: 3000,
}

/** Runs the short mode (`--quick`): fewer, shorter repetitions. */
export const QUICK_PLAN: TimingPlan = {
  repetitionMs: 15,
  repetitions: 4,
  rounds: 2,
  warmupMs: 100,
  maxWarmupMs: 800,
}

/** Returns the middle value of a list (the mean of the two middle ones). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2
}

// runs `calls` calls and returns the CPU milliseconds they took
function clock(work: () => void, calls: number): number {
  return clockBoth(work, calls).cpu
}

function clockBoth(work: () => void, calls: number): { cpu: number; wall: number } {
  const wall = performance.now()
  const start = process.cpuUsage()
  for (let i = 0; i < calls; i++) work()
  const used = process.cpuUsage(start)
  return { cpu: (used.user + used.system) / 1000, wall: performance.now() - wall }
}

// doubles the call count until one repetition lasts a quarter of the aim
function calibrate(work: () => void, plan: TimingPlan): number {
  let calls = 1
  let elapsed = clock(work, calls)
  while (elapsed < plan.repetitionMs / 4 && calls < 1 << 24) {
    calls *= 2
    elapsed = clock(work, calls)
  }
  const perCall = Math.max(elapsed / calls, 1e-6)
  return Math.max(1, Math.round(plan.repetitionMs / perCall))
}

// true when the last three repetitions lie within 5% of their median
function steady(times: readonly number[]): boolean {
  if (times.length < 3) return false
  const last = times.slice(-3)
  const middle = median(last)
  return last.every((t) => Math.abs(t - middle) <= 0.05 * middle)
}

/** Warms `work` up; returns how many calls make one repetition. */
export function warmUp(work: () => void, plan: TimingPlan): number {
  const calls = calibrate(work, plan)
  const started = performance.now()
  const warm: number[] = []
  for (;;) {
    warm.push(clock(work, calls))
    const spent = performance.now() - started
    if (spent >= plan.maxWarmupMs) break
    if (spent >= plan.warmupMs && steady(warm)) break
  }
  // the tiered-up code may be much faster than the calibration saw
  return Math.max(1, Math.round(calls * plan.repetitionMs / median(warm.slice(-3))))
}

/** Times `count` repetitions of `calls` calls; returns ms per call of each. */
export function repeat(work: () => void, calls: number, count: number): Repetitions {
  const cpu: number[] = []
  const wall: number[] = []
  for (let r = 0; r < count; r++) {
    const used = clockBoth(work, calls)
    cpu.push(used.cpu / calls)
    wall.push(used.wall / calls)
  }
  return { cpu, wall }
}

/** Sums repetitions up as min, median and max of CPU ms per call. */
export function summarize(times: Repetitions, calls: number): Timing {
  return {
    min: Math.min(...times.cpu),
    median: median(times.cpu),
    max: Math.max(...times.cpu),
    wallMedian: median(times.wall),
    calls,
    repetitions: times.cpu.length,
  }
}
