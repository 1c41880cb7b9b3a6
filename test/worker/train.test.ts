/**
 * POST /v1/models/{id}/train-small-batch: one batch per call through the
 * model's trainer; every refusal leaves the trainer's state as it was.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import {
  IRIS_X,
  IRIS_Y,
  createModel,
  expectProblem,
  published,
  send,
  trainerState,
  withVars,
} from './helpers.ts'

const TRAIN = '/v1/models/iris/train-small-batch'

interface TrainJson {
  id: string
  version: number
  lossBefore: number
  lossAfter: number
  accuracy?: number
  samplesSeen: number
}

/** Sends a batch to `path` and asserts the refusal changed nothing in the trainer. */
async function refused(body: unknown, status: number, paths: (string | number)[][]) {
  const before = await trainerState('iris')
  const problem = await expectProblem(await send('POST', TRAIN, body), status, paths)
  expect(await trainerState('iris')).toEqual(before)
  return problem
}

beforeAll(async () => {
  await createModel('iris')
})

describe('train-small-batch', () => {
  it('applies a batch: new version, losses, accuracy, samples seen', async () => {
    const response = await send('POST', TRAIN, { x: IRIS_X, y: IRIS_Y, epochs: 20 })
    expect(response.status).toBe(200)
    const fit = (await response.json()) as TrainJson
    expect(fit).toMatchObject({ id: 'iris', version: 1, samplesSeen: 6 * 20 })
    expect(fit.lossAfter).toBeLessThan(fit.lossBefore)
    expect(fit.accuracy).toBeGreaterThanOrEqual(0)
    expect(response.headers.get('ETag')).toBe('"1"')
    const { kv } = await published('iris')
    const record = JSON.parse(kv.meta ?? '{}')
    expect(record).toMatchObject({ version: 1, stats: { samplesSeen: 120 } })
  })

  it('accepts one row with one label', async () => {
    const response = await send('POST', TRAIN, { x: IRIS_X[0], y: 'setosa' })
    expect(response.status).toBe(200)
  })

  it('refuses a row of the wrong width, naming it', async () => {
    const x = [IRIS_X[0], [1, 2, 3, 4, 5]]
    const problem = await refused({ x, y: ['setosa', 'setosa'] }, 422, [['x', 1]])
    expect(problem.detail).toMatch(/x\[1\] has 5 values; the model takes 4/)
  })

  it('refuses a string where a number belongs', async () => {
    const x = [IRIS_X[0], [1, 2, 'three', 4]]
    await refused({ x, y: ['setosa', 'setosa'] }, 422, [['x', 1, 2]])
  })

  it('names every value at fault in a row, not the row that holds them', async () => {
    const problem = await refused({ x: [['1', '2', 3, 4]], y: ['setosa'] }, 422, [
      ['x', 0, 0], ['x', 0, 1],
    ])
    expect(problem.errors.map((e) => e.message)).toEqual([
      'x[0][0]: expected number, received string',
      'x[0][1]: expected number, received string',
    ])
  })

  it('says which kinds of target fit when none does, and names a bad value inside', async () => {
    const kinds = 'a class label, a class index, a number, or a row of numbers'
    const none = await refused({ x: [IRIS_X[0]], y: [null] }, 422, [['y', 0]])
    expect(none.errors[0].message).toBe(`y[0]: expected ${kinds}`)
    const inside = await refused({ x: [IRIS_X[0]], y: [[1, 'a', 0]] }, 422, [['y', 0, 1]])
    expect(inside.errors[0].message).toBe('y[0][1]: expected number, received string')
  })

  it('refuses an unknown label', async () => {
    const problem = await refused({ x: IRIS_X.slice(0, 2), y: ['setosa', 'rose'] }, 422, [
      ['y', 1],
    ])
    expect(problem.detail).toMatch(/rose/)
  })

  it('refuses y of another length than x', async () => {
    await refused({ x: IRIS_X.slice(0, 2), y: ['setosa'] }, 422, [['y']])
  })

  it('refuses an empty batch', async () => {
    await refused({ x: [], y: [] }, 422, [['x'], ['y']])
  })

  it('refuses a misspelt option and a bad epochs value', async () => {
    await refused({ x: IRIS_X, y: IRIS_Y, epoch: 2, epochs: 0 }, 422, [['epochs'], ['epoch']])
  })

  it('answers 400 for malformed JSON and changes nothing', async () => {
    const before = await trainerState('iris')
    // an empty body sent as JSON is malformed JSON too
    await expectProblem(await send('POST', TRAIN, undefined), 400, [['body']])
    const malformed = await withVars({}, TRAIN, {
      method: 'POST',
      body: '{"x": [[1,2,3,4]], "y": [NaN]}',
      headers: { 'Content-Type': 'application/json' },
    })
    await expectProblem(malformed, 400, [['body']])
    expect(await trainerState('iris')).toEqual(before)
  })

  it('answers 422 naming MAX_ROWS when the batch has too many rows', async () => {
    const before = await trainerState('iris')
    const response = await withVars({ MAX_ROWS: '4' }, TRAIN, {
      method: 'POST',
      body: JSON.stringify({ x: IRIS_X, y: IRIS_Y }),
      headers: { 'Content-Type': 'application/json' },
    })
    const problem = await expectProblem(response, 422, [['x']])
    expect(problem.detail).toMatch(/6 rows, over MAX_ROWS = 4/)
    expect(await trainerState('iris')).toEqual(before)
  })

  it('answers 422 naming MAX_WORK when the priced work is too much', async () => {
    const before = await trainerState('iris')
    const response = await withVars({ MAX_WORK: '1000' }, TRAIN, {
      method: 'POST',
      body: JSON.stringify({ x: IRIS_X, y: IRIS_Y, epochs: 3 }),
      headers: { 'Content-Type': 'application/json' },
    })
    const problem = await expectProblem(response, 422, [['epochs']])
    // 3 epochs × (6 rows × 67 parameters + 1 step × 1024)
    expect(problem.detail).toMatch(/= 4278, over MAX_WORK = 1000/)
    expect(await trainerState('iris')).toEqual(before)
  })

  it('answers 412 when If-Match names an older version', async () => {
    const before = await trainerState('iris')
    const response = await send('POST', TRAIN, { x: IRIS_X, y: IRIS_Y }, undefined, {
      'If-Match': '"0"',
    })
    await expectProblem(response, 412, [['headers', 'if-match']])
    expect(await trainerState('iris')).toEqual(before)
  })

  it('answers 404 for a model that does not exist', async () => {
    const response = await send('POST', '/v1/models/nope/train-small-batch', {
      x: IRIS_X,
      y: IRIS_Y,
    })
    await expectProblem(response, 404, [['path', 'id']])
  })
})

