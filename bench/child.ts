/**
 * One system's side of `npm run bench`, run in a process of its own so no
 * system's JIT state, heap or wasm memory touches another's:
 *
 *   node bench/child.ts <system> <out.json> [--quick]
 *
 * system: edgeprop | tfjs-wasm | tfjs-cpu | plain-ts | peak. Writes
 * { system, facts, tasks: { [name]: result } } to out.json.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { allTasks, datasetFor, NETWORKS, type Dataset, type NetworkName } from './tasks.ts'
import { FULL_PLAN, QUICK_PLAN, measure, type Timing, type TimingPlan } from './timing.ts'
import type { BenchSystem, Work } from './systems/work.ts'
import { SYSTEMS, type SystemResult, type TaskResult } from './protocol.ts'

async function loadSystem(name: string): Promise<BenchSystem> {
  if (name === 'edgeprop') return (await import('./systems/edgeprop.ts')).edgeprop
  if (name === 'plain-ts') return (await import('./systems/plain.ts')).plain
  if (name === 'tfjs-wasm' || name === 'tfjs-cpu') {
    const module = await import('./systems/tfjs.ts')
    await module.useBackend(name === 'tfjs-wasm' ? 'wasm' : 'cpu')
    return module.tfjs
  }
  throw new Error(`unknown system '${name}'; expected one of ${SYSTEMS.join(', ')}`)
}

function resultOf(work: Work, timing: Timing, unit: TaskResult['unit']): TaskResult {
  // GFLOP/s from flops per call and ms per call: flops / (ms · 1e6)
  const scale = unit === 'GFLOP/s' ? 1e-6 : 1e3
  const rate = (ms: number) => (work.units / ms) * scale
  return {
    unit,
    ms: timing,
    rate: { min: rate(timing.max), median: rate(timing.median), max: rate(timing.min) },
  }
}

async function runTasks(system: BenchSystem, plan: TimingPlan) {
  const data = new Map<NetworkName, Dataset>()
  const dataOf = (name: NetworkName) => {
    if (!data.has(name)) data.set(name, datasetFor(name))
    return data.get(name)!
  }
  const results: Record<string, TaskResult> = {}
  for (const task of allTasks()) {
    let work: Work
    if (task.kind === 'matmul') work = await system.matmul(task.size)
    else if (task.kind === 'train') {
      work = await system.train(NETWORKS[task.network], dataOf(task.network))
    } else {
      const network = NETWORKS[task.network]
      work = await system.predict(network, dataOf(task.network), task.batch)
    }
    const unit = task.kind === 'matmul' ? 'GFLOP/s' : 'samples/s'
    results[task.name] = resultOf(work, measure(work.run, plan), unit)
    work.dispose?.()
  }
  return results
}

// the f32x4 multiply-add limit, from the module run.ts compiled
async function runPeak(path: string, plan: TimingPlan): Promise<SystemResult> {
  const module = await WebAssembly.compile(readFileSync(path))
  const instance = await WebAssembly.instantiate(module, {})
  const peak = instance.exports.peak as (n: number, s: number, t: number) => number
  const iterations = 1_000_000
  const chains = 12
  const work: Work = {
    run: () => void peak(iterations, 0.99999, 1e-5),
    units: iterations * chains * 8,
  }
  const result = resultOf(work, measure(work.run, plan), 'GFLOP/s')
  return { system: 'peak', facts: { chains, iterations }, tasks: { peak: result } }
}

async function main(): Promise<void> {
  const [name, out, ...flags] = process.argv.slice(2)
  if (!name || !out) {
    throw new Error('usage: node bench/child.ts <system> <out.json> [--quick] [--peak=file]')
  }
  const plan = flags.includes('--quick') ? QUICK_PLAN : FULL_PLAN
  if (name === 'peak') {
    const module = flags.find((flag) => flag.startsWith('--peak='))?.slice(7)
    if (!module) throw new Error('the peak system needs --peak=<compiled module>')
    writeFileSync(out, JSON.stringify(await runPeak(module, plan)))
    return
  }
  const system = await loadSystem(name)
  // first, while nothing has compiled core.wasm in this process yet
  const facts = await system.describe()
  const tasks = await runTasks(system, plan)
  writeFileSync(out, JSON.stringify({ system: name, facts, tasks } satisfies SystemResult))
}

await main()
