/**
 * Load test: `npm run load`. Starts `npm start`'s server on a free loopback
 * port with its own state directory and token, creates four models, and
 * sends a fixed number of predict and train-small-batch calls from
 * concurrent clients, each call and the whole run under a hard deadline.
 * Then it reads every model with ?consistency=strong and checks that its
 * version equals the number of train calls it was sent: none was lost.
 *
 * Prints p50/p99 latency per route and every error; exits 1 on any error
 * or lost update, 2 when the deadline passed or the options are wrong.
 * The server is stopped by its process group whatever happens.
 *
 *   npm run load -- --predicts 2000 --trains 200 --clients 32 --deadline 300
 */
import { parseArgs } from 'node:util'
import { type LocalServer, startLocalServer } from '../test/e2e/local-server.ts'
import { MODELS, type LoadModel, predictRows, trainBatch } from './load.models.ts'

/** One finished call: its route, how long it took, and what went wrong. */
interface Sample {
  route: 'predict' | 'train'
  ms: number
  error?: string
}

/** One call waiting in the queue, for the model at `model`. */
interface Call {
  route: Sample['route']
  model: number
}

/** The fields of an answer the checks read: a problem, a prediction, a fit or a model. */
interface Answer {
  title?: string
  detail?: string
  outputs?: unknown[]
  version?: number
  stats?: { samplesSeen?: number }
}

/** The counts and limits of a run, from the command line. */
interface Options {
  predicts: number
  trains: number
  clients: number
  deadline: number
}

const CALL_TIMEOUT_MS = 30_000

/** Reads the options, refusing anything that is not a positive whole number. */
function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      predicts: { type: 'string', default: '2000' },
      trains: { type: 'string', default: '200' },
      clients: { type: 'string', default: '32' },
      deadline: { type: 'string', default: '300' },
    },
  })
  const whole = (name: keyof Options) => {
    const value = Number(values[name])
    if (Number.isInteger(value) && value >= 1) return value
    console.error(`--${name} is ${JSON.stringify(values[name])}; expected a whole number ≥ 1`)
    process.exit(2)
  }
  const [predicts, trains] = [whole('predicts'), whole('trains')]
  return { predicts, trains, clients: whole('clients'), deadline: whole('deadline') }
}

