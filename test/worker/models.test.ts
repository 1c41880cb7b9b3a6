/**
 * POST/GET /v1/models and GET/DELETE /v1/models/{id}: what each answers,
 * and that every refusal leaves KV and the model's trainer as they were.
 */
import { describe, expect, it } from 'vitest'
import {
  allKeys,
  api,
  createModel,
  expectProblem,
  irisSpec,
  published,
  send,
  storedModel,
  trainerCopy,
  trainerState,
  withVars,
} from './helpers.ts'
import { BETA_TOKEN } from './tokens.ts'

/** Asserts that neither KV nor the trainer of `tenant`/`id` holds anything. */
async function expectNothingStored(id: string, tenant = 'acme') {
  const mine = (key: string) => key.startsWith(`tenant/${tenant}/`) && key.endsWith(`/${id}`)
  expect((await allKeys()).filter(mine), `KV keys of ${tenant}/${id}`).toEqual([])
  const { keys } = await trainerCopy(id, tenant)
  expect(keys, `trainer storage of ${tenant}/${id}`).toEqual([])
}

describe('POST /v1/models', () => {
  it('creates a model at version 0 with its parameter count', async () => {
    const response = await send('POST', '/v1/models', { id: 'iris', spec: irisSpec() })
    expect(response.status).toBe(201)
    expect(response.headers.get('Location')).toBe('/v1/models/iris')
    expect(response.headers.get('ETag')).toBe('"0"')
    const body = (await response.json()) as Record<string, unknown>
    // 4·8 + 8 weights and biases, then 8·3 + 3
    expect(body).toMatchObject({ id: 'iris', version: 0, kind: 'mlp', parameterCount: 67 })
    expect(body.classes).toEqual(['setosa', 'versicolor', 'virginica'])
    expect(body.spec).toMatchObject({ seed: 7, optimizer: { beta1: 0.9 } })
    const { kv, trainer } = await published('iris')
    expect(kv.blob).toEqual([...(trainer.model?.blob ?? [])])
  })

  it('generates an id when none is given', async () => {
    const response = await send('POST', '/v1/models', { spec: irisSpec() })
    expect(response.status).toBe(201)
    const { id } = (await response.json()) as { id: string }
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('refuses an id that is taken with 409 and keeps the first model', async () => {
    await createModel('taken')
    const before = await trainerState('taken')
    const spec = irisSpec({ seed: 8 })
    const response = await send('POST', '/v1/models', { id: 'taken', spec })
    await expectProblem(response, 409, [['id']])
    expect(await trainerState('taken')).toEqual(before)
  })

  it('refuses a step activation in an MLP, naming the layer', async () => {
    const keys = await allKeys()
    const layers = [
      { units: 8, activation: 'heaviside' },
      { units: 3, activation: 'softmax' },
    ]
    const spec = irisSpec({ layers })
    const response = await send('POST', '/v1/models', { id: 'step-layer', spec })
    const problem = await expectProblem(response, 422, [['spec', 'layers', 0, 'activation']])
    expect(problem.detail).toMatch(/no gradient/)
    expect(await allKeys()).toEqual(keys)
    await expectNothingStored('step-layer')
  })

  it('refuses an unknown activation and an unknown field', async () => {
    const layers = [{ units: 3, activation: 'swish' }]
    const spec = { ...irisSpec({ layers }), learningrate: 1 }
    const response = await send('POST', '/v1/models', { id: 'swish', spec })
    await expectProblem(response, 422, [
      ['spec', 'layers', 0, 'activation'],
      ['spec', 'learningrate'],
    ])
    await expectNothingStored('swish')
  })

  it('refuses labels that do not match the output units', async () => {
    const response = await send('POST', '/v1/models', {
      id: 'two-labels',
      spec: irisSpec({ labels: ['a', 'b'] }),
    })
    await expectProblem(response, 422, [['spec', 'labels']])
    await expectNothingStored('two-labels')
  })

  it('refuses a bad id', async () => {
    const response = await send('POST', '/v1/models', { id: 'no spaces', spec: irisSpec() })
    await expectProblem(response, 422, [['id']])
    await expectNothingStored('no spaces')
  })

  it('answers 400 for malformed JSON', async () => {
    const response = await api('/v1/models', {
      method: 'POST',
      body: '{"id": "truncated", "spec": ',
      headers: { 'Content-Type': 'application/json' },
    })
    const problem = await expectProblem(response, 400, [['body']])
    expect(problem.type).toBe('urn:edgeprop:problem:malformed-json')
    await expectNothingStored('truncated')
  })

  it('answers 415 for a body that is not JSON', async () => {
    const response = await api('/v1/models', {
      method: 'POST',
      body: `id=form&spec=${encodeURIComponent(JSON.stringify(irisSpec()))}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    const problem = await expectProblem(response, 415, [['headers', 'content-type']])
    expect(problem.detail).toMatch(/application\/json/)
    await expectNothingStored('form')
  })

  it('answers 400 when the body is missing, storing no model of any id', async () => {
    // beta has no models yet in this file: any key under tenant/beta/ would be this call's
    const response = await api('/v1/models', { method: 'POST' }, BETA_TOKEN)
    await expectProblem(response, 400, [['body']])
    expect((await allKeys()).filter((key) => key.startsWith('tenant/beta/'))).toEqual([])
  })

  it('answers 413 for a body over MAX_BODY_BYTES, naming it', async () => {
    const keys = await allKeys()
    const body = JSON.stringify({ id: 'big-body', spec: irisSpec() })
    const response = await withVars({ MAX_BODY_BYTES: '64' }, '/v1/models', {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json' },
    })
    const problem = await expectProblem(response, 413, [['body']])
    expect(problem.detail).toMatch(/MAX_BODY_BYTES = 64/)
    expect(await allKeys()).toEqual(keys)
    await expectNothingStored('big-body')
  })

  it('answers 413 for a spec over MAX_SPEC_BYTES, naming it', async () => {
    const response = await withVars({ MAX_SPEC_BYTES: '100' }, '/v1/models', {
      method: 'POST',
      body: JSON.stringify({ id: 'big-spec', spec: irisSpec() }),
      headers: { 'Content-Type': 'application/json' },
    })
    const problem = await expectProblem(response, 413, [['spec']])
    expect(problem.detail).toMatch(/MAX_SPEC_BYTES = 100/)
    await expectNothingStored('big-spec')
  })

  it('answers 422 for a model over MAX_PARAMETERS, naming it', async () => {
    const keys = await allKeys()
    const response = await withVars({ MAX_PARAMETERS: '50' }, '/v1/models', {
      method: 'POST',
      body: JSON.stringify({ id: 'many-parameters', spec: irisSpec() }),
      headers: { 'Content-Type': 'application/json' },
    })
    const problem = await expectProblem(response, 422, [['spec']])
    expect(problem.detail).toMatch(/67 parameters, over MAX_PARAMETERS = 50/)
    expect(await allKeys()).toEqual(keys)
    await expectNothingStored('many-parameters')
  })
})

describe('GET /v1/models', () => {
  it('lists models a page at a time with a cursor', async () => {
    // tenant beta has no other models in this file
    for (const id of ['a', 'b', 'c']) await createModel(id, irisSpec(), BETA_TOKEN)
    // lists come from KV, which the trainers fill a moment later
    for (const id of ['a', 'b', 'c']) await published(id, 'beta')
    const first = await api('/v1/models?limit=2', {}, BETA_TOKEN)
    expect(first.status).toBe(200)
    const page1 = (await first.json()) as { models: { id: string }[]; cursor: string }
    expect(page1.models.map((m) => m.id)).toEqual(['a', 'b'])
    expect(page1.cursor).toEqual(expect.any(String))
    const next = `/v1/models?limit=2&cursor=${encodeURIComponent(page1.cursor)}`
    const second = await api(next, {}, BETA_TOKEN)
    const page2 = (await second.json()) as { models: { id: string }[]; cursor: null }
    expect(page2.models).toMatchObject([{ id: 'c', version: 0, kind: 'mlp' }])
    expect(page2.cursor).toBeNull()
  })

  it('refuses a limit out of range', async () => {
    await expectProblem(await api('/v1/models?limit=0'), 422, [['query', 'limit']])
    await expectProblem(await api('/v1/models?limit=abc'), 422, [['query', 'limit']])
  })
})

describe('GET /v1/models/{id}', () => {
  it('answers the spec, version and stats with the version as ETag', async () => {
    await createModel('seen')
    const response = await api('/v1/models/seen')
    expect(response.status).toBe(200)
    expect(response.headers.get('ETag')).toBe('"0"')
    expect(await response.json()).toMatchObject({
      id: 'seen',
      version: 0,
      stats: { samplesSeen: 0, steps: 0, epochs: 0 },
      spec: { kind: 'mlp', inputs: 4 },
    })
  })

  it('answers 404 for a model that does not exist', async () => {
    const problem = await expectProblem(await api('/v1/models/nope'), 404, [['path', 'id']])
    expect(problem.detail).toMatch(/"nope"/)
  })

  it('refuses an id with characters ids cannot have', async () => {
    await expectProblem(await api('/v1/models/a%20b'), 422, [['path', 'id']])
  })
})

describe('DELETE /v1/models/{id}', () => {
  it('deletes a model from KV and its trainer', async () => {
    await createModel('gone')
    const response = await api('/v1/models/gone', { method: 'DELETE' })
    expect(response.status).toBe(204)
    expect(await storedModel('gone')).toEqual({ meta: null, blob: null })
    await expectProblem(await api('/v1/models/gone'), 404)
    await expectProblem(await api('/v1/models/gone', { method: 'DELETE' }), 404)
    await createModel('gone')
  })

  it('answers 412 when If-Match names another version, deleting nothing', async () => {
    await createModel('kept')
    const before = await trainerState('kept')
    const response = await api('/v1/models/kept', {
      method: 'DELETE',
      headers: { 'If-Match': '"4"' },
    })
    await expectProblem(response, 412, [['headers', 'if-match']])
    expect(await trainerState('kept')).toEqual(before)
    const matching = await api('/v1/models/kept', {
      method: 'DELETE',
      headers: { 'If-Match': '"0"' },
    })
    expect(matching.status).toBe(204)
  })
})
