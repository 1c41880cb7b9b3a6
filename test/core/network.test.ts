import { beforeAll, describe, expect, test } from 'vitest'
import { EdgepropError, Network } from '../../src/core/index.ts'
import { formatPath } from '../../src/core/errors.ts'
import { decodeModel } from '../../src/core/model-format.ts'

const irisLike = {
  kind: 'mlp',
  inputs: 4,
  layers: [
    { units: 6, activation: 'tanh' },
    { units: 3, activation: 'softmax' },
  ],
  loss: 'cross-entropy',
  optimizer: { name: 'adam', learningRate: 0.02 },
  labels: ['setosa', 'versicolor', 'virginica'],
  seed: 42,
} as const
const x = [
  [5.1, 3.5, 1.4, 0.2], [7.0, 3.2, 4.7, 1.4], [6.3, 3.3, 6.0, 2.5],
  [4.9, 3.0, 1.4, 0.2], [6.4, 3.2, 4.5, 1.5], [5.8, 2.7, 5.1, 1.9],
]
const y = ['setosa', 'versicolor', 'virginica', 'setosa', 'versicolor', 'virginica']

/** Returns the error a call throws, failing the test when it throws none. */
function thrown(call: () => unknown): EdgepropError {
  try {
    call()
  } catch (error) {
    expect(error).toBeInstanceOf(EdgepropError)
    return error as EdgepropError
  }
  throw new Error('the call was accepted')
}

const row = (at: number, values: unknown) => x.map((r, i) => (i === at ? values : r))

// [behaviour, x, y, options, path of the refused field, words its message must hold]
const badCalls: [string, unknown, unknown, unknown, (string | number)[], string][] = [
  ['a row of the wrong width', row(1, [1, 2, 3, 4, 5]), y, {}, ['x', 1],
    'x[1] has 5 values; the model takes 4'],
  ['NaN in x', row(2, [NaN, 1, 1, 1]), y, {}, ['x', 2, 0], 'is NaN; expected a finite number'],
  ['Infinity in x', row(0, [1, 1, 1, Infinity]), y, {}, ['x', 0, 3], 'is Infinity'],
  ['-Infinity in x', row(5, [1, -Infinity, 1, 1]), y, {}, ['x', 5, 1], 'is -Infinity'],
  ['a number beyond f32', row(3, [1e39, 1, 1, 1]), y, {}, ['x', 3, 0], 'outside the f32 range'],
  ['a string in x', row(4, [1, '3.2', 1, 1]), y, {}, ['x', 4, 1], 'the string "3.2"'],
  ['null for a row', row(4, null as never), y, {}, ['x', 4], 'expected a row of 4 numbers'],
  ['an empty batch', [], [], {}, ['x'], 'has no rows'],
  ['x that is not an array', 'x', y, {}, ['x'], 'expected an array of rows'],
  ['an unknown label', x, y.map((l, i) => (i === 1 ? 'rose' : l)), {}, ['y', 1],
    'is the string "rose"; expected one of the labels "setosa", "versicolor", "virginica"'],
  ['a class index out of range', x, [0, 1, 3, 0, 1, 2], {}, ['y', 2],
    'is 3; expected one of the labels'],
  ['too few targets', x, y.slice(0, 4), {}, ['y'], 'has 4 targets but x has 6 rows'],
  ['a one-hot row of the wrong width', x, y.map(() => [0, 1]), {}, ['y', 0],
    'has 2 values; the model has 3 outputs'],
  ['a one-hot row with NaN', x, y.map(() => [0, NaN, 1]), {}, ['y', 0, 1], 'is NaN'],
  ['a boolean target', x, y.map(() => true), {}, ['y', 0], 'expected a row of 3 numbers'],
  ['zero epochs', x, y, { epochs: 0 }, ['epochs'], 'whole number from 1 to 100000'],
  ['a string batch size', x, y, { batchSize: '8' }, ['batchSize'], 'the string "8"'],
  ['a non-boolean shuffle', x, y, { shuffle: 1 }, ['shuffle'], 'expected true or false'],
  ['an unknown option', x, y, { epoch: 3 }, ['epoch'], 'is not a train option'],
]

