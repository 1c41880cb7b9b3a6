/**
 * Prints a run as Markdown tables: medians with edgeprop's ratio to each
 * peer and its share of the f32x4 limit; the spread (min–max) of every
 * system; the other measurements; and each target, met or missed.
 */
import { allTasks } from './tasks.ts'
import { checkTargets, ownCpuMs, rateOf, ratioOf, type RunNumbers } from './targets.ts'

const SYSTEMS = ['edgeprop', 'tfjs-wasm', 'tfjs-cpu', 'plain-ts']
const PEERS = ['tfjs-wasm', 'tfjs-cpu', 'plain-ts']

/** Writes a rate with three significant digits and a k or M suffix. */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return '–'
  if (value >= 1e6) return `${(value / 1e6).toPrecision(3)}M`
  if (value >= 1e4) return `${(value / 1e3).toPrecision(3)}k`
  return value.toPrecision(3)
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  const rule = header.map((_, i) => (i < 2 ? '---' : '---:'))
  return [line(header), line(rule), ...rows.map(line)].join('\n')
}

function mediansTable(run: RunNumbers): string {
  const limit = rateOf(run, 'peak', 'peak')
  const rows = allTasks().map((task) => {
    const unit = task.kind === 'matmul' ? 'GFLOP/s' : 'samples/s'
    const rates = SYSTEMS.map((system) => formatRate(rateOf(run, system, task.name)))
    const ratios = PEERS.map((peer) => {
      const ratio = ratioOf(run, peer, task.name)
      return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–'
    })
    const share = task.kind === 'matmul'
      ? `${((rateOf(run, 'edgeprop', task.name) / limit) * 100).toFixed(0)}%`
      : ''
    return [task.name, unit, ...rates, ...ratios, share]
  })
  rows.push(['f32x4 multiply-add limit', 'GFLOP/s', formatRate(limit),
    '', '', '', '', '', '', '100%'])
  const header = ['task', 'unit', ...SYSTEMS, ...PEERS.map((p) => `×${p}`), '% limit']
  return table(header, rows)
}

function spreadTable(run: RunNumbers): string {
  const rows = allTasks().map((task) => [
    task.name,
    task.kind === 'matmul' ? 'GFLOP/s' : 'samples/s',
    ...SYSTEMS.map((system) => {
      const rate = run.systems[system]?.tasks[task.name]?.rate
      return rate ? `${formatRate(rate.min)}–${formatRate(rate.max)}` : '–'
    }),
  ])
  return table(['task', 'unit', ...SYSTEMS.map((s) => `${s} min–max`)], rows)
}

function otherTable(run: RunNumbers): string {
  const facts = run.systems.edgeprop?.facts ?? {}
  const ms = (value: unknown) => (typeof value === 'number' ? value.toFixed(2) : '–')
  const rows = [
    ['core.wasm size', `${((facts.coreBytes as number) / 1024).toFixed(1)} KB`],
    ['wasm engine start (an empty module, once per process)', `${ms(facts.engineMs)} ms`],
    ['core.wasm compile, first time', `${ms(facts.compileMs)} ms`],
    ['core.wasm first instantiate', `${ms(facts.firstInstantiateMs)} ms`],
    ['core.wasm instantiate, median of 20', `${ms(facts.instantiateMedianMs)} ms`],
  ]
  const workerd = run.workerd
  if (workerd && 'trainCpuMs' in workerd) {
    const calls = [
      ['train', 'train-small-batch 64 rows 784-128-10'],
      ['predict', 'warm predict 1 row 784-128-10'],
      ['floor', 'GET /v1/models/:id (request floor)'],
    ] as const
    for (const [call, name] of calls) {
      const process = workerd[`${call}CpuMs`]
      const empty = workerd.emptyWorker[`${call}CpuMs`]
      rows.push([`workerd CPU, ${name}, less an empty Worker`,
        `${ms(ownCpuMs(workerd, call))} ms (${ms(process)} less ${ms(empty)})`])
    }
  } else {
    rows.push(['workerd', workerd ? `not measured: ${workerd.error}` : 'skipped'])
  }
  return table(['measure', 'value'], rows)
}

function profileTable(run: RunNumbers): string {
  const workerd = run.workerd
  if (!workerd || !('profiles' in workerd)) return ''
  const rows: string[][] = []
  for (const [call, profile] of Object.entries(workerd.profiles)) {
    for (const { name, share } of profile.top.slice(0, 8)) {
      rows.push([call, name, `${(share * 100).toFixed(1)}%`])
    }
  }
  return table(['workerd call', 'function (unminified bundle)', 'share of samples'], rows)
}

function targetsTable(run: RunNumbers): string {
  const rows = checkTargets(run).map((check) => [
    check.target,
    check.measured,
    check.met === null ? 'not measured' : check.met ? 'met' : 'MISSED',
  ])
  return table(['target', 'measured', 'result'], rows)
}

/** Renders a whole run as Markdown, the way README's Performance shows it. */
export function renderRun(run: RunNumbers): string {
  return [
    mediansTable(run),
    'Spread over the timed repetitions (slowest–fastest):',
    spreadTable(run),
    otherTable(run),
    profileTable(run),
    targetsTable(run),
  ].filter(Boolean).join('\n\n')
}
