/**
 * MAX_CALL_BYTES and MAX_OUTPUT_VALUES at their edges: the wasm memory a
 * call's rows take, and the size of a predict's answer. Each is accepted
 * exactly at its value and refused one over, naming the limit, and a
 * refused call changes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { callBytes } from '../../src/worker/limit-checks.ts'
import {
  IRIS_X, IRIS_Y, createModel, expectProblem, irisSpec, send, trainerState, withVars,
} from './helpers.ts'

const MODEL = '/v1/models/call-limits'
// iris: 4 inputs → 8 relu → 3 softmax, 6 rows; a batch of 32 holds them all.
// Per row: inputs, targets, outputs and order, 4 + 3 + 3 + 1 = 11 values;
// per row of the batch: inputs, targets and z, a, δ of every layer,
// 4 + 3 + 3·(8 + 3) = 40 values. Four bytes each.
const IRIS_BYTES = 4 * (6 * 11 + 6 * 40)

function post(vars: Record<string, string>, path: string, body: unknown) {
  const headers = { 'Content-Type': 'application/json' }
  return withVars(vars, path, { method: 'POST', body: JSON.stringify(body), headers })
}

beforeAll(async () => {
  await createModel('call-limits', irisSpec({ inputScaling: 'none' }))
})

describe('MAX_CALL_BYTES', () => {
  it('prices the rows as the core lays them out', () => {
    const spec = { kind: 'mlp' as const, inputs: 4, layers: [{ units: 8 }, { units: 3 }] }
    expect(callBytes(spec, 6, 32)).toBe(IRIS_BYTES)
    // predict runs 128 rows at a time: 300 rows keep 128 in the batch buffers
    expect(callBytes(spec, 300, 0)).toBe(4 * (300 * 11 + 128 * 40))
  })

  it('trains at exactly the limit and refuses a byte less, changing nothing', async () => {
    const body = { x: IRIS_X, y: IRIS_Y }
    const path = `${MODEL}/train-small-batch`
    const at = await post({ MAX_CALL_BYTES: String(IRIS_BYTES) }, path, body)
    expect(at.status).toBe(200)
    const before = await trainerState('call-limits')
    const vars = { MAX_CALL_BYTES: String(IRIS_BYTES - 1) }
    const over = await post(vars, `${MODEL}/train-small-batch`, body)
    const problem = await expectProblem(over, 422, [['x']])
    expect(problem.detail).toBe(
      `6 rows through layers of 8, 3 units need ${IRIS_BYTES} bytes of working memory, ` +
        `over MAX_CALL_BYTES = ${IRIS_BYTES - 1}; send fewer rows per call, or a smaller ` +
        'batchSize.',
    )
    expect(await trainerState('call-limits')).toEqual(before)
  })

  it('holds for predict from KV and from the trainer alike', async () => {
    for (const query of ['', '?consistency=strong']) {
      const path = `${MODEL}/predict${query}`
      const at = await post({ MAX_CALL_BYTES: String(IRIS_BYTES) }, path, { x: IRIS_X })
      expect(at.status).toBe(200)
      const over = await post({ MAX_CALL_BYTES: String(IRIS_BYTES - 1) }, path, { x: IRIS_X })
      await expectProblem(over, 422, [['x']])
    }
  })

  it('refuses by default a batch of 1000 rows through 65,536 relu units (786 MB)', async () => {
    const spec = {
      kind: 'mlp', inputs: 1, seed: 1, loss: 'mse',
      layers: [{ units: 65536, activation: 'relu' }, { units: 1, activation: 'linear' }],
      optimizer: { name: 'sgd', learningRate: 1e-6 },
    }
    await createModel('wide-layer', spec)
    const x = Array.from({ length: 1000 }, (_, i) => [i / 1000])
    const y = x.map(([value]) => value)
    const path = '/v1/models/wide-layer/train-small-batch'
    const before = await trainerState('wide-layer')
    const response = await send('POST', path, { x, y, batchSize: 1000 })
    const problem = await expectProblem(response, 422, [['x']])
    expect(problem.detail).toContain('over MAX_CALL_BYTES = 33554432')
    expect(await trainerState('wide-layer')).toEqual(before)
  })
})

describe('MAX_OUTPUT_VALUES', () => {
  it('answers exactly the limit of rows × outputs and refuses one row more', async () => {
    const rows = IRIS_X.length
    for (const query of ['', '?consistency=strong']) {
      const path = `${MODEL}/predict${query}`
      const vars = { MAX_OUTPUT_VALUES: String(rows * 3) }
      expect((await post(vars, path, { x: IRIS_X })).status).toBe(200)
      const over = await post(vars, path, { x: [...IRIS_X, IRIS_X[0]] })
      const problem = await expectProblem(over, 422, [['x']])
      expect(problem.detail).toBe(
        `x has ${rows + 1} rows and the model 3 outputs: ${(rows + 1) * 3} output values, ` +
          `over MAX_OUTPUT_VALUES = ${rows * 3}; send fewer rows per call.`,
      )
    }
  })

  it('refuses by default 100 rows through a perceptron of 65,536 outputs', async () => {
    const spec = {
      kind: 'perceptron', inputs: 1, outputs: 65536, activation: 'heaviside',
      learningRate: 1,
    }
    await createModel('wide-out', spec)
    const x = Array.from({ length: 100 }, () => [1])
    for (const query of ['', '?consistency=strong']) {
      const response = await send('POST', `/v1/models/wide-out/predict${query}`, { x })
      const problem = await expectProblem(response, 422, [['x']])
      expect(problem.detail).toContain('6553600 output values, over MAX_OUTPUT_VALUES = 262144')
    }
  })
})
