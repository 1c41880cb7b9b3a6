/**
 * One system's side of `npm run bench`, run in a process of its own so no
 * system's JIT state, heap or wasm memory touches another's. run.ts forks
 *
 *   node bench/child.ts <system> [--quick] [--peak=<module>]
 *
 * (system: edgeprop | tfjs-wasm | tfjs-cpu | plain-ts | peak) and sends it
 * commands over the IPC channel: prepare a task (build it and warm it up),
 * time some repetitions of it, finish it. The child answers each in turn.
 */
import { readFileSync } from 'node:fs'
import { SYSTEMS, type Command, type Reply } from './protocol.ts'
import type { BenchSystem, Work } from './systems/work.ts'
import { allTasks, datasetFor, NETWORKS, type Dataset, type NetworkName } from './tasks.ts'
import { FULL_PLAN, QUICK_PLAN, repeat, warmUp, type TimingPlan } from './timing.ts'

interface Prepared {
  work: Work
  calls: number
}

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

// the f32x4 limit, from the module run.ts compiled, as a system of one task
async function peakSystem(path: string): Promise<(task: string) => Promise<Work>> {
  const module = await WebAssembly.compile(readFileSync(path))
  const instance = await WebAssembly.instantiate(module, {})
  const peak = instance.exports.peak as (n: number, s: number, t: number) => number
  const iterations = 1_000_000
  // 12 chains, each multiply-add 8 flops (4 lanes, a multiply and an add)
  const work = { run: () => void peak(iterations, 0.99999, 1e-5), units: iterations * 96 }
  return async () => work
}

function taskBuilder(system: BenchSystem): (task: string) => Promise<Work> {
  const data = new Map<NetworkName, Dataset>()
  const dataOf = (name: NetworkName) => {
    if (!data.has(name)) data.set(name, datasetFor(name))
    return data.get(name)!
  }
  return async (name) => {
    const task = allTasks().find((candidate) => candidate.name === name)
    if (task === undefined) throw new Error(`unknown task '${name}'`)
    if (task.kind === 'matmul') return system.matmul(task.size)
    const network = NETWORKS[task.network]
    if (task.kind === 'train') return system.train(network, dataOf(task.network))
    return system.predict(network, dataOf(task.network), task.batch)
  }
}

async function answer(
  command: Command, build: (task: string) => Promise<Work>,
  prepared: Map<string, Prepared>, plan: TimingPlan,
): Promise<Reply> {
  if (command.kind === 'prepare') {
    const work = await build(command.task)
    const calls = warmUp(work.run, plan)
    prepared.set(command.task, { work, calls })
    return { kind: 'prepared', units: work.units, calls }
  }
  const entry = prepared.get(command.task)
  if (entry === undefined) throw new Error(`task '${command.task}' was not prepared`)
  if (command.kind === 'time') {
    return { kind: 'timed', times: repeat(entry.work.run, entry.calls, command.repetitions) }
  }
  entry.work.dispose?.()
  prepared.delete(command.task)
  return { kind: 'finished' }
}

async function main(): Promise<void> {
  const [name, ...flags] = process.argv.slice(2)
  if (!name || process.send === undefined) {
    throw new Error('run bench/child.ts through bench/run.ts (it needs an IPC channel)')
  }
  const plan = flags.includes('--quick') ? QUICK_PLAN : FULL_PLAN
  const peakModule = flags.find((flag) => flag.startsWith('--peak='))?.slice(7)
  const reply = (message: Reply) => process.send!(message)
  let build: (task: string) => Promise<Work>
  let facts: Record<string, unknown> = {}
  if (name === 'peak') {
    if (!peakModule) throw new Error('the peak system needs --peak=<compiled module>')
    build = await peakSystem(peakModule)
  } else {
    const system = await loadSystem(name)
    // first, while nothing has compiled core.wasm in this process yet
    facts = await system.describe()
    build = taskBuilder(system)
  }
  const prepared = new Map<string, Prepared>()
  process.on('message', (command: Command) => {
    answer(command, build, prepared, plan).then(reply, (error: Error) =>
      reply({ kind: 'failed', message: error.stack ?? error.message }))
  })
  process.on('disconnect', () => process.exit(0))
  reply({ kind: 'ready', facts })
}

await main()