/** Sends one authorized JSON request, giving up after CALL_TIMEOUT_MS or on `stop`. */
function call(server: LocalServer, path: string, body: unknown, stop: AbortSignal) {
  const signal = AbortSignal.any([stop, AbortSignal.timeout(CALL_TIMEOUT_MS)])
  return fetch(`${server.base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  })
}

/** Creates the models, failing with the server's answer if one is refused. */
async function createModels(server: LocalServer, stop: AbortSignal) {
  for (const model of MODELS) {
    const response = await call(server, '/v1/models', { id: model.id, spec: model.spec }, stop)
    if (response.status !== 201) {
      throw new Error(`creating ${model.id} answered ${response.status}: ${await response.text()}`)
    }
  }
}

/** Lays out the calls: trains spread evenly among the predicts, models in turn. */
function plan(predicts: number, trains: number): Call[] {
  const total = predicts + trains
  return Array.from({ length: total }, (_, i) => {
    // call i is a train when it crosses the next multiple of total/trains
    const isTrain = Math.floor(((i + 1) * trains) / total) > Math.floor((i * trains) / total)
    return { route: isTrain ? 'train' : 'predict', model: i % MODELS.length }
  })
}

/** Sends one planned call and checks the shape of its answer. */
async function send(server: LocalServer, planned: Call, n: number, stop: AbortSignal) {
  const model: LoadModel = MODELS[planned.model]
  const action = planned.route === 'train' ? 'train-small-batch' : 'predict'
  const path = `/v1/models/${model.id}/${action}`
  const body = planned.route === 'train' ? trainBatch(model, n) : { x: predictRows(model, n) }
  const started = performance.now()
  const sample: Sample = { route: planned.route, ms: 0 }
  try {
    const response = await call(server, path, body, stop)
    const answer = (await response.json()) as Answer
    if (response.status !== 200) {
      sample.error = `${path} answered ${response.status}: ${answer.detail ?? answer.title}`
    } else if (planned.route === 'predict' && answer.outputs?.length !== body.x.length) {
      sample.error = `${path} returned ${answer.outputs?.length} output rows for ${body.x.length}`
    } else if (planned.route === 'train' && !Number.isInteger(answer.version)) {
      sample.error = `${path} returned no version: ${JSON.stringify(answer).slice(0, 200)}`
    }
  } catch (error) {
    sample.error = `${path} failed: ${(error as Error).message}`
  }
  sample.ms = performance.now() - started
  return sample
}

/** Runs the plan from `clients` concurrent loops; stops taking calls on `stop`. */
async function runClients(server: LocalServer, calls: Call[], clients: number, stop: AbortSignal) {
  const samples: Sample[] = []
  let next = 0
  const client = async () => {
    while (next < calls.length && !stop.aborted) {
      const n = next++
      samples.push(await send(server, calls[n], n, stop))
    }
  }
  await Promise.all(Array.from({ length: clients }, client))
  return samples
}

/** Reads each model from its trainer and lists those whose version lost an update. */
async function lostUpdates(server: LocalServer, calls: Call[], stop: AbortSignal) {
  const problems: string[] = []
  for (const [index, model] of MODELS.entries()) {
    const sent = calls.filter((c) => c.route === 'train' && c.model === index).length
    const path = `/v1/models/${model.id}?consistency=strong`
    const response = await call(server, path, undefined, stop)
    const record = (await response.json()) as Answer
    const rows = sent * model.batchRows
    if (record.version !== sent || record.stats?.samplesSeen !== rows) {
      problems.push(
        `${model.id}: version ${record.version} and ${record.stats?.samplesSeen} samples seen ` +
          `after ${sent} train calls of ${model.batchRows} rows; expected ${sent} and ${rows}`,
      )
    }
  }
  return problems
}

/** Returns the value below which `share` of the sorted values lie (nearest rank). */
function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]
}

/** Prints calls, errors and p50/p99/max latency per route, and the throughput. */
function report(samples: Sample[], seconds: number) {
  console.log('\nroute     calls  errors   p50 ms   p99 ms   max ms')
  for (const route of ['predict', 'train'] as const) {
    const mine = samples.filter((s) => s.route === route)
    const ms = mine.map((s) => s.ms).sort((a, b) => a - b)
    const cells = [0.5, 0.99, 1].map((share) => percentile(ms, share).toFixed(1).padStart(8))
    const errors = mine.filter((s) => s.error).length
    console.log(`${route.padEnd(8)} ${String(mine.length).padStart(6)} ` +
      `${String(errors).padStart(7)} ${cells.join(' ')}`)
  }
  const rate = (samples.length / seconds).toFixed(0)
  console.log(`${samples.length} calls in ${seconds.toFixed(1)} s (${rate} calls/s)`)
}

/** Sends the planned calls, reports them, and returns the exit code. */
async function measure(server: LocalServer, options: Options, stop: AbortSignal) {
  await createModels(server, stop)
  const calls = plan(options.predicts, options.trains)
  console.log(`${calls.length} calls from ${options.clients} clients over ` +
    `${MODELS.length} models: ${options.predicts} predict, ${options.trains} train-small-batch`)
  const started = performance.now()
  const samples = await runClients(server, calls, options.clients, stop)
  report(samples, (performance.now() - started) / 1000)
  if (stop.aborted) throw stop.reason
  const errors = samples.flatMap((s) => (s.error ? [s.error] : []))
  const lost = await lostUpdates(server, calls, stop)
  for (const line of [...errors.slice(0, 20), ...lost]) console.error(`  ${line}`)
  if (errors.length > 20) console.error(`  and ${errors.length - 20} more errors`)
  console.log(`errors: ${errors.length}; lost updates: ${lost.length}`)
  return errors.length === 0 && lost.length === 0 ? 0 : 1
}

/** Runs the load test under the deadline and returns the process exit code. */
async function main(): Promise<number> {
  const options = readOptions()
  const stop = new AbortController()
  const seconds = options.deadline
  const deadline = setTimeout(() => stop.abort(new Error('the deadline passed')), seconds * 1000)
  console.log(`starting npm start on a free port (deadline ${seconds} s)…`)
  let server: LocalServer | undefined
  try {
    server = await startLocalServer('load')
    const halt = () => void server?.stop().then(() => process.exit(130))
    process.once('SIGINT', halt).once('SIGTERM', halt)
    return await measure(server, options, stop.signal)
  } catch (error) {
    if (!stop.signal.aborted) throw error
    console.error(`stopped: the ${seconds} s deadline passed; raise --deadline or send fewer calls`)
    return 2
  } finally {
    clearTimeout(deadline)
    await server?.stop()
  }
}

process.exitCode = await main().catch((error) => {
  console.error(`load test failed: ${(error as Error).message}`)
  return 1
})
