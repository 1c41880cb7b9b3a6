/**
 * The API under generated hostile requests, inside workerd: every answer
 * is a 2xx or an application/problem+json 4xx with a non-empty errors[]
 * (never a 5xx), and after every refused request the model's trainer
 * storage and its KV keys are byte for byte what they were.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { Network } from '../../src/core/index.ts'
import { ensureCore } from '../../src/worker/core-loader.ts'
import {
  type FuzzRequest,
  damagedFile,
  jsonBody,
  jsonContentType,
  oddHeaders,
  oddId,
} from './fuzz-bodies.ts'
import {
  IRIS_X,
  IRIS_Y,
  api,
  createModel,
  irisSpec,
  published,
  send,
  storedModel,
  trainerState,
} from './helpers.ts'

const MODEL = '/v1/models/fuzzed'
/** Counts the cases each property runs; the whole file stays well under a minute. */
const RUNS = { json: 2000, files: 300, paths: 400 }
const SEED = 7_000_007

/** Reads everything a change could alter: trainer storage and KV, as bytes. */
async function snapshot() {
  return { trainer: await trainerState('fuzzed'), kv: await storedModel('fuzzed') }
}

let baseline: Awaited<ReturnType<typeof snapshot>>
const tally = { cases: 0, accepted: 0, refused: 0, statuses: {} as Record<number, number> }

/** Sends one request and checks the answer and, when refused, the stored model. */
async function check(request: FuzzRequest): Promise<void> {
  tally.cases += 1
  const init: RequestInit = { method: request.method, headers: request.headers }
  if (request.body !== undefined) init.body = request.body as BodyInit
  const response = await api(request.path, init)
  const what = `${request.method} ${request.path} → ${response.status}`
  tally.statuses[response.status] = (tally.statuses[response.status] ?? 0) + 1
  expect(response.status, what).toBeLessThan(500)
  if (response.status < 400) {
    tally.accepted += 1
    await response.arrayBuffer()
    // an accepted change moves the model on: wait for KV, then compare from there
    await published('fuzzed', 'acme', 10_000)
    baseline = await snapshot()
    return
  }
  tally.refused += 1
  expect(response.headers.get('Content-Type'), what).toBe('application/problem+json')
  if (request.method === 'HEAD') {
    expect(await snapshot(), what).toEqual(baseline)
    return
  }
  const problem = (await response.json()) as {
    status: number; detail: string; errors: { path: unknown[]; message: string }[]
  }
  expect(problem.status, what).toBe(response.status)
  expect(problem.errors.length, `${what}: ${problem.detail}`).toBeGreaterThan(0)
  for (const error of problem.errors) {
    expect(Array.isArray(error.path), what).toBe(true)
    expect(error.message.length, what).toBeGreaterThan(0)
  }
  expect(await snapshot(), `${what}: ${problem.detail}`).toEqual(baseline)
}

const jsonRoute = fc.constantFrom(
  { method: 'POST', path: '/v1/models', route: 'create' as const },
  { method: 'POST', path: `${MODEL}/train-small-batch`, route: 'train' as const },
  { method: 'POST', path: `${MODEL}/predict`, route: 'predict' as const },
  { method: 'POST', path: `${MODEL}/rollback`, route: 'rollback' as const },
)

beforeAll(async () => {
  await createModel('fuzzed')
  await send('POST', `${MODEL}/train-small-batch`, { x: IRIS_X, y: IRIS_Y })
  await published('fuzzed')
  baseline = await snapshot()
})

describe('API fuzzing', () => {
  it(`answers ${RUNS.json} generated JSON bodies with a 2xx or a problem`, async () => {
    const request = jsonRoute.chain(({ method, path, route }) =>
      fc.record({
        body: jsonBody(route),
        type: jsonContentType,
        extra: oddHeaders,
      }).map(({ body, type, extra }): FuzzRequest => ({
        method, path, body, headers: type === '' ? extra : { 'Content-Type': type, ...extra },
      })),
    )
    await fc.assert(fc.asyncProperty(request, check), { numRuns: RUNS.json, seed: SEED })
  })

  it(`answers ${RUNS.files} damaged model files and wrong uploads with a problem`, async () => {
    await ensureCore()
    const valid = (await Network.create(irisSpec({ seed: 5 }))).toBytes()
    const request = fc.record({
      body: damagedFile(valid),
      type: fc.constantFrom('application/octet-stream', 'application/json', 'text/plain'),
      extra: oddHeaders,
    }).map(({ body, type, extra }): FuzzRequest => ({
      method: 'PUT', path: `${MODEL}/weights`, body, headers: { 'Content-Type': type, ...extra },
    }))
    await fc.assert(fc.asyncProperty(request, check), { numRuns: RUNS.files, seed: SEED })
  })

  it(`answers ${RUNS.paths} odd paths, queries and methods with a 2xx or a problem`, async () => {
    const request = fc.record({
      method: fc.constantFrom('GET', 'DELETE', 'PATCH', 'PUT', 'POST', 'HEAD'),
      id: oddId,
      tail: fc.constantFrom('', '/weights', '/versions', '/predict', '/nothing', '/'),
      query: fc.constantFrom('', '?consistency=strong', '?consistency=x', '?limit=-1',
        '?limit=1e9', '?cursor=%00', '?limit=2&cursor=abc', '?token=x'),
      extra: oddHeaders,
    }).map(({ method, id, tail, query, extra }): FuzzRequest => {
      // a DELETE that could match would remove the model: keep its If-Match stale
      const headers = method === 'DELETE' ? { ...extra, 'If-Match': '"999"' } : extra
      return { method, path: `/v1/models/${id}${tail}${query}`, headers }
    })
    await fc.assert(fc.asyncProperty(request, check), { numRuns: RUNS.paths, seed: SEED })
    console.log(JSON.stringify({ fuzz: tally }))
  })
})
