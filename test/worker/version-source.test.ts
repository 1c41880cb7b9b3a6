/**
 * One source of truth for a model's version: an uploaded file's own
 * version is replaced by the model's, so the ETag, GET weights and later
 * trains agree; counters past the library's bound are refused on upload;
 * If-Match compares strongly and fails on a model that does not exist.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { Network } from '../../src/core/index.ts'
import { decodeModel, encodeModel } from '../../src/core/model-format.ts'
import { ensureCore } from '../../src/worker/core-loader.ts'
import {
  IRIS_X,
  IRIS_Y,
  api,
  createModel,
  expectProblem,
  irisSpec,
  send,
  storedModel,
  trainerState,
} from './helpers.ts'

function upload(id: string, bytes: Uint8Array, headers: Record<string, string> = {}) {
  return api(`/v1/models/${id}/weights`, {
    method: 'PUT',
    body: bytes as Uint8Array<ArrayBuffer>,
    headers: { 'Content-Type': 'application/octet-stream', ...headers },
  })
}

/** Reads the version written inside the model file a route serves. */
async function fileVersion(id: string): Promise<{ etag: string | null; inside: number }> {
  const response = await api(`/v1/models/${id}/weights?consistency=strong`)
  const bytes = new Uint8Array(await response.arrayBuffer())
  return { etag: response.headers.get('ETag'), inside: decodeModel(bytes).header.version }
}

/** Rewrites one header field of a model file, with a valid checksum. */
function tamper(bytes: Uint8Array, change: (header: Record<string, unknown>) => void) {
  const { header, arrays } = decodeModel(bytes)
  const { arrays: _listed, ...rest } = header
  change(rest as unknown as Record<string, unknown>)
  return encodeModel(rest, Object.fromEntries(arrays))
}

let trainedFour: Uint8Array

beforeAll(async () => {
  await ensureCore()
  const net = await Network.create(irisSpec({ seed: 3 }))
  for (let i = 0; i < 4; i++) net.train(IRIS_X, IRIS_Y)
  expect(net.version).toBe(4)
  trainedFour = net.toBytes()
})

describe('one version number', () => {
  it('serves an upload, its trains, a re-upload and a rollback with the ETag inside', async () => {
    expect((await upload('stamped', trainedFour)).headers.get('ETag')).toBe('"0"')
    expect(await fileVersion('stamped')).toEqual({ etag: '"0"', inside: 0 })

    const train = await send('POST', '/v1/models/stamped/train-small-batch', {
      x: IRIS_X, y: IRIS_Y,
    })
    expect(await train.json()).toMatchObject({ version: 1 })
    expect(await fileVersion('stamped')).toEqual({ etag: '"1"', inside: 1 })

    const again = await upload('stamped', trainedFour, { 'If-Match': '"1"' })
    expect(again.status).toBe(200)
    expect(await fileVersion('stamped')).toEqual({ etag: '"2"', inside: 2 })

    const rollback = await send('POST', '/v1/models/stamped/rollback', { version: 0 })
    expect(rollback.headers.get('ETag')).toBe('"3"')
    expect(await fileVersion('stamped')).toEqual({ etag: '"3"', inside: 3 })
  })
})

describe('counters on upload', () => {
  it('refuses a file whose version or stats are past 2^48, naming the field', async () => {
    const version = tamper(trainedFour, (h) => { h.version = 2 ** 53 - 1 })
    const problem = await expectProblem(await upload('huge', version), 422, [
      ['body', 'header', 'version'],
    ])
    expect(problem.type).toBe('urn:edgeprop:problem:invalid-model')
    const seen = tamper(trainedFour, (h) => {
      h.stats = { samplesSeen: 2 ** 53, steps: 0, epochs: 0 }
    })
    const path = ['body', 'header', 'stats', 'samplesSeen']
    await expectProblem(await upload('huge', seen), 422, [path])
    expect((await trainerState('huge')).model).toBeNull()
  })

  it('takes a file at the bound, then refuses a train past it, naming the model', async () => {
    const full = tamper(trainedFour, (h) => {
      h.stats = { samplesSeen: 2 ** 48, steps: 4, epochs: 4 }
    })
    expect((await upload('full', full)).status).toBe(201)
    const before = await trainerState('full')
    const response = await send('POST', '/v1/models/full/train-small-batch', {
      x: IRIS_X, y: IRIS_Y,
    })
    const problem = await expectProblem(response, 422, [['path', 'id']])
    expect(problem.detail).toMatch(/stats\.samplesSeen to 281474976710662, past 2\^48/)
    expect(await trainerState('full')).toEqual(before)
  })
})

describe('If-Match', () => {
  it('answers 412 to any If-Match on a model that does not exist, storing nothing', async () => {
    for (const tag of ['"0"', '*']) {
      const put = await upload('absent', trainedFour, { 'If-Match': tag })
      const problem = await expectProblem(put, 412, [['headers', 'if-match']])
      expect(problem.detail).toBe(
        `If-Match is ${tag} but there is no such model; leave If-Match out to create it, ` +
          'or check the id.',
      )
    }
    const train = await send('POST', '/v1/models/absent/train-small-batch', {
      x: IRIS_X, y: IRIS_Y,
    }, undefined, { 'If-Match': '"0"' })
    const trained = await expectProblem(train, 412, [['headers', 'if-match']])
    // only an upload would have made the model: elsewhere the id is the fix
    expect(trained.detail).toBe('If-Match is "0" but there is no such model; check the id.')
    const remove = await api('/v1/models/absent', {
      method: 'DELETE', headers: { 'If-Match': '*' },
    })
    const removed = await expectProblem(remove, 412, [['headers', 'if-match']])
    expect(removed.detail).toBe('If-Match is * but there is no such model; check the id.')
    expect((await trainerState('absent')).model).toBeNull()
    expect(await storedModel('absent')).toEqual({ meta: null, blob: null })
  })

  it('never matches a weak tag W/"N", since If-Match compares strongly', async () => {
    await createModel('weakly')
    const before = await trainerState('weakly')
    const response = await send('POST', '/v1/models/weakly/train-small-batch', {
      x: IRIS_X, y: IRIS_Y,
    }, undefined, { 'If-Match': 'W/"0"' })
    const problem = await expectProblem(response, 412, [['headers', 'if-match']])
    expect(problem.detail).toMatch(/a weak tag W\/"N" never matches/)
    expect(await trainerState('weakly')).toEqual(before)
  })
})
