import { describe, expect, test } from 'vitest'
import { EdgepropError, Network } from '../../src/core/index.ts'
import { decodeModel } from '../../src/core/model-format.ts'

const f32 = (...values: number[]) => new Float32Array(values)

/** A spec whose one dense layer maps `inputs` values to `units` outputs. */
function dense(inputs: number, units: number, activation: string, extra: object = {}) {
  const loss = activation === 'softmax' ? 'cross-entropy'
    : activation === 'sigmoid' ? 'binary-cross-entropy' : 'mse'
  return {
    kind: 'mlp', inputs, layers: [{ units, activation }], loss,
    optimizer: { name: 'adam', learningRate: 0.01 }, seed: 5, ...extra,
  }
}

function refusal(call: () => unknown): EdgepropError {
  try {
    call()
  } catch (error) {
    expect(error).toBeInstanceOf(EdgepropError)
    return error as EdgepropError
  }
  throw new Error('the call was accepted')
}

describe('getWeights and setWeights', () => {
  test('return W as inputs×units row-major and b per unit, and round trip', async () => {
    const net = await Network.create({ ...dense(3, 2, 'relu'), layers: [
      { units: 4, activation: 'relu' }, { units: 2, activation: 'linear' }] })
    const layers = net.getWeights()
    expect(layers.map((l) => [l.W.length, l.b.length])).toEqual([[12, 4], [8, 2]])
    expect(net.parameterCount).toBe(12 + 4 + 8 + 2)
    const changed = layers.map((l) => ({ W: l.W.map((w) => w * 2), b: l.b.map(() => 0.5) }))
    net.setWeights(changed)
    expect(net.getWeights()).toEqual(changed)
    expect(net.version).toBe(1)
  })

  test('predict uses the weights set: z = x·W + b', async () => {
    const net = await Network.create(dense(2, 2, 'linear'))
    // W rows are inputs: z0 = 1·x0 + 3·x1 + 0.5, z1 = 2·x0 + 4·x1 - 1
    net.setWeights([{ W: f32(1, 2, 3, 4), b: f32(0.5, -1) }])
    expect(net.predict([[1, 1], [2, 0]]).outputs).toEqual([[4.5, 5], [2.5, 3]])
  })

  test('keep the optimizer state', async () => {
    const net = await Network.create(dense(2, 1, 'linear'))
    net.train([[1, 2], [3, 4]], [1, 2])
    const state = () => decodeModel(net.toBytes()).arrays.get('optimizerState')
    const before = state()
    net.setWeights([{ W: f32(0, 0), b: f32(0) }])
    expect(before).toHaveLength(2 * net.parameterCount)
    expect(state()).toEqual(before)
  })

  test('refuse wrong shapes and values, naming the layer, and change nothing', async () => {
    const net = await Network.create(dense(2, 3, 'linear'))
    const before = net.toBytes()
    const good = { W: new Float32Array(6), b: new Float32Array(3) }
    const cases: [unknown, string, string][] = [
      [[], 'layers', 'is 0 layers; the model has 1'],
      [[good, good], 'layers', 'is 2 layers; the model has 1'],
      [[{ ...good, W: new Float32Array(5) }], 'layers.0.W',
        'layers[0].W has 5 values; layer 0 takes 2×3 = 6'],
      [[{ ...good, b: [1, NaN, 2] }], 'layers.0.b.1', 'layers[0].b[1] is NaN'],
      [[{ W: good.W }], 'layers.0.b', 'layers[0].b is missing; expected 3 values'],
      [['W'], 'layers.0', 'expected { W, b }'],
    ]
    for (const [layers, path, words] of cases) {
      const error = refusal(() => net.setWeights(layers as never))
      expect(error.code).toBe('invalid-data')
      expect(error.errors[0].path.join('.')).toBe(path)
      expect(error.errors[0].message).toContain(words)
    }
    expect(net.toBytes()).toEqual(before)
  })
})

describe('predict', () => {
  test('gives softmax classifiers labels and probabilities', async () => {
    const net = await Network.create({ ...dense(2, 3, 'softmax'), labels: ['r', 'g', 'b'] })
    // z = x itself plus a bias that favours class 2 on ties
    net.setWeights([{ W: f32(1, 0, 0, 0, 1, 0), b: f32(0, 0, 0.1) }])
    const out = net.predict([[5, 0], [0, 5], [0, 0]])
    expect(out.labels).toEqual(['r', 'g', 'b'])
    expect(out.probabilities).toEqual(out.outputs)
    for (const p of out.probabilities!) expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 6)
    expect(net.isClassifier).toBe(true)
    expect(net.classes).toEqual(['r', 'g', 'b'])
  })

  test('gives a sigmoid unit class indices and [1 - a, a]', async () => {
    const net = await Network.create(dense(1, 1, 'sigmoid'))
    net.setWeights([{ W: f32(1), b: f32(0) }])
    const out = net.predict([[-3], [0], [3]])
    // sigmoid(0) = 0.5 lands on class 1, as a >= 0.5 does
    expect(out.labels).toEqual([0, 1, 1])
    expect(out.probabilities).toEqual(out.outputs.map(([a]) => [1 - a, a]))
    expect(net.classes).toEqual([0, 1])
  })

  test('counts accuracy by the same labels predict gives, 0.5 included', async () => {
    const net = await Network.create(dense(1, 1, 'sigmoid'))
    net.setWeights([{ W: f32(1), b: f32(0) }])
    const x = [[-3], [0], [3], [0]]
    expect(net.predict(x).labels).toEqual([0, 1, 1, 1])
    expect(net.evaluate(x, [0, 1, 1, 0]).accuracy).toBe(0.75)
  })

  test('gives regression only outputs, one row even for one input row', async () => {
    const net = await Network.create(dense(2, 2, 'linear'))
    net.setWeights([{ W: f32(1, 0, 0, 1), b: f32(0, 0) }])
    expect(net.predict([7, 8])).toEqual({ outputs: [[7, 8]] })
    expect(net.isClassifier).toBe(false)
    expect(net.classes).toBeNull()
  })
})

