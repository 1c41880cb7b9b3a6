/**
 * `npm run bench`: edgeprop against TensorFlow.js (wasm and cpu backends)
 * and plain TypeScript, in one run, each system in a child process of its
 * own; then the API inside workerd, and a table of medians, ratios and
 * targets. For each task every child first builds and warms it up, then
 * the children take turns, a round of repetitions each, so a change in the
 * machine's load during a task falls on every system alike. Only one child
 * works at a time; the others wait for their next command.
 *
 *   npm run bench                      the full run (about 3 minutes)
 *   npm run bench -- --quick           shorter repetitions, for a smoke test
 *   npm run bench -- --skip-workerd    everything but the workerd timings
 *   npm run bench -- --only=edgeprop,tfjs-wasm
 *
 * Writes bench/results/bench-<time>.json and bench/results/latest.json.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import {
  SYSTEMS, resultOf, type Command, type Reply, type SystemResult,
} from './protocol.ts'
import { renderRun } from './report.ts'
import { allTasks } from './tasks.ts'
import { checkTargets, type RunNumbers } from './targets.ts'
import { FULL_PLAN, QUICK_PLAN, summarize, type Repetitions } from './timing.ts'

const ROOT = new URL('..', import.meta.url).pathname
const RESULTS = join(ROOT, 'bench/results')
const CHILD = join(ROOT, 'bench/child.ts')

// compiles bench/peak/peak.ts with the same SIMD settings as core.wasm
function compilePeak(): string {
  const out = join(RESULTS, 'peak.wasm')
  const asc = join(ROOT, 'node_modules/assemblyscript/bin/asc.js')
  const args = [asc, 'bench/peak/peak.ts', '--outFile', out, '--enable', 'simd',
    '--runtime', 'stub', '--use', 'abort=', '-O3', '--noAssert']
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' })
  if (run.status !== 0) {
    throw new Error(`asc could not compile bench/peak/peak.ts:\n${run.stderr}`)
  }
  return out
}

/** Holds one forked system and sends it one command at a time. */
class Child {
  readonly name: string
  facts: Record<string, unknown> = {}
  #process: ChildProcess
  // replies that came before anyone asked for them, and who waits next
  #replies: Reply[] = []
  #waiting: ((reply: Reply) => void) | undefined
  #exit: string | undefined

