/**
 * Every limit at its edge: a request exactly at the limit is accepted and
 * one over is refused, for body size, rows, parameters and work; the work
 * limit prices optimizer steps; epochs and batchSize have the library's
 * bounds, stated in the refusal.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { Network } from '../../src/core/index.ts'
import { ensureCore } from '../../src/worker/core-loader.ts'
import { WORK_PER_STEP } from '../../src/worker/training.ts'
import {
  IRIS_X,
  IRIS_Y,
  createModel,
  expectProblem,
  irisSpec,
  send,
  trainerState,
  withVars,
} from './helpers.ts'

const TRAIN = '/v1/models/edges/train-small-batch'
const PREDICT = '/v1/models/edges/predict'
/** iris: 4 inputs → 8 relu → 3 softmax = 5·8 + 9·3 weights and biases. */
const PARAMETERS = 5 * 8 + 9 * 3

function post(vars: Record<string, string>, path: string, body: string, type = 'application/json') {
  return withVars(vars, path, { method: 'POST', body, headers: { 'Content-Type': type } })
}

beforeAll(async () => {
  await createModel('edges')
})

describe('MAX_BODY_BYTES', () => {
  // each route, its body, the status at the limit and the model a refusal must not change
  const bodies = [
    { route: 'predict', path: PREDICT, id: 'edges', status: 200, body: { x: IRIS_X } },
    { route: 'train-small-batch', path: TRAIN, id: 'edges', status: 200,
      body: { x: IRIS_X, y: IRIS_Y } },
    { route: 'create', path: '/v1/models', id: 'sized', status: 201,
      body: { id: 'sized', spec: irisSpec() } },
  ]

  it.each(bodies)(
    'accepts a $route body of exactly the limit and refuses one byte more with 413',
    async ({ path, body, status, id }) => {
      const text = JSON.stringify(body)
      const size = new TextEncoder().encode(text).byteLength
      const before = await trainerState(id)
      const over = await post({ MAX_BODY_BYTES: String(size - 1) }, path, text)
      const problem = await expectProblem(over, 413, [['body']])
      expect(problem.detail).toBe(
        `The body is over MAX_BODY_BYTES = ${size - 1} bytes; send less per call.`,
      )
      expect(await trainerState(id)).toEqual(before)
      const at = await post({ MAX_BODY_BYTES: String(size) }, path, text)
      expect(at.status).toBe(status)
    },
  )
})

describe('MAX_ROWS', () => {
  it('accepts exactly MAX_ROWS rows and refuses one more, on predict and train', async () => {
    const rows = IRIS_X.length
    const vars = { MAX_ROWS: String(rows) }
    expect((await post(vars, PREDICT, JSON.stringify({ x: IRIS_X }))).status).toBe(200)
    const more = [...IRIS_X, IRIS_X[0]]
    const predict = await post(vars, PREDICT, JSON.stringify({ x: more }))
    const problem = await expectProblem(predict, 422, [['x']])
    expect(problem.detail).toBe(
      `x has ${rows + 1} rows, over MAX_ROWS = ${rows}; split the batch into several calls.`,
    )
    const before = await trainerState('edges')
    const train = await post(vars, TRAIN, JSON.stringify({ x: more, y: [...IRIS_Y, 'setosa'] }))
    await expectProblem(train, 422, [['x']])
    expect(await trainerState('edges')).toEqual(before)
  })
})

describe('MAX_PARAMETERS', () => {
  const spec = irisSpec()

  it('creates a model of exactly MAX_PARAMETERS and refuses one over', async () => {
    const at = await post(
      { MAX_PARAMETERS: String(PARAMETERS) },
      '/v1/models',
      JSON.stringify({ id: 'at-parameters', spec }),
    )
    expect(at.status).toBe(201)
    const over = await post(
      { MAX_PARAMETERS: String(PARAMETERS - 1) },
      '/v1/models',
      JSON.stringify({ id: 'over-parameters', spec }),
    )
    const problem = await expectProblem(over, 422, [['spec']])
    expect(problem.detail).toMatch(`${PARAMETERS} parameters, over MAX_PARAMETERS = 66`)
    expect((await trainerState('over-parameters')).model).toBeNull()
  })

  it('takes an upload of exactly MAX_PARAMETERS and refuses one over', async () => {
    await ensureCore()
    const bytes = (await Network.create(spec)).toBytes() as Uint8Array<ArrayBuffer>
    const upload = (limit: number, id: string) =>
      withVars({ MAX_PARAMETERS: String(limit) }, `/v1/models/${id}/weights`, {
        method: 'PUT',
        body: bytes,
        headers: { 'Content-Type': 'application/octet-stream' },
      })
    expect((await upload(PARAMETERS, 'upload-at')).status).toBe(201)
    await expectProblem(await upload(PARAMETERS - 1, 'upload-over'), 422, [['body']])
    expect((await trainerState('upload-over')).model).toBeNull()
  })

  it('takes a file of exactly MAX_WEIGHTS_BYTES and refuses one byte less of room', async () => {
    await ensureCore()
    const bytes = (await Network.create(spec)).toBytes() as Uint8Array<ArrayBuffer>
    const upload = (limit: number, id: string) =>
      withVars({ MAX_WEIGHTS_BYTES: String(limit) }, `/v1/models/${id}/weights`, {
        method: 'PUT',
        body: bytes,
        headers: { 'Content-Type': 'application/octet-stream' },
      })
    expect((await upload(bytes.byteLength, 'bytes-at')).status).toBe(201)
    await expectProblem(await upload(bytes.byteLength - 1, 'bytes-over'), 413, [['body']])
    expect((await trainerState('bytes-over')).model).toBeNull()
  })
})

