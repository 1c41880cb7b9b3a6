/**
 * Measures the API inside workerd, the Workers runtime. The Worker is
 * bundled as `wrangler deploy` would upload it (core.wasm as a module of
 * its own; not minified, so profiles name functions) and run by Miniflare
 * with wrangler.toml's bindings: local KV and Durable Objects, no dev proxy.
 * CPU time per request comes from the kernel's per-thread counters of the
 * workerd process (/proc/<pid>/task/<tid>/schedstat) around a run of
 * identical requests, so everything workerd does for them counts: HTTP,
 * auth, JSON, the Durable Object, and the local KV and storage simulators
 * that run in the same process (an upper bound on what Workers would bill).
 * A second run under V8's sampling profiler says where the time goes.
 *
 * The same requests then go to an empty Worker, run the same way, that
 * reads each body and answers a few bytes: what workerd, Miniflare's own
 * entry worker and the loopback HTTP cost per request whatever the Worker
 * does. Workers bills the isolate's own CPU, so the Worker's share is the
 * difference. Linux only.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Miniflare, convertV4MiniflareOptions } from 'miniflare'
import { unstable_getMiniflareWorkerOptions } from 'wrangler'
import { Inspector } from './isolate-profile.ts'
import { datasetFor, NETWORKS } from './tasks.ts'
import type { WorkerdResult } from './targets.ts'

const ROOT = new URL('..', import.meta.url).pathname
const MODEL_ID = 'bench-784-128-10'

interface Server {
  base: string
  headers: Record<string, string>
  inspectorPort: number
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// the Worker as `wrangler deploy` bundles it, written to `outdir`
function bundle(outdir: string): { script: string; wasm: string } {
  const wrangler = join(ROOT, 'node_modules/wrangler/bin/wrangler.js')
  const args = [wrangler, 'deploy', '--dry-run', '--outdir', outdir, '--minify=false']
  const run = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  })
  const wasm = run.status === 0
    ? readdirSync(outdir).find((name) => name.endsWith('core.wasm'))
    : undefined
  if (wasm === undefined) {
    throw new Error(`wrangler deploy --dry-run did not bundle the Worker:\n${run.stderr}`)
  }
  return { script: 'index.js', wasm }
}

// Miniflare running the bundle with wrangler.toml's bindings and one token
async function start(outdir: string, token: string, inspectorPort: number) {
  const files = bundle(outdir)
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.toml'))
  // the playground's static assets are not part of what is measured
  const { assets: _assets, ...options } = workerOptions as Record<string, unknown>
  const bindings = options.bindings as Record<string, string>
  const miniflare = new Miniflare(convertV4MiniflareOptions({
    ...options,
    port: 0,
    inspectorPort,
    name: 'edgeprop',
    rootPath: outdir,
    modules: [
      { type: 'ESModule', path: files.script },
      { type: 'CompiledWasm', path: files.wasm },
    ],
    bindings: { ...bindings, API_TOKENS: `bench:${token}` },
  } as Parameters<typeof convertV4MiniflareOptions>[0]))
  await miniflare.ready
  return miniflare
}

// the workerd processes this process started
function workerdPids(): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      const name = stat.slice(stat.indexOf('(') + 1, close)
      const parent = Number(stat.slice(close + 2).split(' ')[1])
      if (name === 'workerd' && parent === process.pid) pids.push(Number(entry))
    } catch {
      // the process ended while we looked
    }
  }
  return pids
}

// nanoseconds on CPU so far, summed over every thread of the processes
function cpuNanoseconds(pids: number[]): number {
  let total = 0
  for (const pid of pids) {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const fields = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8')
        total += Number(fields.split(' ')[0])
      } catch {
        // the thread ended while we looked; its time is lost either way
      }
    }
  }
  return total
}

async function call(server: Server, path: string, body?: string): Promise<void> {
  const response = await fetch(`${server.base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: server.headers,
    body,
  })
  const text = await response.text()
  if (!response.ok) {
    throw new Error(`${path} answered ${response.status}: ${text.slice(0, 300)}`)
  }
}

// CPU ms per call: `calls` calls in a row, then a pause for deferred work
// (snapshot writes to KV), less what workerd burns idle over that pause
async function cpuPerCall(
  pids: number[], calls: number, send: () => Promise<void>,
): Promise<number> {
  const pauseMs = 1200
  const idleStart = cpuNanoseconds(pids)
  await sleep(pauseMs)
  const idle = cpuNanoseconds(pids) - idleStart
  const start = cpuNanoseconds(pids)
  for (let i = 0; i < calls; i++) await send()
  await sleep(pauseMs)
  return (cpuNanoseconds(pids) - start - idle) / calls / 1e6
}

function trainBody(): string {
  const data = datasetFor('wide')
  const round = (value: number) => Math.round(value * 1000) / 1000
  const x: number[][] = []
  for (let r = 0; r < 64; r++) {
    x.push(Array.from(data.features.subarray(r * 784, (r + 1) * 784), round))
  }
  const y = Array.from(data.classes.subarray(0, 64))
  return JSON.stringify({ x, y, epochs: 1, batchSize: 64, shuffle: false })
}

/** The bodies and paths of the three kinds of call, the same for both Workers. */
interface Calls {
  train: () => Promise<void>
  predict: () => Promise<void>
  floor: () => Promise<void>
  counts: { train: number; predict: number; floor: number }
}

