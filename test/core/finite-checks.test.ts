import { describe, expect, test } from 'vitest'
import { EdgepropError, Network } from '../../src/core/index.ts'
import { formatPath } from '../../src/core/errors.ts'

const f32 = (...values: number[]) => new Float32Array(values)
const F32_MAX = 3.4028234663852886e38

/** A one-layer MLP from `inputs` values to `units` outputs, sgd at learning rate 1. */
function dense(inputs: number, units: number, activation: string) {
  const loss = activation === 'softmax' ? 'cross-entropy' : 'mse'
  return {
    kind: 'mlp', inputs, layers: [{ units, activation }], loss,
    optimizer: { name: 'sgd', learningRate: 1 }, seed: 5,
  }
}

/** Returns the error a call throws, failing the test when it throws none. */
function refusal(call: () => unknown): EdgepropError {
  try {
    call()
  } catch (error) {
    expect(error).toBeInstanceOf(EdgepropError)
    return error as EdgepropError
  }
  throw new Error('the call was accepted')
}

/** Checks a refusal names x (or one row of it) and says what overflowed. */
function expectOverflow(error: EdgepropError, path: (string | number)[], what: string) {
  expect(error.code).toBe('invalid-data')
  expect(error.errors).toHaveLength(1)
  expect(error.errors[0].path).toEqual(path)
  expect(error.errors[0].message).toContain(
    `${formatPath(path)} drives the ${what} past the f32 range (±3.4e38)`,
  )
  expect(error.errors[0].message).toContain('scale the inputs down')
}

describe('softmax of infinite logits', () => {
  // z = x·W with x = 2 and W near the f32 maximum gives ±Infinity exactly
  const cases: [string, number[], number[]][] = [
    ['one +Infinity takes all the mass', [F32_MAX, 1, -F32_MAX], [1, 0, 0]],
    ['a -Infinity gets none', [-F32_MAX, 0, 0], [0, 0.5, 0.5]],
    ['two +Infinity share it', [F32_MAX, F32_MAX, -1], [0.5, 0.5, 0]],
    ['all -Infinity spread it evenly', [-F32_MAX, -F32_MAX, -F32_MAX], [1 / 3, 1 / 3, 1 / 3]],
  ]

  test.each(cases)('%s', async (_, weights, expected) => {
    const net = await Network.create(dense(1, 3, 'softmax'))
    net.setWeights([{ W: f32(...weights), b: f32(0, 0, 0) }])
    const { outputs, probabilities } = net.predict([[2]])
    expect(outputs[0]).toEqual(expected.map(Math.fround))
    expect(probabilities).toEqual(outputs)
    expect(Number.isFinite(net.evaluate([[2]], [0]).loss)).toBe(true)
  })
})

