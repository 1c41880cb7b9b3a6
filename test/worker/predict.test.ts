/**
 * POST /v1/models/{id}/predict: outputs, labels and probabilities, from KV
 * through the isolate's cache of decoded networks.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { modelCache } from '../../src/worker/model-cache.ts'
import { IRIS_X, IRIS_Y, createModel, expectProblem, send, testEnv } from './helpers.ts'

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
    const meta = 'tenant/acme/meta/flower'
    const blob = 'tenant/acme/blob/flower'
    const saved = await Promise.all([
      testEnv.MODELS.get(meta),
      testEnv.MODELS.get(blob, 'arrayBuffer'),
    ])
    await testEnv.MODELS.delete(meta)
    await testEnv.MODELS.delete(blob)
    // with the keys gone, only the cache can answer
    const response = await send('POST', PREDICT, { x: IRIS_X[0] })
    expect(response.status).toBe(200)
    expect(modelCache.size).toBeGreaterThan(0)
    await testEnv.MODELS.put(meta, saved[0] ?? '')
    await testEnv.MODELS.put(blob, saved[1] ?? new ArrayBuffer(0), { metadata: { version: 1 } })
  })

  it('sees a new version after training through this isolate', async () => {
    const train = '/v1/models/flower/train-small-batch'
    await send('POST', train, { x: IRIS_X, y: IRIS_Y })
    const out = (await (await send('POST', PREDICT, { x: IRIS_X })).json()) as PredictionJson
    expect(out.version).toBe(2)
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