function callsOf(server: Server, quick: boolean): Calls {
  const model = `/v1/models/${MODEL_ID}`
  const body = trainBody()
  const row = JSON.stringify({ x: JSON.parse(body).x[0] })
  return {
    train: () => call(server, `${model}/train-small-batch`, body),
    predict: () => call(server, `${model}/predict`, row),
    floor: () => call(server, model),
    counts: { train: quick ? 8 : 30, predict: quick ? 50 : 300, floor: quick ? 50 : 300 },
  }
}

// warms each call up, then measures its CPU per call
async function cpuOf(calls: Calls) {
  const pids = workerdPids()
  if (pids.length === 0) throw new Error('found no workerd process started by Miniflare')
  for (let i = 0; i < 10; i++) await calls.train()
  for (let i = 0; i < 30; i++) await Promise.all([calls.predict(), calls.floor()])
  return {
    trainCpuMs: await cpuPerCall(pids, calls.counts.train, calls.train),
    predictCpuMs: await cpuPerCall(pids, calls.counts.predict, calls.predict),
    floorCpuMs: await cpuPerCall(pids, calls.counts.floor, calls.floor),
  }
}

async function measureServer(server: Server, quick: boolean) {
  const network = NETWORKS.wide
  const spec = {
    kind: 'mlp', inputs: network.inputs, layers: network.layers, loss: network.loss,
    optimizer: { name: 'sgd', learningRate: network.learningRate }, seed: 1,
  }
  await call(server, '/v1/models', JSON.stringify({ id: MODEL_ID, spec }))
  const calls = callsOf(server, quick)
  const cpu = await cpuOf(calls)
  const inspector = await Inspector.connect(server.inspectorPort, 'edgeprop')
  try {
    const profiles = {
      train: await inspector.profile(calls.counts.train, calls.train),
      predict: await inspector.profile(calls.counts.predict, calls.predict),
    }
    return { ...cpu, profiles, calls: calls.counts }
  } finally {
    inspector.close()
  }
}

// a Worker that reads each request's body and answers a few bytes
const EMPTY_WORKER = `export default {
  async fetch(request) {
    const body = await request.arrayBuffer()
    return new Response(JSON.stringify({ bytes: body.byteLength }), {
      headers: { 'content-type': 'application/json' },
    })
  },
}`

// the same calls answered by the empty Worker, in a Miniflare of its own
async function measureEmptyWorker(token: string, quick: boolean) {
  const miniflare = new Miniflare(convertV4MiniflareOptions({
    name: 'empty', port: 0, modules: true, script: EMPTY_WORKER,
    compatibilityDate: '2026-10-01',
  } as Parameters<typeof convertV4MiniflareOptions>[0]))
  try {
    const url = await miniflare.ready
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    return await cpuOf(callsOf({ base: url.origin, headers, inspectorPort: 0 }, quick))
  } finally {
    await miniflare.dispose()
  }
}

/** Starts the bundled Worker in workerd, measures CPU per call, stops it. */
export async function measureWorkerd(quick: boolean): Promise<WorkerdResult> {
  const outdir = mkdtempSync(join(tmpdir(), 'edgeprop-bench-'))
  const token = randomBytes(18).toString('base64url')
  const inspectorPort = await freePort()
  let miniflare: Miniflare | undefined
  try {
    miniflare = await start(outdir, token, inspectorPort)
    const url = await miniflare.ready
    const server = {
      base: url.origin,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      inspectorPort,
    }
    const measured = await measureServer(server, quick)
    await miniflare.dispose()
    miniflare = undefined
    return { ...measured, emptyWorker: await measureEmptyWorker(token, quick) }
  } finally {
    await miniflare?.dispose()
    rmSync(outdir, { recursive: true, force: true })
  }
}
