/**
 * `npm run bench`: edgeprop against TensorFlow.js (wasm and cpu backends)
 * and plain TypeScript, in one run, each system in a child process of its
 * own, one after another; then the f32x4 limit, the API inside workerd,
 * and a table of medians, ratios and targets.
 *
 *   npm run bench                      the full run (about 5 minutes)
 *   npm run bench -- --quick           shorter repetitions, for a smoke test
 *   npm run bench -- --skip-workerd    everything but the workerd timings
 *   npm run bench -- --only=edgeprop,tfjs-wasm
 *
 * Writes bench/results/bench-<time>.json and bench/results/latest.json.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { SYSTEMS, type SystemResult } from './protocol.ts'
import { renderRun } from './report.ts'
import { checkTargets, type RunNumbers } from './targets.ts'

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

// runs one system in a child process and reads back what it wrote
function runChild(system: string, flags: string[]): SystemResult {
  const out = join(RESULTS, `.${system}.json`)
  rmSync(out, { force: true })
  const started = performance.now()
  process.stdout.write(`${system}: `)
  const run = spawnSync(process.execPath, [CHILD, system, out, ...flags], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  })
  if (run.status !== 0) {
    throw new Error(`the ${system} run failed (exit ${run.status}):\n${run.stderr}`)
  }
  const result = JSON.parse(readFileSync(out, 'utf8')) as SystemResult
  rmSync(out)
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return result
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

  const run: RunNumbers = { systems: {} }
  for (const system of options.systems) run.systems[system] = runChild(system, flags)
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
