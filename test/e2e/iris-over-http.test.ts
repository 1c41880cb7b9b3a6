/**
 * Iris end to end over HTTP: `npm start`'s server, a classifier with label
 * names trained only by train-small-batch calls of 16 rows, judged on the
 * held-out quarter through predict, then downloaded and run in Node. Reads
 * use ?consistency=strong, so each sees the calls made just before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Network, loadCore } from '../../src/core/index.ts'
import { loadDataset, loadSplits } from '../reference/data.ts'
import { mulberry32, shuffleInPlace } from '../reference/random.ts'
import { type LocalServer, startLocalServer } from './local-server.ts'

const BATCH_ROWS = 16
const MAX_CALLS = 600
const TARGET_ACCURACY = 0.93

let server: LocalServer

/** Calls the API as the test's tenant and parses the JSON answer. */
async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.base}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${server.token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
  return JSON.parse(text)
}

beforeAll(async () => {
  server = await startLocalServer()
})

afterAll(async () => {
  await server?.stop()
})

describe('iris over HTTP', () => {
  const iris = loadDataset('iris')
  const split = loadSplits().iris
  const testX = split.test.map((i) => iris.x[i])
  const testY = split.test.map((i) => iris.labels[i])

  async function testAccuracy() {
    const out = await call('POST', '/v1/models/iris/predict?consistency=strong', { x: testX })
    const right = out.labels.filter((label: string, i: number) => label === testY[i])
    return { accuracy: right.length / testY.length, out }
  }

  it('learns iris from 16-row batches and serves what Node computes', async () => {
    const created = await call('POST', '/v1/models', {
      id: 'iris',
      spec: {
        kind: 'mlp',
        inputs: 4,
        layers: [
          { units: 16, activation: 'relu' },
          { units: 3, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        optimizer: { name: 'adam', learningRate: 0.01 },
        labels: iris.classes,
        inputScaling: 'standardize',
        seed: 7,
      },
    })
    // W and b of the hidden layer, then of the output layer
    const parameterCount = 4 * 16 + 16 + (16 * 3 + 3)
    expect(created).toMatchObject({ id: 'iris', version: 0, parameterCount })

    // walk the training rows in a seeded shuffled order, 16 at a time
    const next = mulberry32(11)
    let order: number[] = []
    let calls = 0
    let reached = 0
    while (calls < MAX_CALLS) {
      if (order.length < BATCH_ROWS) order = order.concat(shuffleInPlace([...split.train], next))
      const rows = order.splice(0, BATCH_ROWS)
      const x = rows.map((i) => iris.x[i])
      const y = rows.map((i) => iris.labels[i])
      const fit = await call('POST', '/v1/models/iris/train-small-batch', { x, y })
      calls += 1
      expect(fit.version).toBe(calls)
      if (calls % 7 !== 0) continue
      reached = (await testAccuracy()).accuracy
      if (reached >= TARGET_ACCURACY) break
    }
    expect(reached).toBeGreaterThanOrEqual(TARGET_ACCURACY)
    console.log(`iris: test accuracy ${reached.toFixed(4)} after ${calls} calls of 16 rows`)

    const served = (await testAccuracy()).out
    expect(served.version).toBe(calls)
    const response = await fetch(`${server.base}/v1/models/iris/weights?consistency=strong`, {
      headers: { Authorization: `Bearer ${server.token}` },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('ETag')).toBe(`"${calls}"`)
    await loadCore()
    const local = await Network.fromBytes(new Uint8Array(await response.arrayBuffer()))
    const mine = local.predict(testX)
    expect(mine.labels).toEqual(served.labels)
    expect(mine.outputs).toEqual(served.outputs)
    expect(mine.probabilities).toEqual(served.probabilities)
  })
})
