/**
 * Preconditions on changes: `If-Match` applies a change only to the
 * version the client saw (412 otherwise, changing nothing), and an
 * `Idempotency-Key` applies a retried call once and answers it the same.
 */
import { describe, expect, it } from 'vitest'
import { ensureCore } from '../../src/worker/core-loader.ts'
import { Network } from '../../src/core/index.ts'
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
  trainerState,
} from './helpers.ts'

const batch = { x: IRIS_X.slice(0, 4), y: IRIS_Y.slice(0, 4) }
const otherBatch = { x: IRIS_X.slice(2, 6), y: IRIS_Y.slice(2, 6) }

/** Trains model `id` on `body` with the given headers. */
function train(id: string, body: unknown, headers: Record<string, string> = {}) {
  return send('POST', `/v1/models/${id}/train-small-batch`, body, undefined, headers)
}

describe('If-Match', () => {
  it('answers 412 on train, upload, rollback and delete once the model moved on', async () => {
    await createModel('guarded')
    expect((await train('guarded', batch)).status).toBe(200)
    const { kv } = await published('guarded')
    const before = await trainerState('guarded')
    const stale = { 'If-Match': '"0"' }

    await expectProblem(await train('guarded', batch, stale), 412, [['headers', 'if-match']])
    await ensureCore()
    const file = (await Network.create(irisSpec({ seed: 3 }))).toBytes()
    const upload = await api('/v1/models/guarded/weights', {
      method: 'PUT',
      body: file as Uint8Array<ArrayBuffer>,
      headers: { 'Content-Type': 'application/octet-stream', ...stale },
    })
    await expectProblem(upload, 412, [['headers', 'if-match']])
    const back = '/v1/models/guarded/rollback'
    const rollback = await send('POST', back, { version: 0 }, undefined, stale)
    const problem = await expectProblem(rollback, 412, [['headers', 'if-match']])
    expect(problem.detail).toMatch(/model is at version 1 \(ETag "1"\)/)
    const remove = await api('/v1/models/guarded', { method: 'DELETE', headers: stale })
    await expectProblem(remove, 412, [['headers', 'if-match']])

    expect(await trainerState('guarded')).toEqual(before)
    expect(await storedModel('guarded')).toEqual(kv)
  })

  it('applies a change whose If-Match is "N", * or a list naming the version', async () => {
    await createModel('matched')
    const tags = [['"0"', 1], ['*', 2], ['"9", "2"', 3]] as const
    for (const [tag, version] of tags) {
      const response = await train('matched', batch, { 'If-Match': tag })
      expect(response.headers.get('ETag')).toBe(`"${version}"`)
    }
  })

  it('tells a client that sent an unquoted version to quote it, and changes nothing', async () => {
    await createModel('bare')
    const before = await trainerState('bare')
    const problem = await expectProblem(await train('bare', batch, { 'If-Match': '0' }), 412, [
      ['headers', 'if-match'],
    ])
    expect(problem.detail).toBe(
      'If-Match is 0 but the model is at version 0 (ETag "0") (an entity tag is quoted: ' +
        'If-Match: "N", not If-Match: N); fetch it again, then retry with If-Match: "0".',
    )
    expect(await trainerState('bare')).toEqual(before)
  })

  it('lets one of two concurrent calls with the same If-Match through', async () => {
    await createModel('raced')
    const both = await Promise.all([
      train('raced', batch, { 'If-Match': '"0"' }),
      train('raced', otherBatch, { 'If-Match': '"0"' }),
    ])
    expect(both.map((r) => r.status).sort()).toEqual([200, 412])
    const model = await (await api('/v1/models/raced?consistency=strong')).json()
    expect(model).toMatchObject({ version: 1, stats: { samplesSeen: 4 } })
  })
})

