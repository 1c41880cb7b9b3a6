import { describe, expect, test } from 'vitest'
import { EdgepropError, Network } from '../../src/core/index.ts'

const softmax = {
  kind: 'mlp', inputs: 2, seed: 1, loss: 'cross-entropy',
  layers: [{ units: 3, activation: 'softmax' }],
  optimizer: { name: 'sgd', learningRate: 1 },
} as const
const multiLabel = {
  kind: 'mlp', inputs: 2, seed: 1, loss: 'binary-cross-entropy',
  layers: [{ units: 2, activation: 'sigmoid' }],
  optimizer: { name: 'sgd', learningRate: 1 },
} as const

/** Returns what a train call refuses, checking the network did not change. */
async function refusal(spec: object, y: unknown): Promise<EdgepropError['errors']> {
  const net = await Network.create(spec)
  const before = net.toBytes()
  try {
    net.train([[1, 2], [3, 4]], y as never)
  } catch (error) {
    expect(error).toBeInstanceOf(EdgepropError)
    expect(net.toBytes()).toEqual(before)
    return (error as EdgepropError).errors
  }
  throw new Error('the targets were accepted')
}

describe('targets of a softmax output', () => {
  test('refuses a row that does not sum to 1, whose a − y is not the gradient', async () => {
    expect(await refusal(softmax, [[1, 0, 0], [0, 0, 0]])).toEqual([{
      path: ['y', 1],
      message: "y[1] sums to 0; a softmax output's target row must sum to 1 " +
        '(one-hot, or class probabilities); or give the class label or index',
    }])
    const twice = await refusal(softmax, [[1, 1, 0], [0, 1, 0]])
    expect(twice.map((e) => e.path)).toEqual([['y', 0]])
  })

  test('takes one-hot rows and class probabilities that sum to 1 in decimal', async () => {
    const net = await Network.create(softmax)
    const fit = net.train([[1, 2], [3, 4]], [[0.1, 0.2, 0.7], [0, 1, 0]])
    expect(fit.samplesSeen).toBe(2)
  })

  test('a multi-label sigmoid output takes rows of any probabilities', async () => {
    const net = await Network.create(multiLabel)
    expect(net.train([[1, 2], [3, 4]], [[1, 1], [0, 0]]).samplesSeen).toBe(2)
  })

  test('a model without classes says what its targets are when given a label', async () => {
    expect(await refusal(multiLabel, ['cat', [0, 1]])).toEqual([{
      path: ['y', 0],
      message: 'y[0] is the string "cat"; this model has no classes (a sigmoid output), ' +
        'so each target is a row of 2 numbers',
    }])
  })
})
