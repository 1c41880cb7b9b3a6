/**
 * What the benchmark measures, defined once for every system: the three
 * networks with their data, loss, learning rate and batch, the predict
 * batches, and the matrix sizes. Every system gets the same rows in the
 * same order and plain SGD, so only the implementation differs.
 */
import { readFileSync } from 'node:fs'

/** Names an activation the benchmark networks use. */
export type BenchActivation = 'sigmoid' | 'relu' | 'softmax'

/** Describes one benchmark network and how it trains. */
export interface BenchNetwork {
  /** Names the network in tables: 'xor 2-4-1'. */
  label: string
  inputs: number
  layers: { units: number; activation: BenchActivation }[]
  loss: 'mse' | 'cross-entropy'
  learningRate: number
  /** Rows per SGD step when training. */
  batch: number
}

/** Holds a data set: rows×inputs features and each row's class. */
export interface Dataset {
  rows: number
  inputs: number
  /** rows×inputs, row-major. */
  features: Float32Array
  /** One class index per row (XOR: its 0/1 target). */
  classes: Int32Array
  /** rows×outputs targets: one-hot rows, or the 0/1 target for XOR. */
  targets: Float32Array
  outputs: number
}

/** Lists the three networks, keyed as task names use them. */
export const NETWORKS = {
  xor: {
    label: 'xor 2-4-1',
    inputs: 2,
    layers: [
      { units: 4, activation: 'sigmoid' },
      { units: 1, activation: 'sigmoid' },
    ],
    loss: 'mse',
    learningRate: 0.5,
    batch: 32,
  },
  digits: {
    label: 'digits 64-32-10',
    inputs: 64,
    layers: [
      { units: 32, activation: 'relu' },
      { units: 10, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    learningRate: 0.05,
    batch: 32,
  },
  wide: {
    label: '784-128-10',
    inputs: 784,
    layers: [
      { units: 128, activation: 'relu' },
      { units: 10, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    learningRate: 0.01,
    batch: 64,
  },
} satisfies Record<string, BenchNetwork>

/** Names one of the three networks. */
export type NetworkName = keyof typeof NETWORKS

/** Lists the predict batch sizes. */
export const PREDICT_BATCHES = [1, 256] as const
/** Lists the square matrix sizes. */
export const MATMUL_SIZES = [64, 128, 256, 512] as const

/** Describes one measured task. */
export type Task =
  | { kind: 'train'; name: string; network: NetworkName }
  | { kind: 'predict'; name: string; network: NetworkName; batch: number }
  | { kind: 'matmul'; name: string; size: number }

/** Lists every task every system runs, in table order. */
export function allTasks(): Task[] {
  const names = Object.keys(NETWORKS) as NetworkName[]
  const tasks: Task[] = names.map((network) => ({
    kind: 'train',
    name: `train ${NETWORKS[network].label} b${NETWORKS[network].batch}`,
    network,
  }))
  for (const network of names) {
    for (const batch of PREDICT_BATCHES) {
      const name = `predict ${NETWORKS[network].label} b${batch}`
      tasks.push({ kind: 'predict', name, network, batch })
    }
  }
  for (const size of MATMUL_SIZES) {
    tasks.push({ kind: 'matmul', name: `matmul ${size}`, size })
  }
  return tasks
}

/** Counts the units of the output layer. */
export function outputsOf(network: BenchNetwork): number {
  return network.layers[network.layers.length - 1].units
}

/** Returns a seeded generator of uniform floats in [0, 1) (mulberry32). */
export function uniform(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = Math.imul(state ^ (state >>> 15), state | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Loads the rows a network trains and predicts on. */
export function datasetFor(name: NetworkName): Dataset {
  if (name === 'xor') return xorData(256)
  if (name === 'digits') return digitsData()
  return syntheticData(1024, 784, 10, 7)
}

// the four XOR patterns in turn, `rows` rows in all
function xorData(rows: number): Dataset {
  const features = new Float32Array(rows * 2)
  const classes = new Int32Array(rows)
  for (let r = 0; r < rows; r++) {
    const a = r & 1
    const b = (r >> 1) & 1
    features[2 * r] = a
    features[2 * r + 1] = b
    classes[r] = a ^ b
  }
  return withTargets(rows, 2, features, classes, 1)
}

// sklearn's 8×8 digits from the test fixture, pixels scaled from 0..16 to 0..1
function digitsData(): Dataset {
  const url = new URL('../test/fixtures/digits.csv', import.meta.url)
  const lines = readFileSync(url, 'utf8').trim().split('\n').slice(1)
  const features = new Float32Array(lines.length * 64)
  const classes = new Int32Array(lines.length)
  lines.forEach((line, r) => {
    const cells = line.split(',').map(Number)
    for (let c = 0; c < 64; c++) features[r * 64 + c] = cells[c] / 16
    classes[r] = cells[64]
  })
  return withTargets(lines.length, 64, features, classes, 10)
}

// uniform features in [0, 1) and uniform classes, from a fixed seed
function syntheticData(
  rows: number, inputs: number, classCount: number, seed: number,
): Dataset {
  const next = uniform(seed)
  const features = new Float32Array(rows * inputs)
  for (let i = 0; i < features.length; i++) features[i] = next()
  const classes = new Int32Array(rows)
  for (let r = 0; r < rows; r++) classes[r] = Math.floor(next() * classCount)
  return withTargets(rows, inputs, features, classes, classCount)
}

function withTargets(
  rows: number, inputs: number, features: Float32Array,
  classes: Int32Array, outputs: number,
): Dataset {
  const targets = new Float32Array(rows * outputs)
  for (let r = 0; r < rows; r++) {
    if (outputs === 1) targets[r] = classes[r]
    else targets[r * outputs + classes[r]] = 1
  }
  return { rows, inputs, features, classes, targets, outputs }
}

/** Returns `count` rows of a data set starting at row 0, wrapping around. */
export function firstRows(data: Dataset, count: number): Float32Array {
  const out = new Float32Array(count * data.inputs)
  for (let r = 0; r < count; r++) {
    const from = (r % data.rows) * data.inputs
    out.set(data.features.subarray(from, from + data.inputs), r * data.inputs)
  }
  return out
}