describe('standardize', () => {
  const spec = dense(2, 2, 'linear', { inputScaling: 'standardize' })
  const identity = [{ W: f32(1, 0, 0, 1), b: f32(0, 0) }]

  test('moves the running mean and variance with every train call', async () => {
    const net = await Network.create(spec)
    const scaling = () => decodeModel(net.toBytes())
    net.train([[1, 10], [3, 10]], [[0, 0], [0, 0]])
    // column 0: mean 2, variance ((1-2)² + (3-2)²)/2 = 1; column 1: mean 10, variance 0
    expect(scaling().arrays.get('scaling')).toEqual(f32(2, 10, 1, 0))
    expect(scaling().header.scalingCount).toBe(2)
    net.train([[8, 10], [0, 10]], [[0, 0], [0, 0]])
    // all four rows of column 0: 1, 3, 8, 0 → mean 3, variance (4 + 0 + 25 + 9)/4 = 9.5
    const state = scaling().arrays.get('scaling')!
    expect(Array.from(state)).toEqual([3, 10, 9.5, 0].map((v) => expect.closeTo(v, 5)))
    expect(scaling().header.scalingCount).toBe(4)
  })

  test('scales inputs in predict by the mean and std seen, std 1 where it is 0', async () => {
    const net = await Network.create(spec)
    net.train([[1, 10], [3, 10]], [[0, 0], [0, 0]])
    net.setWeights(identity)
    // (x - mean)/std with mean [2, 10], std [1, 0 → 1]
    expect(net.predict([[4, 12]]).outputs).toEqual([[2, 2]])
    net.train([[8, 10], [0, 10]], [[0, 0], [0, 0]])
    net.setWeights(identity)
    const [[a, b]] = net.predict([[3 + Math.sqrt(9.5), 11]]).outputs
    expect(a).toBeCloseTo(1, 5)
    expect(b).toBe(1)
  })

  test('leaves predict and evaluate from changing the statistics', async () => {
    const net = await Network.create(spec)
    net.train([[1, 10], [3, 10]], [[0, 0], [0, 0]])
    const before = net.toBytes()
    net.predict([[100, -100]])
    net.evaluate([[100, -100]], [[1, 1]])
    expect(net.toBytes()).toEqual(before)
  })
})

describe('targets', () => {
  test('regression takes plain numbers or one-value rows alike', async () => {
    const a = await Network.create(dense(2, 1, 'linear'))
    const b = await Network.create(dense(2, 1, 'linear'))
    a.train([[1, 2], [3, 4]], [5, 6], { shuffle: false })
    b.train([[1, 2], [3, 4]], [[5], [6]], { shuffle: false })
    expect(a.toBytes()).toEqual(b.toBytes())
  })

  test('one row of x takes one target, bare or in a list', async () => {
    const a = await Network.create({ ...dense(2, 3, 'softmax'), labels: ['r', 'g', 'b'] })
    const b = await Network.create({ ...dense(2, 3, 'softmax'), labels: ['r', 'g', 'b'] })
    a.train([1, 2], 'g')
    b.train([[1, 2]], ['g'])
    expect(a.toBytes()).toEqual(b.toBytes())
  })

  test('a sigmoid output refuses targets it cannot reach', async () => {
    const net = await Network.create(dense(1, 1, 'sigmoid'))
    const error = refusal(() => net.train([[0], [1]], [0, 1.5]))
    expect(error.errors).toEqual([{ path: ['y', 1], message:
      'y[1] is 1.5; expected a class index from 0 to 1 (or a probability in [0, 1])' }])
    const rows = await Network.create({ ...dense(1, 2, 'sigmoid'), loss: 'mse' })
    expect(refusal(() => rows.train([[0]], [[0, 2]])).errors[0].message)
      .toBe('y[0][1] is 2; a sigmoid output takes a probability in [0, 1]')
  })

  test('a sign perceptron takes -1/+1 per output, and class 0 as -1', async () => {
    const spec = { kind: 'perceptron', inputs: 1, outputs: 1, activation: 'sign',
      learningRate: 1, seed: 1 }
    const a = await Network.create(spec)
    const b = await Network.create(spec)
    a.train([[1], [-1]], [1, -1], { shuffle: false })
    b.train([[1], [-1]], [1, 0], { shuffle: false })
    expect(a.toBytes()).toEqual(b.toBytes())
    const wide = await Network.create({ ...spec, outputs: 2 })
    expect(refusal(() => wide.train([[1]], [[1, 0]])).errors[0].message)
      .toBe('y[0][1] is 0; a sign perceptron takes targets -1 or +1')
  })
})
