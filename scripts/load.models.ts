/**
 * The four models `npm run load` (scripts/load.ts) trains and queries, and
 * the rows it sends them: each call's rows are derived from its number, so
 * every run sends the same requests.
 */

/** A model under load: its spec, and the rows of one train call. */
export interface LoadModel {
  id: string
  spec: Record<string, unknown>
  batchRows: number
  /** Returns the target of row `x`. */
  target: (x: number[]) => string | number | number[]
}

/** Returns `width` values in [-1, 1) for row `n`, from a cheap integer hash. */
function row(n: number, width: number): number[] {
  return Array.from({ length: width }, (_, j) => {
    const mixed = Math.imul((n * width + j + 1) ^ 0x9e3779b9, 0x85ebca6b) >>> 0
    return Math.round(((mixed / 2 ** 32) * 2 - 1) * 1000) / 1000
  })
}

const IRIS = ['setosa', 'versicolor', 'virginica']

/** Lists a classifier, a binary net, a regression net and a perceptron. */
export const MODELS: LoadModel[] = [
  {
    id: 'load-classes',
    spec: {
      kind: 'mlp', inputs: 4, labels: IRIS, loss: 'cross-entropy', seed: 1,
      layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }],
      optimizer: { name: 'adam', learningRate: 0.01 }, inputScaling: 'standardize',
    },
    batchRows: 8,
    target: (x) => IRIS[x[0] < -0.3 ? 0 : x[0] < 0.3 ? 1 : 2],
  },
  {
    id: 'load-xor',
    spec: {
      kind: 'mlp', inputs: 2, loss: 'binary-cross-entropy', seed: 2,
      layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
      optimizer: { name: 'momentum', learningRate: 0.1, nesterov: true },
    },
    batchRows: 4,
    target: (x) => [x[0] * x[1] < 0 ? 1 : 0],
  },
  {
    id: 'load-regression',
    spec: {
      kind: 'mlp', inputs: 3, loss: 'mse', seed: 3,
      layers: [{ units: 12, activation: 'leaky-relu' }, { units: 1, activation: 'linear' }],
      optimizer: { name: 'sgd', learningRate: 0.05, clipNorm: 1 },
    },
    batchRows: 16,
    target: (x) => [x[0] - 2 * x[1] + 0.5 * x[2]],
  },
  {
    id: 'load-perceptron',
    spec: {
      kind: 'perceptron', inputs: 2, outputs: 1, activation: 'heaviside', learningRate: 0.1,
    },
    batchRows: 8,
    target: (x) => [x[0] + x[1] > 0 ? 1 : 0],
  },
]

/** Returns the x of predict call `n`: 1 to 8 rows. */
export function predictRows(model: LoadModel, n: number): number[][] {
  const inputs = model.spec.inputs as number
  return Array.from({ length: 1 + (n % 8) }, (_, r) => row(n * 8 + r, inputs))
}

/** Returns the body of train call `n`: batchRows rows and their targets. */
export function trainBatch(model: LoadModel, n: number): { x: number[][]; y: unknown[] } {
  const inputs = model.spec.inputs as number
  const x = Array.from({ length: model.batchRows }, (_, r) => row(n * 64 + r, inputs))
  return { x, y: x.map(model.target) }
}
