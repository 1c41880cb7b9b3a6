/**
 * Bearer tokens: each maps to a tenant; no token, a wrong one, or no
 * API_TOKENS at all is refused, and tenants never see each other's models.
 */
import { describe, expect, it } from 'vitest'
import { Network } from '../../src/core/index.ts'
import { findTenant, parseTokens } from '../../src/worker/auth.ts'
import { ensureCore } from '../../src/worker/core-loader.ts'
import { ApiProblem } from '../../src/worker/problem.ts'
import {
  IRIS_X,
  IRIS_Y,
  api,
  createModel,
  expectProblem,
  irisSpec,
  send,
  trainerState,
  withVars,
} from './helpers.ts'
import { BETA_TOKEN } from './tokens.ts'

describe('bearer auth', () => {
  it('answers 401 without an Authorization header', async () => {
    const response = await api('/v1/models', {}, null)
    const problem = await expectProblem(response, 401, [['headers', 'authorization']])
    expect(problem.detail).toMatch(/Authorization: Bearer/)
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer realm="edgeprop"')
  })

  it('answers 401 for an unknown token and a malformed header', async () => {
    const auth = [['headers', 'authorization']]
    await expectProblem(await api('/v1/models', {}, 'not-a-token-we-know'), 401, auth)
    const basic = { headers: { Authorization: 'Basic dXNlcjpwYXNz' } }
    await expectProblem(await api('/v1/models', basic, null), 401, auth)
  })

  it('answers 503 on model routes when API_TOKENS is not set, saying how to set it', async () => {
    const response = await withVars({ API_TOKENS: undefined }, '/v1/models')
    const problem = await expectProblem(response, 503, [])
    expect(problem.detail).toMatch(/wrangler secret put API_TOKENS/)
    const health = await withVars({ API_TOKENS: undefined }, '/healthz')
    expect(health.status).toBe(200)
  })

  it('answers 503 on every route of the OpenAPI document, changing nothing', async () => {
    await createModel('guarded')
    await ensureCore()
    const file = (await Network.create(irisSpec())).toBytes() as Uint8Array<ArrayBuffer>
    // a request each route would accept, were tokens configured; a route the
    // document gains fails this test until it is listed here
    const json = (body: unknown) => ({
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' },
    })
    const valid: Record<string, RequestInit> = {
      'POST /v1/models': json({ id: 'unguarded', spec: irisSpec() }),
      'GET /v1/models': {},
      'GET /v1/models/{id}': {},
      'DELETE /v1/models/{id}': {},
      'POST /v1/models/{id}/train-small-batch': json({ x: IRIS_X, y: IRIS_Y }),
      'POST /v1/models/{id}/predict': json({ x: IRIS_X }),
      'GET /v1/models/{id}/weights': {},
      'PUT /v1/models/{id}/weights': {
        body: file,
        headers: { 'Content-Type': 'application/octet-stream' },
      },
      'GET /v1/models/{id}/versions': {},
      'POST /v1/models/{id}/rollback': json({ version: 0 }),
    }
    const document = (await (await api('/openapi.json', {}, null)).json()) as {
      paths: Record<string, Record<string, unknown>>
    }
    const routes = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
    expect(routes.sort()).toEqual(Object.keys(valid).sort())

    const before = await trainerState('guarded')
    for (const route of routes) {
      const [method, path] = route.split(' ')
      const url = path.replace('{id}', 'guarded')
      const response = await withVars({ API_TOKENS: undefined }, url, { method, ...valid[route] })
      const problem = await expectProblem(response, 503, [])
      expect(problem.detail, route).toMatch(/wrangler secret put API_TOKENS/)
    }
    expect(await trainerState('guarded')).toEqual(before)
    expect((await trainerState('unguarded')).model).toBeNull()
  })

  it('answers 503 for a malformed API_TOKENS without echoing tokens', async () => {
    const response = await withVars({ API_TOKENS: 'acme-only-a-token-here' }, '/v1/models')
    const problem = await expectProblem(response, 503, [])
    expect(problem.detail).toMatch(/entry 1 is not tenant:token/)
    expect(problem.detail).not.toMatch(/acme-only/)
  })

  it('keeps tenants apart', async () => {
    await createModel('private')
    await expectProblem(await api('/v1/models/private', {}, BETA_TOKEN), 404)
    const train = { x: [[1, 2, 3, 4]], y: ['setosa'] }
    const path = '/v1/models/private/train-small-batch'
    await expectProblem(await send('POST', path, train, BETA_TOKEN), 404)
    const list = await (await api('/v1/models', {}, BETA_TOKEN)).json()
    expect((list as { models: { id: string }[] }).models.map((m) => m.id)).not.toContain(
      'private',
    )
    // beta may use the same id for a model of its own
    await createModel('private', undefined, BETA_TOKEN)
  })
})

describe('token parsing', () => {
  it('reads tenant:token pairs', () => {
    expect(parseTokens(' a:0123456789abcdef , b-2:ABCDEFGHIJKLMNOP.~+/ ')).toEqual([
      { tenant: 'a', token: '0123456789abcdef' },
      { tenant: 'b-2', token: 'ABCDEFGHIJKLMNOP.~+/' },
    ])
  })

  it('refuses short tokens, bad tenants and empty values', () => {
    for (const bad of ['a:short', 'a b:0123456789abcdef', ':0123456789abcdef', '', ' ']) {
      expect(() => parseTokens(bad)).toThrow(ApiProblem)
    }
  })

  it('finds the tenant of a token and nothing for others', async () => {
    const pairs = parseTokens('a:0123456789abcdef,b:fedcba9876543210')
    expect(await findTenant(pairs, 'fedcba9876543210')).toBe('b')
    expect(await findTenant(pairs, '0123456789abcdeg')).toBeUndefined()
    // a known token with a character more or less is another token
    expect(await findTenant(pairs, '0123456789abcdef0')).toBeUndefined()
    expect(await findTenant(pairs, '0123456789abcde')).toBeUndefined()
    // the digests of the configured tokens are kept, and still match
    expect(await findTenant(pairs, '0123456789abcdef')).toBe('a')
    expect(await findTenant(pairs, 'fedcba9876543210')).toBe('b')
  })
})
