/**
 * The request log on the real app (createApp, every middleware and route):
 * each request writes exactly one JSON line to console.log with its id,
 * method, route pattern, status and milliseconds, and the tenant once the
 * token is known; the id is the X-Request-Id the answer carries.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/worker/app.ts'
import type { Env } from '../../src/worker/env.ts'
import type { RequestLogLine } from '../../src/worker/request-log.ts'
import { IRIS_X, createModel, testEnv } from './helpers.ts'
import { ACME_TOKEN } from './tokens.ts'

const lines: string[] = []
let app: ReturnType<typeof createApp>

beforeAll(async () => {
  await createModel('logged')
  // the app takes console.log when it is built, so spy first, then build it
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)))
  app = createApp()
})

afterAll(() => {
  vi.restoreAllMocks()
})

/** One request: how to send it, and the log line it must leave. */
interface Case {
  name: string
  method: string
  path: string
  body?: string
  token?: string | null
  vars?: Partial<Env>
  expected: Omit<RequestLogLine, 'id' | 'ms' | 'method'>
}

const predictBody = JSON.stringify({ x: IRIS_X })
const acme = { tenant: 'acme' }
const cases: Case[] = [
  { name: '200 for a health check, with no tenant', method: 'GET', path: '/healthz',
    token: null, expected: { route: '/healthz', status: 200 } },
  { name: '200 for a predict', method: 'POST', path: '/v1/models/logged/predict',
    body: predictBody,
    expected: { route: '/v1/models/:id/predict', status: 200, ...acme } },
  { name: '401 without a token, with no tenant', method: 'GET', path: '/v1/models',
    token: null, expected: { route: '/v1/models', status: 401 } },
  { name: '404 for a model that does not exist', method: 'GET', path: '/v1/models/absent',
    expected: { route: '/v1/models/:id', status: 404, ...acme } },
  { name: '404 for a path no route matches', method: 'GET', path: '/v1/nothing-here',
    expected: { route: 'unmatched', status: 404, ...acme } },
  { name: '413 for a body over MAX_BODY_BYTES', method: 'POST',
    path: '/v1/models/logged/predict', body: predictBody, vars: { MAX_BODY_BYTES: '16' },
    expected: { route: '/v1/models/:id/predict', status: 413, ...acme } },
  { name: '422 for a row of the wrong width', method: 'POST',
    path: '/v1/models/logged/predict', body: JSON.stringify({ x: [[1, 2, 3]] }),
    expected: { route: '/v1/models/:id/predict', status: 422, ...acme } },
]

/** Sends one case through the app and returns its answer and the lines it logged. */
async function run({ method, path, body, token = ACME_TOKEN, vars = {} }: Case) {
  const headers = new Headers(body === undefined ? {} : { 'Content-Type': 'application/json' })
  if (token !== null) headers.set('Authorization', `Bearer ${token}`)
  const request = new Request(`http://edgeprop.test${path}`, { method, body, headers })
  const from = lines.length
  const ctx = createExecutionContext()
  const response = await app.fetch(request, { ...testEnv, ...vars }, ctx)
  await waitOnExecutionContext(ctx)
  await response.arrayBuffer()
  return { response, logged: lines.slice(from) }
}

describe('the request log', () => {
  it.each(cases)('writes one JSON line, id as X-Request-Id: $name', async (c) => {
    const { response, logged } = await run(c)
    expect(response.status).toBe(c.expected.status)
    expect(logged).toHaveLength(1)
    const line = JSON.parse(logged[0]) as RequestLogLine
    const id = response.headers.get('X-Request-Id')
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    // exactly these fields: no tenant key at all where none is known
    expect(line).toEqual({ id, method: c.method, ms: expect.any(Number), ...c.expected })
    expect(Number.isInteger(line.ms) && line.ms >= 0).toBe(true)
  })

  it('logs the request id a caller sends, and answers it back', async () => {
    const request = new Request('http://edgeprop.test/healthz', {
      headers: { 'X-Request-Id': 'trace-0042' },
    })
    const from = lines.length
    const response = await app.fetch(request, testEnv, createExecutionContext())
    expect(response.headers.get('X-Request-Id')).toBe('trace-0042')
    expect(lines.slice(from).map((line) => JSON.parse(line).id)).toEqual(['trace-0042'])
  })
})
