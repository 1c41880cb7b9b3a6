import { describe, expect, test } from 'vitest'
import { Network } from '../../src/core/index.ts'

const f32 = (...values: number[]) => new Float32Array(values)
const AND = { x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [0, 0, 0, 1] }
const XOR = { x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [0, 1, 1, 0] }

function perceptron(inputs: number, outputs: number, activation: string, learningRate: number) {
  return { kind: 'perceptron', inputs, outputs, activation, learningRate, seed: 1 }
}

describe("Rosenblatt's rule, worked by hand", () => {
  // heaviside, η = 1, from W = [0, 0], b = 0, rows in order; heaviside(0) = 1.
  // err = y - ŷ; W += η·err·x; b += η·err. Per epoch, the rows that update:
  //   1: (0,0) z=0 ŷ=1 err=-1 → W [0,0] b -1;  (1,1) z=-1 ŷ=0 err=1 → W [1,1] b 0
  //   2: (0,0) z=0 → b -1;  (0,1) z=0 → W [1,0] b -2;  (1,1) z=-1 → W [2,1] b -1
  //   3: (0,1) z=0 → W [2,0] b -2;  (1,0) z=0 → W [1,0] b -3;  (1,1) z=-2 → W [2,1] b -2
  //   4: (1,0) z=0 → W [1,1] b -3;  (1,1) z=-1 → W [2,2] b -2
  //   5: (0,1) z=0 → W [2,1] b -3;  (1,1) z=0 ŷ=1, right
  //   6: no mistakes, so training stops
  const trace = [
    { W: [1, 1], b: 0 },
    { W: [2, 1], b: -1 },
    { W: [2, 1], b: -2 },
    { W: [2, 2], b: -2 },
    { W: [2, 1], b: -3 },
    { W: [2, 1], b: -3 },
  ]

  test('a heaviside unit learns AND with the exact weights of each epoch', async () => {
    const net = await Network.create(perceptron(2, 1, 'heaviside', 1))
    expect(net.getWeights()).toEqual([{ W: f32(0, 0), b: f32(0) }])
    for (const { W, b } of trace) {
      net.train(AND.x, AND.y, { epochs: 1, shuffle: false })
      expect(net.getWeights()).toEqual([{ W: f32(...W), b: f32(b) }])
    }
    expect(net.predict(AND.x).outputs).toEqual([[0], [0], [0], [1]])
  })

  test('stops after the first epoch without mistakes', async () => {
    const net = await Network.create(perceptron(2, 1, 'heaviside', 1))
    const fit = net.train(AND.x, AND.y, { epochs: 100, shuffle: false })
    expect(fit.epochs).toBe(6)
    expect(fit).toMatchObject({ lossBefore: 0.75, lossAfter: 0, accuracy: 1, steps: 24 })
    expect(net.getWeights()).toEqual([{ W: f32(2, 1), b: f32(-3) }])
  })

  test('a sign unit with η = 1/2 takes sign(0) = 0, so its first error is 1, not 2', async () => {
    // AND on ±1: (1,1) → +1, others → -1. From zeros, rows in order:
    //   (1,1)   z=0 ŷ=0 err=1  → W [0.5,0.5] b 0.5
    //   (-1,-1) z=-0.5 right
    //   (1,-1)  z=0.5 ŷ=1 err=-2 → W += -1·(1,-1) → [-0.5,1.5] b -0.5
    //   (-1,1)  z=1.5 ŷ=1 err=-2 → W += -1·(-1,1) → [0.5,0.5] b -1.5
    //   epoch 2: (1,1) z=-0.5 err=2 → W [1.5,1.5] b -0.5; the rest are right
    //   epoch 3: no mistakes
    const net = await Network.create(perceptron(2, 1, 'sign', 0.5))
    const x = [[1, 1], [-1, -1], [1, -1], [-1, 1]]
    const fit = net.train(x, [1, -1, -1, -1], { epochs: 50, shuffle: false })
    expect(fit.epochs).toBe(3)
    expect(net.getWeights()).toEqual([{ W: f32(1.5, 1.5), b: f32(-0.5) }])
    expect(net.predict(x).labels).toEqual([1, 0, 0, 0])
  })
})

