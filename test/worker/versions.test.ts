/**
 * A model's history: GET /v1/models/{id}/versions lists the last
 * KEEP_VERSIONS (5 in wrangler.toml) with their stats, and POST rollback
 * makes one current again, bit for bit, under a new version number (the
 * file's header says the new number: one source of truth for versions).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { stampVersion } from '../../src/worker/model-file.ts'
import {
  IRIS_X,
  IRIS_Y,
  api,
  createModel,
  expectProblem,
  published,
  send,
  trainerState,
} from './helpers.ts'

const TRAIN = '/v1/models/hist/train-small-batch'
const ROLLBACK = '/v1/models/hist/rollback'

interface VersionListJson {
  id: string
  version: number
  keep: number
  versions: { version: number; change: string; from?: number; stats: object; bytes: number }[]
}

/** Holds, per version, the model file and the predictions the trainer gave. */
const seen = new Map<number, { bytes: number[]; prediction: unknown }>()

/** Records the trainer's current model file and predictions under its version. */
async function remember() {
  const weights = await api('/v1/models/hist/weights?consistency=strong')
  const version = Number(weights.headers.get('ETag')?.replaceAll('"', ''))
  const bytes = [...new Uint8Array(await weights.arrayBuffer())]
  const predicted = await send('POST', '/v1/models/hist/predict?consistency=strong', {
    x: IRIS_X,
  })
  seen.set(version, { bytes, prediction: await predicted.json() })
}

beforeAll(async () => {
  await createModel('hist')
  await remember()
  // six batches of 4 rows: versions 1 to 6
  for (let i = 0; i < 6; i++) {
    const rows = [0, 1, 2, 3].map((r) => (i + r) % IRIS_X.length)
    const body = { x: rows.map((r) => IRIS_X[r]), y: rows.map((r) => IRIS_Y[r]), epochs: 5 }
    expect((await send('POST', TRAIN, body)).status).toBe(200)
    await remember()
  }
})

describe('GET /v1/models/{id}/versions', () => {
  it('lists the last 5 versions, newest first, with their stats', async () => {
    const response = await api('/v1/models/hist/versions')
    expect(response.status).toBe(200)
    const list = (await response.json()) as VersionListJson
    expect(list).toMatchObject({ id: 'hist', version: 6, keep: 5 })
    expect(list.versions.map((v) => v.version)).toEqual([6, 5, 4, 3, 2])
    for (const info of list.versions) {
      // each batch is 4 rows × 5 epochs
      expect(info).toMatchObject({
        change: 'train',
        stats: { samplesSeen: 20 * info.version, epochs: 5 * info.version },
        bytes: seen.get(info.version)?.bytes.length,
      })
    }
  })

  it('answers 404 for a model that does not exist', async () => {
    await expectProblem(await api('/v1/models/nope/versions'), 404, [['path', 'id']])
  })
})

describe('POST /v1/models/{id}/rollback', () => {
  it('restores version 3 bit for bit as version 7, and training goes on from there', async () => {
    const response = await send('POST', ROLLBACK, { version: 3 })
    expect(response.status).toBe(200)
    expect(response.headers.get('ETag')).toBe('"7"')
    expect(await response.json()).toMatchObject({ version: 7, stats: { samplesSeen: 60 } })

    const weights = await api('/v1/models/hist/weights?consistency=strong')
    const restored = stampVersion(new Uint8Array(seen.get(3)?.bytes ?? []), 7)
    expect([...new Uint8Array(await weights.arrayBuffer())]).toEqual([...restored])
    const strong = await send('POST', '/v1/models/hist/predict?consistency=strong', { x: IRIS_X })
    const old = seen.get(3)?.prediction as Record<string, unknown>
    expect(await strong.json()).toEqual({ ...old, version: 7 })
    // KV serves the same, once published
    await published('hist')
    const eventual = await send('POST', '/v1/models/hist/predict', { x: IRIS_X })
    expect(await eventual.json()).toEqual({ ...old, version: 7 })

    const list = (await (await api('/v1/models/hist/versions')).json()) as VersionListJson
    expect(list.versions.map((v) => v.version)).toEqual([7, 6, 5, 4, 3])
    expect(list.versions[0]).toMatchObject({ change: 'rollback', from: 3 })
    const next = await send('POST', TRAIN, { x: IRIS_X.slice(0, 4), y: IRIS_Y.slice(0, 4) })
    expect(await next.json()).toMatchObject({ version: 8, samplesSeen: 64 })
  })

  it('refuses a version no longer kept, naming the kept ones, and changes nothing', async () => {
    const before = await trainerState('hist')
    const problem = await expectProblem(await send('POST', ROLLBACK, { version: 1 }), 422, [
      ['version'],
    ])
    expect(problem.detail).toBe(
      'version 1 is not kept; this model keeps versions 4, 5, 6, 7, 8 (the last ' +
        'KEEP_VERSIONS = 5). GET /v1/models/hist/versions lists them.',
    )
    expect(await trainerState('hist')).toEqual(before)
  })

  it('refuses a body without a whole, non-negative version', async () => {
    await expectProblem(await send('POST', ROLLBACK, {}), 422, [['version']])
    await expectProblem(await send('POST', ROLLBACK, { version: -1 }), 422, [['version']])
    await expectProblem(await send('POST', ROLLBACK, { version: 2.5 }), 422, [['version']])
  })

  it('answers 404 for a model that does not exist', async () => {
    const missing = await send('POST', '/v1/models/nope/rollback', { version: 0 })
    await expectProblem(missing, 404, [['path', 'id']])
  })
})