describe('MAX_WORK', () => {
  // six rows in one batch of 32: one step per epoch
  const perEpoch = IRIS_X.length * PARAMETERS + 1 * WORK_PER_STEP

  it('accepts a call priced exactly at MAX_WORK and refuses one unit over', async () => {
    const body = JSON.stringify({ x: IRIS_X, y: IRIS_Y, epochs: 3 })
    const at = await post({ MAX_WORK: String(3 * perEpoch) }, TRAIN, body)
    expect(at.status).toBe(200)
    const before = await trainerState('edges')
    const over = await post({ MAX_WORK: String(3 * perEpoch - 1) }, TRAIN, body)
    const problem = await expectProblem(over, 422, [['epochs']])
    expect(problem.type).toBe('urn:edgeprop:problem:limit-exceeded')
    expect(problem.detail).toBe(
      `This call asks for epochs × (rows × parameters + steps × ${WORK_PER_STEP}) = ` +
        `3 × (6 × ${PARAMETERS} + 1 × ${WORK_PER_STEP}) = ${3 * perEpoch}, over ` +
        `MAX_WORK = ${3 * perEpoch - 1}; send fewer rows or epochs per call, ` +
        'or a larger batchSize.',
    )
    expect(await trainerState('edges')).toEqual(before)
  })

  it('prices each step, so 1e8 one-row steps on a 2-parameter model are refused', async () => {
    const tiny = { kind: 'perceptron', inputs: 1, outputs: 1, activation: 'heaviside' }
    await createModel('tiny', { ...tiny, learningRate: 0.1, seed: 1 })
    const x = Array.from({ length: 1000 }, (_, i) => [i % 2])
    const y = x.map(([v]) => v)
    const body = { x, y, epochs: 100_000, batchSize: 1 }
    const started = Date.now()
    const response = await send('POST', '/v1/models/tiny/train-small-batch', body)
    const problem = await expectProblem(response, 422, [['epochs']])
    // 1e5 × (1000 × 2 + 1000 × 1024): the steps, not the parameters, are the cost
    expect(problem.detail).toMatch(`= ${1e5 * (1000 * 2 + 1000 * WORK_PER_STEP)}, over MAX_WORK`)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('prices an MLP step per batch: a larger batchSize fits where batch 1 does not', async () => {
    const rows = IRIS_X.length
    const limit = rows * PARAMETERS + 2 * WORK_PER_STEP
    const vars = { MAX_WORK: String(limit) }
    const one = await post(vars, TRAIN, JSON.stringify({ x: IRIS_X, y: IRIS_Y, batchSize: 1 }))
    await expectProblem(one, 422, [['epochs']])
    const three = await post(vars, TRAIN, JSON.stringify({ x: IRIS_X, y: IRIS_Y, batchSize: 3 }))
    expect(three.status).toBe(200)
  })
})

describe('train option bounds', () => {
  it('states the largest batchSize and epochs, as the library bounds them', async () => {
    const base = { x: IRIS_X, y: IRIS_Y }
    const batch = await send('POST', TRAIN, { ...base, batchSize: 2 ** 31 })
    const problem = await expectProblem(batch, 422, [['batchSize']])
    expect(problem.errors[0].message).toBe(
      'batchSize: expected a whole number from 1 to 2147483647',
    )
    expect((await send('POST', TRAIN, { ...base, batchSize: 2 ** 31 - 1 })).status).toBe(200)
    const epochs = await send('POST', TRAIN, { ...base, epochs: 100_001 })
    const tooMany = await expectProblem(epochs, 422, [['epochs']])
    expect(tooMany.errors[0].message).toBe('epochs: expected a whole number from 1 to 100000')
  })
})
