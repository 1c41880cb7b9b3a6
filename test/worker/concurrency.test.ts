/**
 * Training that never loses an update: concurrent calls on one model are
 * applied one at a time by its trainer, KV catches up with paced writes,
 * and `?consistency=strong` reads see every answered change at once.
 */
import { describe, expect, it } from 'vitest'
import {
  IRIS_X,
  IRIS_Y,
  api,
  createModel,
  expectProblem,
  published,
  send,
  storedModel,
  testEnv,
} from './helpers.ts'

interface TrainJson {
  version: number
  samplesSeen: number
}

/** Builds batch `i`: 4 rows of IRIS_X, wrapping around. */
function batch(i: number) {
  const rows = [0, 1, 2, 3].map((r) => (i + r) % IRIS_X.length)
  return { x: rows.map((r) => IRIS_X[r]), y: rows.map((r) => IRIS_Y[r]), shuffle: i % 2 === 0 }
}

describe('32 concurrent train-small-batch calls on one model', () => {
  it('end at version 32, 128 samples seen, and KV equal to the trainer byte for byte', async () => {
    await createModel('busy')
    const path = '/v1/models/busy/train-small-batch'
    const started = Date.now()
    const responses = await Promise.all(
      Array.from({ length: 32 }, (_, i) => send('POST', path, batch(i))),
    )
    const answered = Date.now()
    expect(responses.map((r) => r.status)).toEqual(Array(32).fill(200))
    const fits = await Promise.all(responses.map(async (r) => (await r.json()) as TrainJson))
    // each call got its own version, and saw the 4 rows of every call before it
    const versions = fits.map((fit) => fit.version).sort((a, b) => a - b)
    expect(versions).toEqual(Array.from({ length: 32 }, (_, i) => i + 1))
    for (const fit of fits) expect(fit.samplesSeen).toBe(4 * fit.version)

    const strong = await api('/v1/models/busy?consistency=strong')
    expect(strong.headers.get('ETag')).toBe('"32"')
    expect(await strong.json()).toMatchObject({ version: 32, stats: { samplesSeen: 128 } })

    const { kv, trainer } = await published('busy')
    const caughtUp = Date.now()
    expect(trainer.model?.record).toMatchObject({ version: 32, stats: { samplesSeen: 128 } })
    expect(kv.blob).toEqual([...(trainer.model?.blob ?? [])])
    expect(JSON.parse(kv.meta ?? '{}')).toEqual(trainer.model?.record)
    // one KV write at once, then at most one per second until it caught up
    const seconds = (caughtUp - started) / 1000
    expect(trainer.writes).toBeLessThanOrEqual(Math.floor(seconds) + 1)
    console.log(
      `32 concurrent calls: answered in ${answered - started} ms; KV at version 32 ` +
        `after ${caughtUp - started} ms with ${trainer.writes} snapshot writes`,
    )
  })
})

describe('reads', () => {
  it('see a change at once with ?consistency=strong, and from KV once published', async () => {
    await createModel('fresh')
    const path = '/v1/models/fresh/train-small-batch'
    expect((await send('POST', path, batch(0))).status).toBe(200)
    await published('fresh')
    expect((await send('POST', path, batch(1))).status).toBe(200)
    // KV was written a moment ago, so version 2 waits for the next second
    const eventual = await api('/v1/models/fresh')
    expect(await eventual.json()).toMatchObject({ version: 1 })
    const strong = await api('/v1/models/fresh?consistency=strong')
    expect(await strong.json()).toMatchObject({ version: 2, stats: { samplesSeen: 8 } })
    await published('fresh')
    expect(await (await api('/v1/models/fresh')).json()).toMatchObject({ version: 2 })
  })

  it('find a model KV does not hold yet in its trainer', async () => {
    await createModel('newborn')
    await published('newborn')
    await storedModelGone('newborn')
    const response = await api('/v1/models/newborn')
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ id: 'newborn', version: 0 })
    const weights = await api('/v1/models/newborn/weights')
    expect(weights.headers.get('ETag')).toBe('"0"')
  })

  it('refuses a consistency that is neither eventual nor strong', async () => {
    const linear = await api('/v1/models/busy?consistency=linear')
    await expectProblem(linear, 422, [['query', 'consistency']])
  })
})

/** Removes a model's KV keys, as if its first publish had not arrived yet. */
async function storedModelGone(id: string) {
  await testEnv.MODELS.delete(`tenant/acme/meta/${id}`)
  await testEnv.MODELS.delete(`tenant/acme/blob/${id}`)
  expect(await storedModel(id)).toEqual({ meta: null, blob: null })
}
