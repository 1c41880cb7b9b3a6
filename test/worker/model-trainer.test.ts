/**
 * The trainer Durable Object: its storage survives eviction (state, history,
 * idempotency records and a pending publish), models larger than one stored
 * value are split into chunks, delete leaves nothing behind, and a model
 * the first trainer stored moves to the versioned layout.
 */
import { evictDurableObject, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { Network } from '../../src/core/index.ts'
import { ensureCore } from '../../src/worker/core-loader.ts'
import { describeNetwork } from '../../src/worker/model-record.ts'
import { trainerFor } from '../../src/worker/trainer-client.ts'
import {
  IRIS_X,
  IRIS_Y,
  api,
  createModel,
  irisSpec,
  published,
  send,
  storedModel,
  testEnv,
  trainerCopy,
  trainerState,
} from './helpers.ts'

/** Builds batch `i`: 4 of the IRIS_X rows, starting at row i % 3. */
function batch(i: number) {
  const first = i % 3
  return { x: IRIS_X.slice(first, first + 4), y: IRIS_Y.slice(first, first + 4) }
}

/** Reads what a client can see of a model through its trainer. */
async function strongView(id: string) {
  const model = await (await api(`/v1/models/${id}?consistency=strong`)).json()
  const weights = await api(`/v1/models/${id}/weights?consistency=strong`)
  const bytes = [...new Uint8Array(await weights.arrayBuffer())]
  const versions = await (await api(`/v1/models/${id}/versions`)).json()
  return { model, bytes, versions }
}

describe('the trainer', () => {
  it('comes back after an eviction with the same state, history and idempotency keys', async () => {
    await createModel('durable')
    const path = '/v1/models/durable/train-small-batch'
    const keyed = { 'Idempotency-Key': 'durable-2' }
    expect((await send('POST', path, batch(1))).status).toBe(200)
    const first = await send('POST', path, batch(2), undefined, keyed)
    const answer = await first.text()
    expect((await send('POST', path, batch(3))).status).toBe(200)
    const storage = await trainerState('durable')
    const view = await strongView('durable')

    await evictDurableObject(trainerFor(testEnv, 'acme', 'durable'))
    expect(await trainerState('durable')).toEqual(storage)
    expect(await strongView('durable')).toEqual(view)
    const retried = await send('POST', path, batch(2), undefined, keyed)
    expect(retried.headers.get('Idempotent-Replayed')).toBe('true')
    expect(await retried.text()).toBe(answer)
    const after = await send('POST', path, batch(4))
    expect(await after.json()).toMatchObject({ version: 4, samplesSeen: 16 })
  })

  it('publishes after an eviction the version it had not yet published', async () => {
    await createModel('restless')
    await published('restless')
    const path = '/v1/models/restless/train-small-batch'
    expect((await send('POST', path, batch(0))).status).toBe(200)
    // within a second of the last write, the new version waits for the alarm
    expect((await trainerCopy('restless')).alarm).not.toBeNull()
    await evictDurableObject(trainerFor(testEnv, 'acme', 'restless'))
    const { kv, trainer } = await published('restless')
    expect(JSON.parse(kv.meta ?? '{}')).toMatchObject({ version: 1 })
    expect(kv.blob).toEqual([...(trainer.model?.blob ?? [])])
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
    const { kv, trainer } = await published('wide')
    // both kept versions are stored, each in more than one chunk
    const chunks = trainer.keys.filter((key) => key.startsWith('v/'))
    expect(chunks.filter((key) => key.startsWith('v/0/')).length).toBeGreaterThan(1)
    expect(chunks.filter((key) => key.startsWith('v/1/')).length).toBeGreaterThan(1)
    expect(trainer.model?.record.version).toBe(1)
    expect(kv.blob).toEqual([...(trainer.model?.blob ?? [])])
    expect(JSON.parse(kv.meta ?? '{}')).toEqual(trainer.model?.record)
  })

  it('forgets everything on delete: state, history, idempotency records and KV keys', async () => {
    await createModel('brief')
    const path = '/v1/models/brief/train-small-batch'
    const keyed = { 'Idempotency-Key': 'brief-1' }
    expect((await send('POST', path, batch(0), undefined, keyed)).status).toBe(200)
    expect((await trainerState('brief')).keys.length).toBeGreaterThan(3)
    // the delete answers once KV is cleared too, waiting out the pacing
    expect((await send('DELETE', '/v1/models/brief', undefined)).status).toBe(204)
    const { keys, model, tombstone, alarm } = await trainerCopy('brief')
    expect({ keys, model, tombstone, alarm }).toEqual({
      keys: [],
      model: null,
      tombstone: null,
      alarm: null,
    })
    expect(await storedModel('brief')).toEqual({ meta: null, blob: null })
  })

  it('starts a model created again after a delete at version 0, with a new history', async () => {
    await createModel('phoenix')
    const path = '/v1/models/phoenix/train-small-batch'
    expect((await send('POST', path, batch(0))).status).toBe(200)
    expect((await send('DELETE', '/v1/models/phoenix', undefined)).status).toBe(204)
    await createModel('phoenix', irisSpec({ seed: 12 }))
    const versions = await (await api('/v1/models/phoenix/versions')).json()
    expect(versions).toMatchObject({ version: 0, versions: [{ version: 0, change: 'create' }] })
    const { kv } = await published('phoenix')
    expect(JSON.parse(kv.meta ?? '{}')).toMatchObject({ version: 0, spec: { seed: 12 } })
  })

  it('moves a model the first trainer stored (one version in blob/<n>) to versions', async () => {
    await ensureCore()
    const net = await Network.create(irisSpec())
    net.train(IRIS_X, IRIS_Y)
    const blob = net.toBytes()
    const record = describeNetwork(net, 'elder', 3, '2026-01-01T00:00:00.000Z')
    const stub = trainerFor(testEnv, 'acme', 'elder')
    await runInDurableObject(stub, async (_, state) => {
      const head = { tenant: 'acme', record, chunks: 1, bytes: blob.byteLength }
      await state.storage.put({ head, 'blob/0': blob })
    })
    await evictDurableObject(stub)

    const weights = await api('/v1/models/elder/weights?consistency=strong')
    expect(weights.headers.get('ETag')).toBe('"3"')
    expect([...new Uint8Array(await weights.arrayBuffer())]).toEqual([...blob])
    const versions = await (await api('/v1/models/elder/versions')).json()
    expect(versions).toMatchObject({ version: 3, versions: [{ version: 3, change: 'train' }] })
    expect((await trainerState('elder')).keys).toEqual(['head', 'v/3/0'])
    const next = await send('POST', '/v1/models/elder/train-small-batch', batch(0))
    expect(await next.json()).toMatchObject({ version: 4, samplesSeen: 10 })
  })
})
