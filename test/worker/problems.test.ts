/**
 * Every refusal is application/problem+json with a non-empty errors[]
 * whose paths say where to look, a wrong method on a known path is 405
 * with Allow, and every answer carries hono/secure-headers' headers.
 */
import { describe, expect, it } from 'vitest'
import { api, createModel, expectProblem, send, trainerState, withVars } from './helpers.ts'

describe('error paths', () => {
  it('names the body for malformed and empty JSON', async () => {
    const malformed = await api('/v1/models', {
      method: 'POST', body: '{"id": "m", "spec": ', headers: { 'Content-Type': 'application/json' },
    })
    expect((await expectProblem(malformed, 400, [['body']])).type).toBe(
      'urn:edgeprop:problem:malformed-json',
    )
    await expectProblem(await send('POST', '/v1/models', undefined), 400, [['body']])
  })

  it('answers 400 missing-body to every JSON route sent no body, changing nothing', async () => {
    await createModel('bodiless')
    const before = await trainerState('bodiless')
    const routes = ['', '/bodiless/train-small-batch', '/bodiless/predict', '/bodiless/rollback']
    for (const route of routes) {
      const response = await api(`/v1/models${route}`, { method: 'POST' })
      const problem = await expectProblem(response, 400, [['body']])
      expect(problem.type).toBe('urn:edgeprop:problem:missing-body')
      expect(problem.detail).toBe(
        'The request has no body; send a JSON object with "Content-Type: application/json".',
      )
    }
    expect(await trainerState('bodiless')).toEqual(before)
    // a path no route takes stays a 404, body or not
    await expectProblem(await api('/v1/models/bodiless/retrain', { method: 'POST' }), 404)
  })

  it('names the Content-Type header for a body that is not JSON', async () => {
    const response = await api('/v1/models/x/predict', {
      method: 'POST', body: 'x=1', headers: { 'Content-Type': 'text/plain' },
    })
    const problem = await expectProblem(response, 415, [['headers', 'content-type']])
    expect(problem.errors[0].message).toBe('expected application/json')
  })

  it('names the Authorization header on 401', async () => {
    const problem = await expectProblem(await api('/v1/models', {}, null), 401, [
      ['headers', 'authorization'],
    ])
    expect(problem.errors[0].message).toBe(problem.detail)
  })

  it('names the id on 404 for a model and the path for an unknown route', async () => {
    const model = await expectProblem(await api('/v1/models/none-here'), 404, [['path', 'id']])
    expect(model.detail).toBe('There is no model "none-here"; GET /v1/models lists yours.')
    const route = await expectProblem(await api('/v2/anything'), 404, [['path']])
    expect(route.detail).toBe('No route matches /v2/anything; GET /openapi.json lists them all.')
  })

  it('prefixes path, query and header fields by where they were sent', async () => {
    await expectProblem(await api('/v1/models/-bad'), 422, [['path', 'id']])
    await expectProblem(await api('/v1/models?limit=0'), 422, [['query', 'limit']])
    const key = await send('POST', '/v1/models/x/rollback', { version: 0 }, undefined, {
      'Idempotency-Key': 'has space',
    })
    await expectProblem(key, 422, [['headers', 'idempotency-key']])
  })
})

describe('405', () => {
  it('answers a wrong method on a known path with 405 and Allow', async () => {
    await createModel('methods')
    const cases = [
      ['PATCH', '/v1/models/methods', 'DELETE, GET, HEAD'],
      ['PUT', '/v1/models', 'GET, HEAD, POST'],
      ['GET', '/v1/models/methods/train-small-batch', 'POST'],
      ['DELETE', '/v1/models/methods/weights', 'GET, HEAD, PUT'],
      ['POST', '/healthz', 'GET, HEAD'],
    ] as const
    for (const [method, path, allow] of cases) {
      const response = await api(path, { method })
      expect(response.headers.get('Allow')).toBe(allow)
      const problem = await expectProblem(response, 405, [['method']])
      expect(problem.detail).toBe(`${method} is not allowed on ${path}; use ${allow}.`)
    }
  })

  it('answers a known path with a trailing slash as no route, whatever the method', async () => {
    await createModel('slashed')
    const paths = ['/v1/models/', '/v1/models/slashed/', '/v1/models/slashed/predict/']
    for (const path of paths) {
      for (const method of ['GET', 'POST']) {
        const response = await api(path, { method })
        expect(response.headers.get('Allow')).toBeNull()
        const problem = await expectProblem(response, 404, [['path']])
        expect(problem.detail).toBe(`No route matches ${path}; GET /openapi.json lists them all.`)
      }
    }
  })

  it('asks for a token before saying which methods a model path takes', async () => {
    const response = await api('/v1/models/methods', { method: 'PATCH' }, null)
    await expectProblem(response, 401, [['headers', 'authorization']])
  })
})

describe('secure headers', () => {
  const expected = {
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Strict-Transport-Security': 'max-age=15552000; includeSubDomains',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'SAMEORIGIN',
    'X-Permitted-Cross-Domain-Policies': 'none',
    'X-XSS-Protection': '0',
  }

  it('sets them on answers, refusals and errors alike', async () => {
    const answers = [
      await api('/healthz', {}, null),
      await api('/v1/models'),
      await api('/v1/models', {}, null),
      await api('/v1/models/none-here'),
      await api('/v1/models', { method: 'PATCH' }),
      await withVars({ MAX_ROWS: 'lots' }, '/v1/models'),
    ]
    expect(answers.map((r) => r.status)).toEqual([200, 200, 401, 404, 405, 503])
    for (const response of answers) {
      for (const [name, value] of Object.entries(expected)) {
        expect(response.headers.get(name), name).toBe(value)
      }
    }
  })
})