describe("the lecture's perceptron with two inputs and three outputs", () => {
  // one threshold unit per class, trained one-vs-rest; η = 1, rows in order A, B, C.
  // W is inputs×units: row 0 multiplies x0, row 1 multiplies x1.
  //   A (2,0)   z=[0,0,0] ŷ=[1,1,1] err=[0,-1,-1] → W0 [0,-2,-2] W1 [0,0,0] b [0,-1,-1]
  //   B (0,2)   z=[0,-1,-1] ŷ=[1,0,0] err=[-1,1,0] → W1 [-2,2,0] b [-1,0,-1]
  //   C (-2,-2) z=[3,0,3] ŷ=[1,1,1] err=[-1,-1,0] → W0 [2,0,-2] W1 [0,4,0] b [-2,-1,-1]
  //   epoch 2: z(A)=[2,-1,-5], z(B)=[-2,7,-1], z(C)=[-6,-9,3]: all right, so it stops
  const x = [[2, 0], [0, 2], [-2, -2]]
  const spec = { ...perceptron(2, 3, 'heaviside', 1), labels: ['A', 'B', 'C'] }

  test('learns three classes with the hand-worked weights', async () => {
    const net = await Network.create(spec)
    const fit = net.train(x, ['A', 'B', 'C'], { epochs: 10, shuffle: false })
    expect(fit).toMatchObject({ epochs: 2, accuracy: 1, lossAfter: 0 })
    expect(net.getWeights()).toEqual([{ W: f32(2, 0, -2, 0, 4, 0), b: f32(-2, -1, -1) }])
  })

  test('labels each point by the unit with the largest z', async () => {
    const net = await Network.create(spec)
    net.train(x, ['A', 'B', 'C'], { epochs: 10, shuffle: false })
    // (3,-1): z = [6-2, -4-1, -6-1] = [4, -5, -7] → A
    const out = net.predict([...x, [3, -1]])
    expect(out.labels).toEqual(['A', 'B', 'C', 'A'])
    expect(out.outputs).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]])
    expect(out.probabilities).toBeUndefined()
  })

  test('takes one-hot rows and class indices as targets too', async () => {
    const byRows = await Network.create(spec)
    byRows.train(x, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], { epochs: 10, shuffle: false })
    const byIndex = await Network.create(spec)
    byIndex.train(x, [0, 1, 2], { epochs: 10, shuffle: false })
    expect(byRows.getWeights()).toEqual(byIndex.getWeights())
    expect(byIndex.getWeights()[0].b).toEqual(f32(-2, -1, -1))
  })
})

describe('XOR', () => {
  test('a single perceptron never classifies all four points and runs every epoch', async () => {
    for (const shuffle of [false, true]) {
      const net = await Network.create(perceptron(2, 1, 'heaviside', 1))
      const fit = net.train(XOR.x, XOR.y, { epochs: 200, shuffle })
      expect(fit.epochs).toBe(200)
      // no line splits XOR, so at most 3 of the 4 points can be right
      expect(fit.accuracy).toBeLessThanOrEqual(0.75)
      expect(net.evaluate(XOR.x, XOR.y).accuracy).toBeLessThanOrEqual(0.75)
    }
  })

  const mlp = (hidden: number, seed: number) => ({
    kind: 'mlp', inputs: 2, seed,
    layers: [{ units: hidden, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
    loss: 'binary-cross-entropy',
    optimizer: { name: 'adam', learningRate: 0.05 },
  })

  async function learnsXor(hidden: number, seed: number): Promise<boolean> {
    const net = await Network.create(mlp(hidden, seed))
    const fit = net.train(XOR.x, XOR.y, { epochs: 500, batchSize: 4 })
    return fit.accuracy === 1 && net.predict(XOR.x).labels!.join() === '0,1,1,0'
  }

  test('an MLP with 8 tanh hidden units learns it on each of 10 seeds', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      expect(await learnsXor(8, seed), `seed ${seed}`).toBe(true)
    }
  })

  test('an MLP with 4 tanh hidden units learns it on at least 9 of 10 seeds', async () => {
    let learned = 0
    for (let seed = 1; seed <= 10; seed++) if (await learnsXor(4, seed)) learned++
    expect(learned).toBeGreaterThanOrEqual(9)
  })
})
