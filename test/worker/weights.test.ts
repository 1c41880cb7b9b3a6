/**
 * GET and PUT /v1/models/{id}/weights: the binary model format in and out.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { Network } from '../../src/core/index.ts'
import { decodeModel } from '../../src/core/model-format.ts'
import { stampVersion } from '../../src/worker/model-file.ts'
import { rawModelFile } from '../helpers/raw-model-file.ts'
import { ensureCore } from '../../src/worker/core-loader.ts'
import {
  IRIS_X,
  IRIS_Y,
  api,
  createModel,
  expectProblem,
  irisSpec,
  send,
  published,
  trainerState,
  withVars,
} from './helpers.ts'

/** Uploads bytes as a model file. */
function upload(id: string, bytes: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) {
  return api(`/v1/models/${id}/weights`, {
    method: 'PUT',
    body: bytes,
    headers: { 'Content-Type': 'application/octet-stream', ...headers },
  })
}

/** Builds a trained network locally, as a browser or Node would. */
async function trainedElsewhere(): Promise<Network> {
  await ensureCore()
  const net = await Network.create(irisSpec({ seed: 99 }))
  net.train(IRIS_X, IRIS_Y, { epochs: 40 })
  return net
}

beforeAll(async () => {
  await createModel('served')
  await send('POST', '/v1/models/served/train-small-batch', { x: IRIS_X, y: IRIS_Y })
  await published('served')
})

describe('GET weights', () => {
  it('downloads the model file, which predicts as the API does', async () => {
    const response = await api('/v1/models/served/weights')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('application/octet-stream')
    expect(response.headers.get('ETag')).toBe('"1"')
    const bytes = new Uint8Array(await response.arrayBuffer())
    await ensureCore()
    const local = await Network.fromBytes(bytes)
    const remote = await (await send('POST', '/v1/models/served/predict', { x: IRIS_X })).json()
    expect(local.predict(IRIS_X).outputs).toEqual((remote as { outputs: number[][] }).outputs)
  })

  it('answers 404 for a model that does not exist', async () => {
    await expectProblem(await api('/v1/models/nope/weights'), 404)
  })
})

describe('PUT weights', () => {
  it('creates a model from a file trained elsewhere (201), then replaces it (200)', async () => {
    const net = await trainedElsewhere()
    const created = await upload('imported', net.toBytes() as Uint8Array<ArrayBuffer>)
    expect(created.status).toBe(201)
    expect(await created.json()).toMatchObject({ id: 'imported', version: 0 })
    const predicted = await send('POST', '/v1/models/imported/predict', { x: IRIS_X })
    const outputs = ((await predicted.json()) as { outputs: number[][] }).outputs
    expect(outputs).toEqual(net.predict(IRIS_X).outputs)

    const bytes = net.toBytes() as Uint8Array<ArrayBuffer>
    const replaced = await upload('imported', bytes, { 'If-Match': '"0"' })
    expect(replaced.status).toBe(200)
    expect(replaced.headers.get('ETag')).toBe('"1"')
  })

  it('stores what it checked: a JSON key given twice is not kept or served back', async () => {
    const net = await trainedElsewhere()
    const { header, arrays } = decodeModel(net.toBytes())
    // the first "spec" is junk that JSON.parse drops in favour of the second;
    // at version 0 already, the file would be stored with no rewrite of its own
    const json = '{"spec":{"junk":"' + 'x'.repeat(5000) + '"},' +
      JSON.stringify({ ...header, version: 0 }).slice(1)
    const file = rawModelFile(json, [...arrays.values()])

    expect((await upload('twice-said', file)).status).toBe(201)
    const served = await api('/v1/models/twice-said/weights?consistency=strong')
    const bytes = new Uint8Array(await served.arrayBuffer())
    expect(new TextDecoder().decode(bytes)).not.toContain('junk')
    // a created model starts at version 0, so its file says so
    expect(bytes).toEqual(stampVersion(net.toBytes(), 0))
  })

  it('refuses bytes that are not a model file, keeping the model', async () => {
    const before = await trainerState('served')
    const response = await upload('served', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))
    const problem = await expectProblem(response, 422)
    expect(problem.type).toBe('urn:edgeprop:problem:invalid-model')
    expect(await trainerState('served')).toEqual(before)
  })

  it('refuses another content type with 415', async () => {
    const before = await trainerState('served')
    const response = await api('/v1/models/served/weights', {
      method: 'PUT',
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    })
    const problem = await expectProblem(response, 415, [['headers', 'content-type']])
    expect(problem.detail).toMatch(/application\/octet-stream/)
    expect(await trainerState('served')).toEqual(before)
  })

  it('answers 412 when If-Match names another version', async () => {
    const before = await trainerState('served')
    const bytes = (await trainedElsewhere()).toBytes() as Uint8Array<ArrayBuffer>
    await expectProblem(await upload('served', bytes, { 'If-Match': '"7"' }), 412, [
      ['headers', 'if-match'],
    ])
    expect(await trainerState('served')).toEqual(before)
  })

  it('answers 413 over MAX_WEIGHTS_BYTES and 422 over MAX_PARAMETERS', async () => {
    const before = await trainerState('served')
    const bytes = (await trainedElsewhere()).toBytes() as Uint8Array<ArrayBuffer>
    const init = {
      method: 'PUT',
      body: bytes,
      headers: { 'Content-Type': 'application/octet-stream' },
    }
    const big = await withVars({ MAX_WEIGHTS_BYTES: '100' }, '/v1/models/served/weights', init)
    expect((await expectProblem(big, 413)).detail).toMatch(/MAX_WEIGHTS_BYTES = 100/)
    const wide = await withVars({ MAX_PARAMETERS: '10' }, '/v1/models/served/weights', init)
    expect((await expectProblem(wide, 422, [['body']])).detail).toMatch(/MAX_PARAMETERS = 10/)
    expect(await trainerState('served')).toEqual(before)
  })
})