  constructor(name: string, flags: string[]) {
    this.name = name
    this.#process = fork(CHILD, [name, ...flags], { cwd: ROOT, stdio: 'inherit' })
    this.#process.on('message', (reply: Reply) => this.#deliver(reply))
    this.#process.on('exit', (code) => {
      this.#exit = `the ${this.name} process exited (code ${code})`
      this.#deliver({ kind: 'failed', message: this.#exit })
    })
  }

  #deliver(reply: Reply): void {
    const waiting = this.#waiting
    this.#waiting = undefined
    if (waiting) waiting(reply)
    else this.#replies.push(reply)
  }

  /** Waits for the next reply; throws the child's message if it failed. */
  async next(): Promise<Reply> {
    const reply = this.#replies.shift() ??
      await new Promise<Reply>((resolve) => (this.#waiting = resolve))
    if (reply.kind === 'failed') throw new Error(`${this.name}: ${reply.message}`)
    return reply
  }

  /** Sends a command and waits for its reply. */
  ask(command: Command): Promise<Reply> {
    const reply = this.next()
    this.#process.send(command)
    return reply
  }

  /** Ends the process. */
  stop(): void {
    if (this.#exit === undefined) this.#process.disconnect()
  }
}

// one at a time, so each measures its start-up (core.wasm's load) alone
async function startChildren(systems: string[], flags: string[]): Promise<Child[]> {
  const children: Child[] = []
  for (const name of systems) {
    const child = new Child(name, flags)
    children.push(child)
    const ready = await child.next()
    if (ready.kind === 'ready') child.facts = ready.facts
  }
  return children
}

// warms the task up in every child, then times it in rounds, child by child
async function runTask(
  children: Child[], task: string, unit: 'samples/s' | 'GFLOP/s', quick: boolean,
): Promise<void> {
  const plan = quick ? QUICK_PLAN : FULL_PLAN
  const prepared = new Map<Child, { units: number; calls: number }>()
  for (const child of children) {
    const reply = await child.ask({ kind: 'prepare', task })
    if (reply.kind === 'prepared') prepared.set(child, reply)
  }
  const times = new Map<Child, Repetitions>(children.map((c) => [c, { cpu: [], wall: [] }]))
  const perRound = Math.ceil(plan.repetitions / plan.rounds)
  for (let round = 0; round < plan.rounds; round++) {
    for (const child of children) {
      const reply = await child.ask({ kind: 'time', task, repetitions: perRound })
      if (reply.kind !== 'timed') continue
      times.get(child)!.cpu.push(...reply.times.cpu)
      times.get(child)!.wall.push(...reply.times.wall)
    }
  }
  for (const child of children) {
    await child.ask({ kind: 'finish', task })
    const { units, calls } = prepared.get(child)!
    results.get(child.name)!.tasks[task] = resultOf(units, summarize(times.get(child)!, calls), unit)
  }
}

const results = new Map<string, SystemResult>()

async function runSystems(systems: string[], flags: string[], quick: boolean) {
  const children = await startChildren(systems, flags)
  for (const child of children) {
    results.set(child.name, { system: child.name, facts: child.facts, tasks: {} })
  }
  try {
    const peak = children.filter((child) => child.name === 'peak')
    const others = children.filter((child) => child.name !== 'peak')
    if (peak.length > 0) await runTask(peak, 'peak', 'GFLOP/s', quick)
    // matrix products first, while every heap is fresh: TensorFlow.js's
    // wasm product ran at 12-14 GFLOP/s after the network tasks and near
    // 30 in a fresh process, and its best is the fair comparison
    const tasks = allTasks()
    const order = [
      ...tasks.filter((task) => task.kind === 'matmul'),
      ...tasks.filter((task) => task.kind !== 'matmul'),
    ]
    for (const task of order) {
      const started = performance.now()
      const unit = task.kind === 'matmul' ? 'GFLOP/s' : 'samples/s'
      await runTask(others, task.name, unit, quick)
      console.log(`${task.name}: ${((performance.now() - started) / 1000).toFixed(1)} s`)
    }
  } finally {
    for (const child of children) child.stop()
  }
  return Object.fromEntries(results)
}

function parseArgs(argv: string[]) {
  const only = argv.find((arg) => arg.startsWith('--only='))?.slice(7).split(',')
  for (const name of only ?? []) {
    if (!(SYSTEMS as readonly string[]).includes(name)) {
      throw new Error(`--only names '${name}'; expected some of ${SYSTEMS.join(', ')}`)
    }
  }
  return {
    quick: argv.includes('--quick'),
    workerd: !argv.includes('--skip-workerd') && only === undefined,
    systems: only ?? [...SYSTEMS],
  }
}

async function workerdNumbers(quick: boolean): Promise<RunNumbers['workerd']> {
  process.stdout.write('workerd: ')
  const started = performance.now()
  try {
    const { measureWorkerd } = await import('./workerd.ts')
    const numbers = await measureWorkerd(quick)
    console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    return numbers
  } catch (error) {
    console.log(`failed: ${(error as Error).message.split('\n')[0]}`)
    return { error: (error as Error).message.split('\n')[0] }
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2))
  mkdirSync(RESULTS, { recursive: true })
  const startedAt = new Date()
  const loadBefore = loadavg()
  const flags = [options.quick ? '--quick' : '', `--peak=${compilePeak()}`].filter(Boolean)

  const run: RunNumbers = { systems: await runSystems(options.systems, flags, options.quick) }
  if (options.workerd) run.workerd = await workerdNumbers(options.quick)

  const record = {
    startedAt: startedAt.toISOString(),
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    mode: options.quick ? 'quick' : 'full',
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version },
    loadAverage: { before: loadBefore, after: loadavg() },
    ...run,
    targets: checkTargets(run),
  }
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
  const text = JSON.stringify(record, null, 2)
  writeFileSync(join(RESULTS, `bench-${stamp}.json`), text)
  writeFileSync(join(RESULTS, 'latest.json'), text)

  console.log(`\n${renderRun(run)}\n`)
  console.log(`${record.mode} run, ${record.seconds.toFixed(0)} s, ${record.machine.cores} ` +
    `cores (${record.machine.cpu}), load average ${loadBefore[0].toFixed(2)} before and ` +
    `${record.loadAverage.after[0].toFixed(2)} after; bench/results/bench-${stamp}.json`)
}

await main()
