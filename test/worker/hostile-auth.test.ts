/**
 * Hostile callers: no token, a wrong one, one a character off, a token in
 * the query string, or another tenant's token get no access; an unknown
 * model and another tenant's model get the same answer (no existence
 * leak); a plain read falls back to the trainer when KV lacks the model.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import {
  IRIS_X,
  IRIS_Y,
  api,
  createModel,
  expectProblem,
  irisSpec,
  published,
  send,
  storedModel,
  testEnv,
  trainerState,
  withVars,
} from './helpers.ts'
import { ACME_TOKEN, BETA_TOKEN } from './tokens.ts'

/** Lists one request per model route, for model `id`. */
function routes(id: string): [string, string, unknown?][] {
  const base = `/v1/models/${id}`
  return [
    ['GET', base],
    ['GET', `${base}/weights`],
    ['GET', `${base}/versions`],
    ['POST', `${base}/predict`, { x: IRIS_X }],
    ['POST', `${base}/train-small-batch`, { x: IRIS_X, y: IRIS_Y }],
    ['POST', `${base}/rollback`, { version: 0 }],
    ['DELETE', base],
  ]
}

function call(
  method: string,
  path: string,
  body: unknown,
  token: string | null,
  extra: Record<string, string> = {},
) {
  const json: Record<string, string> =
    body === undefined ? {} : { 'Content-Type': 'application/json' }
  const headers = { ...json, ...extra }
  const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }
  return api(path, init, token)
}

/** Flips the last character of a token. */
const oneOff = ACME_TOKEN.slice(0, -1) + (ACME_TOKEN.endsWith('1') ? '2' : '1')

beforeAll(async () => {
  await createModel('vault')
  await createModel('beta-vault', undefined, BETA_TOKEN)
})

describe('no access without the right token', () => {
  it('answers 401 alike to no, wrong, near and query-string tokens', async () => {
    const before = await trainerState('vault')
    const answers = new Set<string>()
    for (const [method, path, body] of routes('vault')) {
      const attempts = [
        call(method, path, body, null),
        call(method, path, body, 'not-a-token-we-know-at-all'),
        call(method, path, body, oneOff),
        call(method, `${path}?token=${ACME_TOKEN}`, body, null),
        call(method, `${path}?access_token=${ACME_TOKEN}`, body, null),
        call(method, path, body, null, { Authorization: `Basic ${btoa(`acme:${ACME_TOKEN}`)}` }),
        call(method, path, body, null, { Authorization: ACME_TOKEN }),
      ]
      for (const response of await Promise.all(attempts)) {
        const problem = await expectProblem(response, 401, [['headers', 'authorization']])
        expect(problem.detail).not.toContain(ACME_TOKEN)
        answers.add(problem.title)
      }
    }
    expect([...answers]).toEqual(['Unauthorized'])
    expect(await trainerState('vault')).toEqual(before)
  })

  it('gives a wrong token and one a character off the very same body', async () => {
    const wrong = await (await api('/v1/models/vault', {}, 'x'.repeat(ACME_TOKEN.length))).json()
    const near = await (await api('/v1/models/vault', {}, oneOff)).json()
    expect(near).toEqual(wrong)
  })
})

describe('no existence leak', () => {
  it("answers another tenant's model exactly as a model that does not exist", async () => {
    const before = await trainerState('beta-vault', 'beta')
    for (const [method, path, body] of [
      ...routes('beta-vault'),
      ['PUT', '/v1/models/beta-vault/weights'] as [string, string],
    ]) {
      const extra: Record<string, string> = method === 'PUT'
        ? { 'If-Match': '"0"', 'Content-Type': 'application/octet-stream' }
        : {}
      const theirs = await call(method, path, body, ACME_TOKEN, extra)
      const unknown = await call(method, path.replace('beta-vault', 'ghost-vault'), body,
        ACME_TOKEN, extra)
      expect(theirs.status, `${method} ${path}`).toBe(unknown.status)
      const text = (await theirs.text()).replaceAll('beta-vault', 'ID')
      expect(text).toBe((await unknown.text()).replaceAll('ghost-vault', 'ID'))
    }
    expect(await trainerState('beta-vault', 'beta')).toEqual(before)
  })
})

describe('KV lacks a model its trainer has', () => {
  it('serves plain reads from the trainer, and create still says 409', async () => {
    await published('vault')
    await testEnv.MODELS.delete('tenant/acme/meta/vault')
    await testEnv.MODELS.delete('tenant/acme/blob/vault')
    expect(await storedModel('vault')).toEqual({ meta: null, blob: null })

    const record = await api('/v1/models/vault')
    expect(record.status).toBe(200)
    expect(await record.json()).toMatchObject({ id: 'vault', version: 0 })
    expect((await api('/v1/models/vault/weights')).status).toBe(200)
    const predict = await send('POST', '/v1/models/vault/predict', { x: IRIS_X })
    expect(predict.status).toBe(200)
    expect(predict.headers.get('ETag')).toBe('"0"')
    const again = await send('POST', '/v1/models', { id: 'vault', spec: irisSpec() })
    await expectProblem(again, 409, [['id']])
  })
})

describe('a token too short', () => {
  it('answers 503 naming the entry, its length and the minimum, never the token', async () => {
    const response = await withVars({ API_TOKENS: `acme:${ACME_TOKEN},beta:tiny` }, '/v1/models')
    const problem = await expectProblem(response, 503, [])
    expect(problem.detail).toMatch(
      /^API_TOKENS entry 2 \(tenant "beta"\) has a token of 4 characters; a token must have 16/,
    )
    expect(problem.detail).not.toMatch(/tiny/)
  })
})
