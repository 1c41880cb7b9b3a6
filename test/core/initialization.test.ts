/**
 * Initial weights (assembly/network.ts, assembly/random.ts): each layer's
 * W is drawn uniformly from [−limit, limit), He uniform √(6/fanIn) for
 * relu and leaky-relu and Glorot uniform √(6/(fanIn + fanOut)) for every
 * other activation; every bias starts at 0; a perceptron starts from 0.
 *
 * A uniform draw from ±L has variance L²/3 and half its values within L/2,
 * so the spread tells the distributions apart: in these layers He's
 * variance is (fanIn + fanOut)/fanIn = 1.75 to 1.9 times Glorot's, and a
 * normal draw of variance L²/3 would put 61% of its values within L/2 and
 * 8% beyond L.
 */
import { describe, expect, it } from 'vitest'
import { Network } from '../../src/core/index.ts'
import type { ActivationName } from '../../src/core/enums.ts'

/** Returns the uniform limit the design names for a layer. */
function limitFor(activation: ActivationName, fanIn: number, fanOut: number) {
  const he = activation === 'relu' || activation === 'leaky-relu'
  return he ? Math.sqrt(6 / fanIn) : Math.sqrt(6 / (fanIn + fanOut))
}

/** Asserts that `W` looks like n ≥ 480 uniform draws from [−L, L). */
function expectUniform(W: Float32Array, L: number, where: string) {
  const n = W.length
  const mean = W.reduce((sum, w) => sum + w, 0) / n
  const variance = W.reduce((sum, w) => sum + (w - mean) ** 2, 0) / n
  const largest = W.reduce((most, w) => Math.max(most, Math.abs(w)), 0)
  const inner = W.filter((w) => Math.abs(w) < L / 2).length / n
  // (2u − 1)·L for u in [0, 1) is rounded to f32, so |w| may reach f32(L)
  expect(largest, `${where}: largest |w|`).toBeLessThanOrEqual(Math.fround(L))
  // all n draws fall under 0.98·L with odds 0.98^480 ≈ 6e-5
  expect(largest, `${where}: largest |w|`).toBeGreaterThan(0.98 * L)
  expect(Math.abs(mean), `${where}: mean`).toBeLessThan(0.15 * L)
  const ratio = variance / (L ** 2 / 3)
  expect(Math.abs(ratio - 1), `${where}: variance / (L²/3) = ${ratio}`).toBeLessThan(0.15)
  expect(Math.abs(inner - 0.5), `${where}: share within L/2`).toBeLessThan(0.08)
}

const layer = (units: number, activation: ActivationName) => ({ units, activation })

// widths 50 → 40 → 36 → 32 → 28 → 24 → 20: every layer has 480 weights or
// more, so its sample variance is within ±0.9/√480 ≈ 4% of L²/3 (one s.d.)
const regression = {
  kind: 'mlp', inputs: 50, loss: 'mse',
  layers: [
    layer(40, 'relu'), layer(36, 'tanh'), { ...layer(32, 'leaky-relu'), alpha: 0.2 },
    layer(28, 'sigmoid'), layer(24, 'linear'), layer(20, 'relu'),
  ],
  optimizer: { name: 'sgd', learningRate: 0.1 },
}
const classifier = {
  kind: 'mlp', inputs: 40, loss: 'cross-entropy',
  layers: [layer(30, 'leaky-relu'), layer(24, 'softmax')],
  optimizer: { name: 'adam', learningRate: 0.01 },
}
const binary = {
  kind: 'mlp', inputs: 30, loss: 'binary-cross-entropy',
  layers: [layer(32, 'tanh'), layer(16, 'sigmoid')],
  optimizer: { name: 'sgd', learningRate: 0.1 },
}

const nets = [
  { name: 'a 6-layer regression net', spec: regression },
  { name: 'a softmax classifier', spec: classifier },
  { name: 'a sigmoid net', spec: binary },
]
const cases = nets.flatMap((net) => [1, 2, 3].map((seed) => ({ ...net, seed })))

describe('initial weights', () => {
  it.each(cases)(
    'are uniform in ±√(6/fanIn) for relu-like layers, ±√(6/(fanIn + fanOut)) ' +
      'otherwise: $name, seed $seed',
    async ({ spec, seed }) => {
      const net = await Network.create({ ...spec, seed })
      const layers = net.getWeights()
      expect(layers).toHaveLength(spec.layers.length)
      let fanIn = spec.inputs
      for (const [l, { units, activation }] of spec.layers.entries()) {
        const where = `layer ${l} (${fanIn}→${units} ${activation})`
        const { W, b } = layers[l]
        expect(W, where).toHaveLength(fanIn * units)
        expectUniform(W, limitFor(activation, fanIn, units), where)
        expect([...b], `${where}: biases`).toEqual(new Array(units).fill(0))
        fanIn = units
      }
    },
  )

  it('differ between seeds and repeat for the same seed', async () => {
    const weights = async (seed: number) =>
      (await Network.create({ ...classifier, seed })).getWeights()
    const first = await weights(1)
    expect(await weights(1)).toEqual(first)
    expect((await weights(2))[0].W).not.toEqual(first[0].W)
  })

  it('start a perceptron from zero weights and biases', async () => {
    const spec = { kind: 'perceptron', inputs: 5, outputs: 3, learningRate: 0.5, seed: 9 }
    for (const activation of ['heaviside', 'sign']) {
      const [{ W, b }] = (await Network.create({ ...spec, activation })).getWeights()
      expect([...W], activation).toEqual(new Array(5 * 3).fill(0))
      expect([...b], activation).toEqual([0, 0, 0])
    }
  })
})
