import { describe, expect, test } from 'vitest'
import { EdgepropError, Network, parseSpec } from '../../src/core/index.ts'
import { divergence } from '../../src/core/core-status.ts'

/** A linear unit from one input, trained by sgd at `learningRate`. */
const line = (learningRate: number, inputScaling: string) => ({
  kind: 'mlp', inputs: 1, layers: [{ units: 1, activation: 'linear' }], loss: 'mse',
  optimizer: { name: 'sgd', learningRate }, inputScaling, seed: 2,
})

/** Returns the error a train call throws, checking it left the network as it was. */
function trainRefusal(net: Network, x: number[][], y: number[]): EdgepropError {
  const before = net.toBytes()
  const version = net.version
  let error: unknown
  try {
    net.train(x, y, { epochs: 3 })
  } catch (caught) {
    error = caught
  }
  expect(error).toBeInstanceOf(EdgepropError)
  expect(net.toBytes()).toEqual(before)
  expect(net.version).toBe(version)
  return error as EdgepropError
}

describe('a train call that goes non-finite names the cause', () => {
  test('rows that overflow the running variance, not the learning rate', async () => {
    // the breaker's case: mean 0, variance (1e20)² = 1e40, past f32's 3.4e38
    const net = await Network.create(line(1e-30, 'standardize'))
    const error = trainRefusal(net, [[1e20], [-1e20]], [0, 0])
    expect(error.code).toBe('invalid-data')
    expect(error.errors).toHaveLength(1)
    expect(error.errors[0].path).toEqual(['x', 0, 0])
    expect(error.message).toContain(
      'x[0][0] is 1e+20: merged into the running variance of input 0 ' +
      "it passes the f32 range (3.4e38), so inputScaling 'standardize' cannot hold it",
    )
    expect(error.message).not.toContain('learningRate')
  })

  test('rows whose gradient overflows before any step, at any learning rate', async () => {
    // ∂C/∂W = x·(w·x − 0) ≈ 1e20 · 1e20 = 1e40 is already +Infinity in f32
    const net = await Network.create(line(1e-30, 'none'))
    const error = trainRefusal(net, [[1], [1e20]], [0, 0])
    expect(error.code).toBe('invalid-data')
    expect(error.errors[0].path).toEqual(['x', 1])
    expect(error.message).toContain(
      'x[1] (its largest value is 1e+20) gives an infinite or NaN ' +
      'gradient at the current weights, so no learning rate can train on it',
    )
    expect(error.message).toContain("use inputScaling: 'standardize'")
  })

  test('targets whose gradient overflows before any step are named as y', async () => {
    // δ = w·x − y ≈ 3.4e38 is finite, but ∂C/∂W = mean x·δ = 4 · 3.4e38 / 2 is not
    const net = await Network.create(line(1e-30, 'none'))
    const error = trainRefusal(net, [[1], [4]], [0, -3.4e38])
    expect(error.code).toBe('invalid-data')
    expect(error.errors[0].path).toEqual(['y', 1])
    expect(error.message).toBe(
      'y[1] (its largest value is -3.4e+38) gives an infinite or NaN gradient at the ' +
        'current weights, so no learning rate can train on it and the network was left ' +
        'as it was; scale the targets down',
    )
  })

  test('large inputs that standardize well leave the blame on the learning rate', async () => {
    // merged, the statistics scale ±1e19 to ±1; a step of η = 1e30 is what diverges
    const net = await Network.create(line(1e30, 'standardize'))
    const error = trainRefusal(net, [[1e19], [-1e19]], [1e4, -1e4])
    expect(error.code).toBe('non-finite')
    expect(error.errors[0].path).toEqual(['optimizer', 'learningRate'])
    expect(error.message).toContain("lower 'optimizer.learningRate' (try 1e+29)")
  })

  test('the same rows standardized train once the learning rate is sane', async () => {
    const net = await Network.create(line(0.1, 'standardize'))
    const fit = net.train([[1e19], [-1e19]], [1, -1], { epochs: 50 })
    expect(fit.lossAfter).toBeLessThan(fit.lossBefore)
    expect(net.predict([[1e19]]).outputs[0][0]).toBeCloseTo(1, 2)
  })

  test('never suggests a learning rate the spec would refuse', () => {
    const at = (learningRate: number) => divergence(parseSpec(line(learningRate, 'none')))
    expect(at(2e-29).message).toContain("lower 'optimizer.learningRate' (try 2e-30)")
    expect(at(5e-30).message).toContain(
      "'optimizer.learningRate' is already near its least (1e-30): scale the inputs down",
    )
  })
})

describe('weights that grow until finite rows overflow', () => {
  test('blame the learning rate, not the inputs', async () => {
    // sgd at rate 10 on two 64-unit linear layers: each step multiplies the
    // weights, so within a few epochs rows in [-1, 1] reach past 3.4e38
    const net = await Network.create({
      kind: 'mlp', inputs: 2, loss: 'mse', seed: 3,
      layers: [{ units: 64, activation: 'linear' }, { units: 64, activation: 'linear' },
        { units: 1, activation: 'linear' }],
      optimizer: { name: 'sgd', learningRate: 10 },
    })
    const x = [[0.5, -1], [1, 0.25], [-0.75, 0.5], [0, 1]]
    let before = net.toBytes()
    let error: unknown
    try {
      for (let call = 0; call < 20; call++) {
        before = net.toBytes()
        net.train(x, [1, -1, 0.5, 0], { epochs: 5 })
      }
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(EdgepropError)
    const refusal = error as EdgepropError
    expect(refusal.code).toBe('non-finite')
    expect(refusal.errors[0].path).toEqual(['optimizer', 'learningRate'])
    expect(refusal.message).not.toContain('inputs are too large')
    expect(net.toBytes()).toEqual(before)
    expect(net.predict(x).outputs.flat().every(Number.isFinite)).toBe(true)
  })
})