describe('validation before anything changes', () => {
  let net: Network
  beforeAll(async () => {
    net = await Network.create(irisLike)
    net.train(x, y)
  })

  test.each(badCalls)('train refuses %s', (_, xs, ys, options, path, words) => {
    const before = net.toBytes()
    const error = thrown(() => net.train(xs as never, ys as never, options as never))
    expect(error.code).toBe('invalid-data')
    const detail = error.errors.find((e) => formatPath(e.path) === formatPath(path))
    expect(detail, JSON.stringify(error.errors)).toBeDefined()
    expect(detail!.message).toContain(words)
    expect(net.toBytes()).toEqual(before)
    expect(net.version).toBe(1)
  })

  test('predict, evaluate and gradients refuse bad rows the same way', () => {
    const before = net.toBytes()
    const bad = row(1, [1, 2, 3])
    for (const call of [
      () => net.predict(bad as never),
      () => net.evaluate(bad as never, y),
      () => net.gradients(bad as never, y),
    ]) {
      expect(thrown(call).errors[0]).toEqual({ path: ['x', 1],
        message: 'x[1] has 3 values; the model takes 4' })
    }
    expect(net.toBytes()).toEqual(before)
  })

  test('reports every bad row at once', () => {
    const error = thrown(() => net.predict([[1, 2], [1, 2, 3, 4], [NaN, 1, 1, 1]]))
    expect(error.errors.map((e) => formatPath(e.path))).toEqual(['x[0]', 'x[2][0]'])
  })
})

describe('rows of Float32Arrays copied straight into wasm memory', () => {
  // 3 rows × 100 inputs = 300 values: past the 256 from which rows skip the packed copy
  const wide = {
    kind: 'mlp', inputs: 100, seed: 3, loss: 'mse',
    optimizer: { name: 'sgd', learningRate: 0.01 },
    layers: [{ units: 5, activation: 'tanh' }, { units: 2, activation: 'linear' }],
  } as const
  const rows = [0, 1, 2].map((r) => Float32Array.from({ length: 100 }, (_, i) => (r + i) / 100))

  test('predict what the same rows as plain numbers predict', async () => {
    const net = await Network.create(wide)
    const plain = rows.map((r) => Array.from(r))
    expect(net.predict(rows)).toEqual(net.predict(plain))
  })

  test('name a NaN or Infinity by row and column, changing nothing', async () => {
    const net = await Network.create(wide)
    const before = net.toBytes()
    const bad = rows.map((r) => r.slice())
    bad[2][57] = NaN
    bad[1][3] = -Infinity
    const error = thrown(() => net.train(bad, rows.map(() => [0, 1])))
    expect(error.errors.map((e) => formatPath(e.path))).toEqual(['x[1][3]', 'x[2][57]'])
    expect(thrown(() => net.predict(bad)).errors).toEqual(error.errors)
    expect(net.toBytes()).toEqual(before)
  })

  test('give a huge row the blame when the gradient overflows', async () => {
    // z = w·x ≈ 1e19 is finite, ∂C/∂W = x·(z − y) ≈ 1e20 · 1e19 is not
    const line = { ...wide, layers: [{ units: 2, activation: 'linear' }] } as const
    const net = await Network.create(line)
    const huge = rows.map((r) => r.slice())
    huge[1].fill(0)
    huge[1][40] = 1e20
    const error = thrown(() => net.train(huge, rows.map(() => [0, 1])))
    expect(formatPath(error.errors[0].path)).toBe('x[1]')
    expect(error.errors[0].message).toContain('its largest value is 1e+20')
  })
})

describe('a diverging train', () => {
  const wild = {
    kind: 'mlp', inputs: 2, loss: 'mse', seed: 3,
    layers: [{ units: 8, activation: 'relu' }, { units: 1, activation: 'linear' }],
    optimizer: { name: 'sgd', learningRate: 1e6 },
  } as const
  const big = [[300, -200], [150, 400], [-250, 100], [500, 500]]

  const scalings = ['none', 'standardize']
  test.each(scalings)('throws non-finite and changes nothing (scaling %s)', async (scaling) => {
    const net = await Network.create({ ...wild, inputScaling: scaling })
    net.train(big.slice(0, 1), [0], { epochs: 1 })
    const before = net.toBytes()
    expect(decodeModel(before).header.scalingCount).toBe(scaling === 'none' ? 0 : 1)
    const error = thrown(() => net.train(big, [1e4, -1e4, 3e4, 5e3], { epochs: 50 }))
    expect(error.code).toBe('non-finite')
    expect(error.errors[0].path).toEqual(['optimizer', 'learningRate'])
    expect(error.message).toContain("lower 'optimizer.learningRate' (try 100000)")
    expect(net.toBytes()).toEqual(before)
    expect(net.version).toBe(1)
    expect(net.stats).toEqual({ samplesSeen: 1, steps: 1, epochs: 1 })
  })
})