describe('a diverging step', () => {
  it('answers 422, says to lower the learning rate and keeps the model', async () => {
    await createModel('wild', {
      kind: 'mlp',
      inputs: 1,
      layers: [{ units: 1, activation: 'linear' }],
      loss: 'mse',
      optimizer: { name: 'sgd', learningRate: 1e30 },
      seed: 1,
    })
    const before = await trainerState('wild')
    const path = '/v1/models/wild/train-small-batch'
    const response = await send('POST', path, { x: [[1e10]], y: [1e10], epochs: 5 })
    const problem = await expectProblem(response, 422, [['spec', 'optimizer', 'learningRate']])
    expect(problem.type).toBe('urn:edgeprop:problem:non-finite')
    expect(problem.detail).toBe(
      'training diverged: a weight or optimizer value became ' +
        'NaN or infinite with optimizer.learningRate 1e+30, so the network was left as it ' +
        "was; lower 'optimizer.learningRate' (try 1e+29), or set 'optimizer.clipNorm', or " +
        'scale the inputs. A model keeps the spec it was created with: to go on at another ' +
        'setting, create a Network with it, setWeights(getWeights()) of this model (from ' +
        'GET .../weights), and PUT its toBytes() to .../weights, or create a new model.',
    )
    expect(await trainerState('wild')).toEqual(before)
    const fine = await send('POST', path, { x: [[1]], y: [1] })
    expect(fine.status).toBe(200)
    expect(await fine.json()).toMatchObject({ version: 1 })
  })
})
