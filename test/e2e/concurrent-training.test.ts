/**
 * Training that never loses an update, over loopback: 32 train calls of 4
 * rows sent at once to `npm start`'s server end at version 32 with 128
 * samples seen, and the KV snapshot, once the paced publish lands, is the
 * trainer's model file byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalServer, startLocalServer } from './local-server.ts'

const CALLS = 32
const CALL_TIMEOUT_MS = 60_000
const PUBLISH_DEADLINE_MS = 30_000

const X = [
  [5.1, 3.5, 1.4, 0.2],
  [7.0, 3.2, 4.7, 1.4],
  [6.3, 3.3, 6.0, 2.5],
  [4.9, 3.0, 1.4, 0.2],
  [6.4, 3.2, 4.5, 1.5],
  [5.8, 2.7, 5.1, 1.9],
]
const Y = ['setosa', 'versicolor', 'virginica', 'setosa', 'versicolor', 'virginica']

let server: LocalServer

/** Sends one request as the test's tenant, giving up after CALL_TIMEOUT_MS. */
function call(path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers)
  headers.set('Authorization', `Bearer ${server.token}`)
  if (init.body !== undefined) headers.set('Content-Type', 'application/json')
  const signal = AbortSignal.timeout(CALL_TIMEOUT_MS)
  return fetch(`${server.base}${path}`, { ...init, headers, signal })
}

/** Reads a model file: from KV, or with `strong` from the model's trainer. */
async function weights(id: string, strong = false) {
  const query = strong ? '?consistency=strong' : ''
  const response = await call(`/v1/models/${id}/weights${query}`)
  expect(response.status).toBe(200)
  const bytes = new Uint8Array(await response.arrayBuffer())
  return { etag: response.headers.get('ETag'), bytes }
}

beforeAll(async () => {
  server = await startLocalServer()
})

afterAll(async () => {
  await server?.stop()
})

describe('concurrent training over loopback', () => {
  it('applies 32 concurrent calls as 32 versions; KV ends equal to the trainer', async () => {
    const spec = {
      kind: 'mlp',
      inputs: 4,
      layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }],
      loss: 'cross-entropy',
      optimizer: { name: 'adam', learningRate: 0.01 },
      labels: ['setosa', 'versicolor', 'virginica'],
      seed: 5,
    }
    const body = JSON.stringify({ id: 'busy', spec })
    const created = await call('/v1/models', { method: 'POST', body })
    expect(created.status).toBe(201)

    const started = performance.now()
    const responses = await Promise.all(
      Array.from({ length: CALLS }, (_, i) => {
        const rows = [0, 1, 2, 3].map((r) => (i + r) % X.length)
        const body = JSON.stringify({ x: rows.map((r) => X[r]), y: rows.map((r) => Y[r]) })
        return call('/v1/models/busy/train-small-batch', { method: 'POST', body })
      }),
    )
    const answered = performance.now()
    expect(responses.map((r) => r.status)).toEqual(Array(CALLS).fill(200))
    const fits = await Promise.all(
      responses.map((r) => r.json() as Promise<{ version: number; samplesSeen: number }>),
    )
    const versions = fits.map((fit) => fit.version).sort((a, b) => a - b)
    expect(versions).toEqual(Array.from({ length: CALLS }, (_, i) => i + 1))
    for (const fit of fits) expect(fit.samplesSeen).toBe(4 * fit.version)

    const strong = await (await call('/v1/models/busy?consistency=strong')).json()
    expect(strong).toMatchObject({ version: 32, stats: { samplesSeen: 128 } })

    // KV gets the newest version within about a second of the last call
    let kv = await weights('busy')
    while (kv.etag !== '"32"' && performance.now() - answered < PUBLISH_DEADLINE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      kv = await weights('busy')
    }
    const published = performance.now()
    expect(kv.etag).toBe('"32"')
    const trainer = await weights('busy', true)
    expect(trainer.etag).toBe('"32"')
    expect(kv.bytes).toEqual(trainer.bytes)
    expect(await (await call('/v1/models/busy')).json()).toEqual(strong)
    console.log(
      `loopback: ${CALLS} concurrent calls answered in ${Math.round(answered - started)} ms; ` +
        `KV at version 32 ${Math.round(published - answered)} ms after the last answer`,
    )
  })

  it('applies a retried call with the same Idempotency-Key once', async () => {
    const body = JSON.stringify({ x: X.slice(0, 4), y: Y.slice(0, 4) })
    const init = { method: 'POST', body, headers: { 'Idempotency-Key': 'loopback-1' } }
    const first = await call('/v1/models/busy/train-small-batch', init)
    const again = await call('/v1/models/busy/train-small-batch', init)
    expect(again.headers.get('Idempotent-Replayed')).toBe('true')
    expect(await again.text()).toBe(await first.text())
    const model = await (await call('/v1/models/busy?consistency=strong')).json()
    expect(model).toMatchObject({ version: 33, stats: { samplesSeen: 132 } })
  })
})
