/**
 * POST /v1/models/{id}/predict: outputs, labels and probabilities, from KV
 * through the isolate's cache of decoded networks.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { modelCache } from '../../src/worker/model-cache.ts'
import {
  IRIS_X,
  IRIS_Y,
  createModel,
  expectProblem,
  published,
  send,
  testEnv,
} from './helpers.ts'

const PREDICT = '/v1/models/flower/predict'

interface PredictionJson {
  id: string
  version: number
  outputs: number[][]
  labels?: string[]
  probabilities?: number[][]
}

beforeAll(async () => {
  await createModel('flower')
  const train = '/v1/models/flower/train-small-batch'
  const response = await send('POST', train, { x: IRIS_X, y: IRIS_Y, epochs: 60 })
  expect(response.status).toBe(200)
  await published('flower')
})

describe('predict', () => {
  it('answers outputs, labels and probabilities for each row', async () => {
    const response = await send('POST', PREDICT, { x: IRIS_X })
    expect(response.status).toBe(200)
    expect(response.headers.get('ETag')).toBe('"1"')
    const out = (await response.json()) as PredictionJson
    expect(out).toMatchObject({ id: 'flower', version: 1 })
    expect(out.labels).toEqual(IRIS_Y)
    expect(out.outputs).toHaveLength(6)
    for (const row of out.probabilities ?? []) {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
    }
  })

  it('accepts one row', async () => {
    const out = (await (await send('POST', PREDICT, { x: IRIS_X[4] })).json()) as PredictionJson
    expect(out.labels).toEqual(['virginica'])
  })

  it('serves a warm model from the isolate cache without reading KV', async () => {
    await send('POST', PREDICT, { x: IRIS_X })
    expect(modelCache.size).toBeGreaterThan(0)
    const meta = 'tenant/acme/meta/flower'
    const saved = await testEnv.MODELS.get(meta)
    const record = JSON.parse(saved ?? '{}') as { version: number }
    // KV now names a version 99 the cache has never seen; the cache still answers
    await testEnv.MODELS.put(meta, JSON.stringify({ ...record, version: 99 }))
    const response = await send('POST', PREDICT, { x: IRIS_X[0] })
    expect(await response.json()).toMatchObject({ version: 1 })
    await testEnv.MODELS.put(meta, saved ?? '')
  })

  it('sees a new version at once with ?consistency=strong, and in KV once published', async () => {
    const train = '/v1/models/flower/train-small-batch'
    await send('POST', train, { x: IRIS_X, y: IRIS_Y })
    const strong = await send('POST', `${PREDICT}?consistency=strong`, { x: IRIS_X })
    expect(strong.headers.get('ETag')).toBe('"2"')
    const fresh = (await strong.json()) as PredictionJson
    expect(fresh.version).toBe(2)
    await published('flower')
    const out = (await (await send('POST', PREDICT, { x: IRIS_X })).json()) as PredictionJson
    expect(out).toEqual(fresh)
  })

  it('answers for a model KV does not hold yet, from its trainer', async () => {
    await createModel('sprout')
    await published('sprout')
    await testEnv.MODELS.delete('tenant/acme/meta/sprout')
    await testEnv.MODELS.delete('tenant/acme/blob/sprout')
    const response = await send('POST', '/v1/models/sprout/predict', { x: IRIS_X })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ id: 'sprout', version: 0 })
  })

  it('refuses a row of the wrong width', async () => {
    const response = await send('POST', PREDICT, { x: [IRIS_X[0], [1, 2, 3]] })
    const problem = await expectProblem(response, 422, [['x', 1]])
    expect(problem.detail).toMatch(/the model takes 4/)
  })

  it('refuses non-numbers and an empty x', async () => {
    await expectProblem(await send('POST', PREDICT, { x: [[1, 2, null, 4]] }), 422, [
      ['x', 0, 2],
    ])
    await expectProblem(await send('POST', PREDICT, { x: [] }), 422, [['x']])
    await expectProblem(await send('POST', PREDICT, {}), 422, [['x']])
  })

  it('answers 404 for a model that does not exist', async () => {
    await expectProblem(await send('POST', '/v1/models/nope/predict', { x: IRIS_X }), 404)
  })
})
