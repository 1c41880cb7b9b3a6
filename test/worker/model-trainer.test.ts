/**
 * The trainer Durable Object: its storage survives eviction, models larger
 * than one stored value are split into chunks, and KV ends up holding the
 * same bytes as the trainer.
 */
import { evictDurableObject, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { ModelTrainer } from '../../src/worker/model-trainer.ts'
import { readModel } from '../../src/worker/trainer-storage.ts'
import { trainerFor } from '../../src/worker/trainer-client.ts'
import { IRIS_X, IRIS_Y, createModel, irisSpec, send, storedModel, testEnv } from './helpers.ts'

/** Reads the trainer's own copy of acme's model `id`. */
async function trainerCopy(id: string) {
  const stub = trainerFor(testEnv, 'acme', id)
  return runInDurableObject(stub, async (_: ModelTrainer, state) => {
    const keys = [...(await state.storage.list()).keys()]
    return { keys, model: await readModel(state.storage) }
  })
}

describe('the trainer', () => {
  it('keeps its state across an eviction', async () => {
    await createModel('durable')
    const path = '/v1/models/durable/train-small-batch'
    expect((await send('POST', path, { x: IRIS_X, y: IRIS_Y })).status).toBe(200)
    await evictDurableObject(trainerFor(testEnv, 'acme', 'durable'))
    const after = await send('POST', path, { x: IRIS_X, y: IRIS_Y })
    expect(await after.json()).toMatchObject({ version: 2, samplesSeen: 12 })
  })

  it('stores a model over 1 MiB in chunks, and KV holds the same bytes', async () => {
    // 4·400 + 400, 400·400 + 400, 400·3 + 3 parameters, and Adam keeps two
    // values per parameter: about 2 MB in all
    const layers = [
      { units: 400, activation: 'relu' },
      { units: 400, activation: 'relu' },
      { units: 3, activation: 'softmax' },
    ]
    await createModel('wide', irisSpec({ layers }))
    const path = '/v1/models/wide/train-small-batch'
    expect((await send('POST', path, { x: IRIS_X, y: IRIS_Y })).status).toBe(200)
    const { keys, model } = await trainerCopy('wide')
    expect(keys.filter((key) => key.startsWith('blob/')).length).toBeGreaterThan(1)
    expect(model?.record.version).toBe(1)
    const kv = await storedModel('wide')
    expect(kv.blob).toEqual([...(model?.blob ?? [])])
    expect(JSON.parse(kv.meta ?? '{}')).toEqual(model?.record)
  })

  it('forgets everything on delete', async () => {
    await createModel('brief')
    expect((await send('DELETE', '/v1/models/brief', undefined)).status).toBe(204)
    const { keys, model } = await trainerCopy('brief')
    expect(keys).toEqual([])
    expect(model).toBeUndefined()
  })
})
