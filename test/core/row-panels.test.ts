/**
 * Row panels (assembly/panels.ts): from the second small predict after W
 * last changed, a predict of one to three rows reads a packed copy of W.
 * It must answer the very bits a predict of four rows does (which packs W
 * per call and never reads the copy), after every way W can change: the
 * copy going stale would serve the old weights.
 */
import { describe, expect, it } from 'vitest'
import { Network } from '../../src/core/index.ts'
import { mulberry32 } from '../reference/random.ts'

const next = mulberry32(77)

/** Draws a row of `width` values in [-2, 2). */
function row(width: number): number[] {
  return Array.from({ length: width }, () => 4 * next() - 2)
}

/** Returns one row's outputs as f32 bits, so -0 and 0 and NaNs differ. */
function bits(values: number[]): number[] {
  return Array.from(new Uint32Array(new Float32Array(values).buffer))
}

/**
 * Predicts `x` alone three times (the first reads W in place, the second
 * packs the panels, the third reads them) and as the first of four rows;
 * expects the same bits every time.
 */
function expectPanelsCurrent(net: Network, x: number[]): void {
  const wide = bits(net.predict([x, x, x, x]).outputs[0])
  for (let call = 0; call < 3; call++) {
    expect(bits(net.predict([x]).outputs[0]), `small predict ${call + 1}`).toEqual(wide)
  }
}

/** Builds an MLP of the given widths, relu inside and linear out. */
function mlp(inputs: number, units: number[], optimizer = 'sgd') {
  return Network.create({
    kind: 'mlp', inputs, seed: 5, loss: 'mse',
    optimizer: { name: optimizer, learningRate: 0.01 },
    layers: units.map((u, i) => ({
      units: u, activation: i === units.length - 1 ? 'linear' : 'relu',
    })),
  } as never)
}

describe('a small predict from row panels', () => {
  // widths below 8, at 8, between strips of 32, at 32, and past
  const shapes: [number, number[]][] = [
    [1, [1]], [3, [7, 2]], [5, [8, 3]], [17, [17, 9]], [4, [32, 40]],
    [9, [64, 33, 8]], [784, [128, 10]],
  ]

  it.each(shapes)('answers what four rows do, %i inputs into %j', async (inputs, units) => {
    const net = await mlp(inputs, units)
    const x = row(inputs)
    expectPanelsCurrent(net, x)
    expectPanelsCurrent(net, row(inputs))
  })

  it('follows every change of W: train, setWeights, a refused step, fromBytes', async () => {
    const net = await mlp(6, [40, 12], 'adam')
    const x = row(6)
    const batch = Array.from({ length: 8 }, () => row(6))
    const targets = batch.map(() => row(12))
    expectPanelsCurrent(net, x)

    net.train(batch, targets, { epochs: 1, batchSize: 1 })
    expectPanelsCurrent(net, x)

    const layers = net.getWeights()
    layers[0].W[3] += 1
    net.setWeights(layers)
    expectPanelsCurrent(net, x)

    // a step that diverges is refused and W put back from the backup
    const huge = batch.map((r) => r.map((v) => v * 1e30))
    expect(() => net.train(huge, targets, { epochs: 1 })).toThrow()
    expectPanelsCurrent(net, x)

    const copy = await Network.fromBytes(net.toBytes())
    expectPanelsCurrent(copy, x)
    expect(copy.predict([x]).outputs).toEqual(net.predict([x]).outputs)
  })

  it('answers the trained weights when train and small predicts take turns', async () => {
    const net = await mlp(10, [32, 4])
    const x = row(10)
    for (let round = 0; round < 4; round++) {
      const before = bits(net.predict([x]).outputs[0])
      net.predict([x])
      net.train([row(10), row(10)], [row(4), row(4)], { epochs: 1 })
      const after = bits(net.predict([x]).outputs[0])
      expect(after).not.toEqual(before)
      expectPanelsCurrent(net, x)
    }
  })

  it('follows a perceptron trained between small predicts', async () => {
    const net = await Network.create({
      kind: 'perceptron', inputs: 3, outputs: 16, activation: 'sign', learningRate: 1,
    })
    const x = [1, -1, 0.5]
    expectPanelsCurrent(net, x)
    const y = Array.from({ length: 16 }, (_, j) => (j % 2 === 0 ? 1 : -1))
    net.train([x], [y], { epochs: 1 })
    expectPanelsCurrent(net, x)
    expect(net.predict([x]).outputs[0]).toEqual(y)
  })
})