describe('training', () => {
  test('counts rows, steps, epochs and versions across calls', async () => {
    const net = await Network.create(irisLike)
    const first = net.train(x, y, { epochs: 3, batchSize: 4 })
    // 6 rows in batches of 4 make 2 steps per epoch
    expect(first).toMatchObject({ samplesSeen: 18, steps: 6, epochs: 3, version: 1 })
    const second = net.train(x.slice(0, 2), y.slice(0, 2))
    // batchSize 32 is capped at the 2 rows given: one step
    expect(second).toMatchObject({ samplesSeen: 20, steps: 1, epochs: 1, version: 2 })
    expect(net.stats).toEqual({ samplesSeen: 20, steps: 7, epochs: 4 })
  })

  test('reports no accuracy for regression, not even an undefined one', async () => {
    const net = await Network.create({
      kind: 'mlp', inputs: 1, seed: 2, loss: 'mse',
      layers: [{ units: 1, activation: 'linear' }],
      optimizer: { name: 'sgd', learningRate: 0.1 },
    })
    const fit = net.train([[1], [2]], [2, 4])
    expect(Object.keys(fit)).not.toContain('accuracy')
    expect(Object.keys(net.evaluate([[1]], [2]))).toEqual(['loss'])
  })

  test('suggests rows of one value when a one-input model gets a flat list', async () => {
    const net = await Network.create({
      kind: 'mlp', inputs: 1, seed: 2, loss: 'mse',
      layers: [{ units: 1, activation: 'linear' }],
      optimizer: { name: 'sgd', learningRate: 0.1 },
    })
    expect(thrown(() => net.predict([1.5, 2, 3])).errors).toEqual([{
      path: ['x'],
      message: 'x has 3 values; the model takes 1; to send 3 rows of one value, ' +
        'give x as [[1.5], …]',
    }])
  })

  test('reports losses and accuracy from evaluate on the same rows', async () => {
    const net = await Network.create(irisLike)
    const before = net.evaluate(x, y)
    const fit = net.train(x, y, { epochs: 200, batchSize: 6 })
    expect(fit.lossBefore).toBe(before.loss)
    expect(fit.lossAfter).toBeLessThan(fit.lossBefore)
    expect(net.evaluate(x, y)).toEqual({ loss: fit.lossAfter, accuracy: fit.accuracy })
    expect(fit.accuracy).toBe(1)
  })

  test('the same spec, seed and data give byte-identical models', async () => {
    const runs = await Promise.all([1, 2].map(async () => {
      const net = await Network.create(irisLike)
      net.train(x, y, { epochs: 4, batchSize: 4 })
      net.train(x.slice(2), y.slice(2), { epochs: 2, batchSize: 3 })
      return net.toBytes()
    }))
    expect(runs[0]).toEqual(runs[1])
    const other = await Network.create({ ...irisLike, seed: 43 })
    const first = await Network.create(irisLike)
    expect(other.getWeights()).not.toEqual(first.getWeights())
  })

  test('gradients match the hand-worked mse derivative and change nothing', async () => {
    const net = await Network.create({
      kind: 'mlp', inputs: 1, layers: [{ units: 1, activation: 'linear' }], loss: 'mse',
      optimizer: { name: 'sgd', learningRate: 0.1 }, seed: 1,
    })
    net.setWeights([{ W: new Float32Array([2]), b: new Float32Array([1]) }])
    const before = net.toBytes()
    // a = 2x + 1 gives 3 and 5 for x = 1, 2; y = 0, so C = (3² + 5²)/(2·2) = 8.5,
    // δ = (a - y)/m = [1.5, 2.5], ∂C/∂W = 1·1.5 + 2·2.5 = 6.5, ∂C/∂b = 1.5 + 2.5 = 4
    const { loss, layers } = net.gradients([[1], [2]], [0, 0])
    expect(loss).toBe(8.5)
    expect(layers).toEqual([{ W: new Float32Array([6.5]), b: new Float32Array([4]) }])
    expect(net.toBytes()).toEqual(before)
  })
})