describe('forward passes past f32', () => {
  test('predict refuses rows a relu stack overflows, naming the first', async () => {
    // the breaker's case: relu units overflow, softmax met ∞ − ∞ and called it class 0
    const net = await Network.create({
      ...dense(1, 3, 'softmax'), layers: [
        { units: 4, activation: 'relu' }, { units: 4, activation: 'relu' },
        { units: 3, activation: 'softmax' }],
      optimizer: { name: 'sgd', learningRate: 0.1 },
    })
    // x = 3e38 meets ∞ − ∞ in the second layer; x = −3e38 only gives ±∞ logits,
    // which softmax now turns into a finite, saturated answer
    expectOverflow(refusal(() => net.predict([[1], [3e38], [-3e38]])), ['x', 1], 'outputs')
    expect(net.predict([[-3e38]]).outputs).toEqual([[0, 0, 1]])
  })

  test('every call refuses an output of Infinity and changes nothing', async () => {
    const net = await Network.create(dense(1, 1, 'linear'))
    // a = 6e37·x: finite for x = 1, +Infinity for x = 3e38
    net.setWeights([{ W: f32(6e37), b: f32(0) }])
    const before = net.toBytes()
    const x = [[1], [3e38]]
    expectOverflow(refusal(() => net.predict(x)), ['x', 1], 'outputs')
    expectOverflow(refusal(() => net.evaluate(x, [0, 0])), ['x', 1], 'outputs')
    expectOverflow(refusal(() => net.gradients(x, [0, 0])), ['x', 1], 'outputs')
    expectOverflow(refusal(() => net.train(x, [0, 0])), ['x', 1], 'outputs')
    expectOverflow(refusal(() => net.predict([3e38])), ['x'], 'outputs')
    expect(net.toBytes()).toEqual(before)
    expect(net.version).toBe(1)
  })

  test('gradients refuses a finite loss whose gradient overflows', async () => {
    const net = await Network.create({
      ...dense(1, 1, 'sigmoid'), loss: 'binary-cross-entropy',
      layers: [{ units: 1, activation: 'relu' }, { units: 1, activation: 'sigmoid' }],
    })
    net.setWeights([{ W: f32(2), b: f32(0) }, { W: f32(1), b: f32(0) }])
    const before = net.toBytes()
    // relu(2·3e38) = ∞ and sigmoid(∞) = 1: the loss −log(1 − (1 − 1e-7)) is finite,
    // but ∂C/∂W¹ = a⁰·δ¹ = ∞·(1 − 0)
    expect(net.evaluate([[3e38]], [0]).loss).toBeCloseTo(-Math.log(1e-7), 5)
    expectOverflow(refusal(() => net.gradients([[3e38]], [0])), ['x'], 'gradients')
    expect(net.toBytes()).toEqual(before)
  })

  test('train refuses, undoes and blames a step that leaves its own rows overflowing', async () => {
    const net = await Network.create(dense(1, 1, 'linear'))
    net.setWeights([{ W: f32(0), b: f32(0) }])
    const before = net.toBytes()
    // a = 0 and δ = (0 − 1e19)/1, so ∂C/∂W = 1e19·(−1e19) = −1e38 is finite;
    // one sgd step at η = 1 sets W = 1e38, and then a = 1e19·1e38 is +Infinity
    // the row went through before the step, so the step is what is blamed
    const error = refusal(() => net.train([[1e19]], [1e19]))
    expect(error.code).toBe('non-finite')
    expect(error.errors[0].path).toEqual(['optimizer', 'learningRate'])
    expect(error.message).toContain(
      'training diverged: the weights grew until the outputs passed the f32 range',
    )
    expect(error.message).toContain('or scale the inputs')
    expect(net.toBytes()).toEqual(before)
    expect(net.stats).toEqual({ samplesSeen: 0, steps: 0, epochs: 0 })
  })
})

describe('perceptron sums past f32', () => {
  const perceptron = (outputs: number) => ({
    kind: 'perceptron', inputs: 2, outputs, activation: 'heaviside', learningRate: 1, seed: 1,
  })

  test('predict, evaluate and train refuse z = x·W + b beyond f32', async () => {
    const net = await Network.create(perceptron(1))
    net.setWeights([{ W: f32(3e38, 3e38), b: f32(0) }])
    const before = net.toBytes()
    // z = 3e38·1 + 3e38·1 is +Infinity; 3e38·1 + 3e38·(−1) = 0 is fine
    const x = [[1, -1], [1, 1]]
    expectOverflow(refusal(() => net.predict(x)), ['x', 1], 'weighted sums')
    expectOverflow(refusal(() => net.evaluate(x, [1, 1])), ['x', 1], 'weighted sums')
    expectOverflow(refusal(() => net.train(x, [1, 1])), ['x', 1], 'weighted sums')
    expect(net.predict([[1, -1]]).labels).toEqual([1])
    expect(net.toBytes()).toEqual(before)
  })

  test('a multi-output perceptron refuses NaN sums instead of picking class 0', async () => {
    const net = await Network.create(perceptron(2))
    // z_1 = 3e38·2 + (−3e38)·2 = ∞ − ∞ = NaN
    net.setWeights([{ W: f32(1, 3e38, 1, -3e38), b: f32(0, 0) }])
    expectOverflow(refusal(() => net.predict([2, 2])), ['x'], 'weighted sums')
    expect(net.predict([[0.5, 0.25]]).labels).toEqual([1])
  })
})