describe('Idempotency-Key', () => {
  it('applies a repeated key once and answers the same body', async () => {
    await createModel('retried')
    const key = { 'Idempotency-Key': 'retry-1' }
    const first = await train('retried', batch, key)
    expect(first.status).toBe(200)
    expect(first.headers.get('Idempotent-Replayed')).toBeNull()
    const body = await first.text()
    for (let i = 0; i < 2; i++) {
      const again = await train('retried', batch, key)
      expect(again.status).toBe(200)
      expect(again.headers.get('Idempotent-Replayed')).toBe('true')
      expect(again.headers.get('ETag')).toBe('"1"')
      expect(await again.text()).toBe(body)
    }
    const model = await (await api('/v1/models/retried?consistency=strong')).json()
    expect(model).toMatchObject({ version: 1, stats: { samplesSeen: 4 } })
  })

  it('applies a key sent 8 times at once exactly once, answering each the same', async () => {
    await createModel('stampede')
    const key = { 'Idempotency-Key': 'stampede-1' }
    const calls = Array.from({ length: 8 }, () => train('stampede', batch, key))
    const responses = await Promise.all(calls)
    const bodies = await Promise.all(responses.map((r) => r.text()))
    expect(new Set(bodies).size).toBe(1)
    const replayed = responses.filter((r) => r.headers.get('Idempotent-Replayed') === 'true')
    expect(replayed).toHaveLength(7)
    const model = await (await api('/v1/models/stampede?consistency=strong')).json()
    expect(model).toMatchObject({ version: 1, stats: { samplesSeen: 4 } })
  })

  it('replays a retry that writes the same call another way', async () => {
    const regression = {
      kind: 'mlp', inputs: 4, loss: 'mse', optimizer: { name: 'sgd', learningRate: 0.01 },
      layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'linear' }],
    }
    await createModel('respelled', regression)
    const key = { 'Idempotency-Key': 'respelled-1' }
    const row = IRIS_X[0]
    const first = await train('respelled', { x: [row], y: [[0.5]], epochs: 1 }, key)
    expect(first.status).toBe(200)
    // a flat row, values that are the same f32, and defaults written out
    const same = [
      { x: row, y: [[0.5]] },
      { x: [row], y: [[0.5 + 1e-12]] },
      { x: [row.map((v) => v + 1e-12)], y: [[0.5]], batchSize: 64, shuffle: true },
    ]
    for (const body of same) {
      const again = await train('respelled', body, key)
      expect(again.status).toBe(200)
      expect(again.headers.get('Idempotent-Replayed')).toBe('true')
    }
    // a different epoch count is another call
    const other = await train('respelled', { x: [row], y: [[0.5]], epochs: 2 }, key)
    await expectProblem(other, 422, [['headers', 'idempotency-key']])
  })

  it('answers 422 for a key reused with another body, changing nothing', async () => {
    await createModel('reused')
    const key = { 'Idempotency-Key': 'reused-1' }
    expect((await train('reused', batch, key)).status).toBe(200)
    const before = await trainerState('reused')
    const response = await train('reused', otherBatch, key)
    const problem = await expectProblem(response, 422, [['headers', 'idempotency-key']])
    expect(problem.type).toBe('urn:edgeprop:problem:idempotency-key-reused')
    expect(problem.detail).toMatch(/"reused-1" was used with another body/)
    expect(await trainerState('reused')).toEqual(before)
    // the key of a train call is not a key for a rollback either
    const back = '/v1/models/reused/rollback'
    const rollback = await send('POST', back, { version: 0 }, undefined, key)
    expect((await expectProblem(rollback, 422)).detail).toMatch(/used for train/)
  })

  it('replays a call whose If-Match has gone stale because the call itself applied', async () => {
    await createModel('moved')
    const headers = { 'Idempotency-Key': 'moved-1', 'If-Match': '"0"' }
    const first = await train('moved', batch, headers)
    expect((await train('moved', otherBatch)).status).toBe(200)
    const retry = await train('moved', batch, headers)
    expect(retry.status).toBe(200)
    expect(await retry.text()).toBe(await first.text())
  })

  it('keeps no record of a refused call, so it can be corrected and sent again', async () => {
    await createModel('mended')
    const key = { 'Idempotency-Key': 'mended-1' }
    const bad = { x: batch.x, y: ['setosa', 'rose', 'setosa', 'setosa'] }
    await expectProblem(await train('mended', bad, key), 422, [['y', 1]])
    const good = await train('mended', batch, key)
    expect(await good.json()).toMatchObject({ version: 1 })
  })

  it('keeps keys per model: one key applies once on each of two models', async () => {
    await createModel('left')
    await createModel('right')
    const key = { 'Idempotency-Key': 'shared-1' }
    expect((await train('left', batch, key)).headers.get('Idempotent-Replayed')).toBeNull()
    expect((await train('right', batch, key)).headers.get('Idempotent-Replayed')).toBeNull()
  })

  it('refuses a key that is empty, too long or not visible ASCII', async () => {
    await createModel('strict')
    for (const key of ['', 'a b', 'x'.repeat(256), 'tab\there']) {
      const response = await train('strict', batch, { 'Idempotency-Key': key })
      await expectProblem(response, 422, [['headers', 'idempotency-key']])
    }
  })
})
