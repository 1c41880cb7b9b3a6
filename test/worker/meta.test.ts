/**
 * The routes without a token (/healthz, /openapi.json, /docs), unknown
 * routes, CORS, security headers, request ids and the request log line.
 */
import { Hono } from 'hono'
import { requestId } from 'hono/request-id'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../../src/worker/env.ts'
import { requestLog } from '../../src/worker/request-log.ts'
import { api, expectProblem, withVars } from './helpers.ts'

interface Operation {
  parameters?: { in: string; name: string }[]
  responses: Record<string, { headers?: Record<string, unknown> }>
}

describe('open routes', () => {
  it('answers /healthz without a token', async () => {
    const response = await api('/healthz', {}, null)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
  })

  it('serves an OpenAPI document listing every route', async () => {
    const response = await api('/openapi.json', {}, null)
    expect(response.status).toBe(200)
    const doc = (await response.json()) as {
      openapi: string
      paths: Record<string, Record<string, unknown>>
      components: { schemas: Record<string, unknown> }
    }
    expect(doc.openapi).toBe('3.1.0')
    const routes = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    )
    expect(routes.sort()).toEqual([
      'DELETE /v1/models/{id}',
      'GET /healthz',
      'GET /v1/models',
      'GET /v1/models/{id}',
      'GET /v1/models/{id}/versions',
      'GET /v1/models/{id}/weights',
      'POST /v1/models',
      'POST /v1/models/{id}/predict',
      'POST /v1/models/{id}/rollback',
      'POST /v1/models/{id}/train-small-batch',
      'PUT /v1/models/{id}/weights',
    ])
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'ModelSpec', 'TrainBatch', 'Problem', 'Prediction', 'VersionList', 'Rollback',
      ]),
    )
  })

  it('documents the consistency query, the precondition headers and ETags', async () => {
    const doc = (await (await api('/openapi.json', {}, null)).json()) as {
      paths: Record<string, Record<string, Operation>>
    }
    const params = (path: string, method: string) =>
      (doc.paths[path][method].parameters ?? []).map((p) => `${p.in} ${p.name}`).sort()
    expect(params('/v1/models/{id}', 'get')).toEqual(['path id', 'query consistency'])
    expect(params('/v1/models/{id}/predict', 'post')).toEqual(['path id', 'query consistency'])
    expect(params('/v1/models/{id}/weights', 'get')).toEqual(['path id', 'query consistency'])
    for (const path of ['/v1/models/{id}/train-small-batch', '/v1/models/{id}/rollback']) {
      expect(params(path, 'post')).toEqual([
        'header idempotency-key', 'header if-match', 'path id',
      ])
      const ok = doc.paths[path].post.responses['200']
      expect(Object.keys(ok.headers ?? {}).sort()).toEqual(['ETag', 'Idempotent-Replayed'])
      expect(doc.paths[path].post.responses).toHaveProperty('412')
    }
    expect(params('/v1/models/{id}', 'delete')).toEqual(['header if-match', 'path id'])
    expect(params('/v1/models/{id}/weights', 'put')).toEqual(['header if-match', 'path id'])
  })

  it('serves a /docs page that reads the document', async () => {
    const response = await api('/docs', {}, null)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toMatch(/text\/html/)
    expect(await response.text()).toMatch(/fetch\('\/openapi.json'\)/)
  })

  it('answers unknown routes with a 404 problem', async () => {
    await expectProblem(await api('/nowhere', {}, null), 404, [['path']])
    await expectProblem(await api('/v1/models/a/b/c'), 404, [['path']])
  })
})

describe('headers', () => {
  it('sets X-Request-Id, keeping a valid one the client sent', async () => {
    const fresh = await api('/healthz', {}, null)
    expect(fresh.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
    const kept = await api('/healthz', { headers: { 'X-Request-Id': 'trace-42' } }, null)
    expect(kept.headers.get('X-Request-Id')).toBe('trace-42')
    const refused = await api('/v1/models', {}, null)
    expect(refused.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('sets security headers', async () => {
    const response = await api('/healthz', {}, null)
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(response.headers.get('X-Frame-Options')).toBe('SAMEORIGIN')
  })

  it('answers a CORS preflight without a token', async () => {
    const response = await api('/v1/models', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://app.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    }, null)
    expect(response.status).toBe(204)
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(response.headers.get('Access-Control-Allow-Headers')).toMatch(/Authorization/)
  })

  it('lets a page on another origin send the preconditions and read the versions', async () => {
    const preflight = await api('/v1/models/m/train-small-batch', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://app.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'if-match, idempotency-key',
      },
    }, null)
    const allowed = preflight.headers.get('Access-Control-Allow-Headers') ?? ''
    expect(allowed).toMatch(/If-Match/)
    expect(allowed).toMatch(/Idempotency-Key/)
    const answer = await api('/healthz', { headers: { Origin: 'https://app.example' } }, null)
    const exposed = answer.headers.get('Access-Control-Expose-Headers') ?? ''
    expect(exposed).toMatch(/ETag/)
    expect(exposed).toMatch(/Idempotent-Replayed/)
  })

  it('allows only the origins CORS_ORIGINS lists', async () => {
    const vars = { CORS_ORIGINS: 'https://a.example, https://b.example' }
    const allowed = await withVars(vars, '/healthz', { headers: { Origin: 'https://b.example' } })
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://b.example')
    const other = await withVars(vars, '/healthz', { headers: { Origin: 'https://c.example' } })
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })
})

describe('request log', () => {
  it('writes one JSON line per request with id, method, route, status and ms', async () => {
    const lines: string[] = []
    const app = new Hono<AppEnv>()
    app.use('*', requestId(), requestLog((line) => lines.push(line)))
    app.get('/things/:id', (c) => c.text('ok'))
    await app.request('/things/7', { headers: { 'X-Request-Id': 'abc' } })
    await app.request('/missing')
    expect(lines).toHaveLength(2)
    expect(JSON.parse(lines[0])).toMatchObject({
      id: 'abc',
      method: 'GET',
      route: '/things/:id',
      status: 200,
      ms: expect.any(Number),
    })
    expect(JSON.parse(lines[1])).toMatchObject({ route: 'unmatched', status: 404 })
  })
})
