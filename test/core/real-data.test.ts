/**
 * Real data: iris and digits, trained only through net.train calls of at
 * most 64 rows, scored on the held-out quarter of the committed split, and
 * set beside what scikit-learn's MLPClassifier reaches on the same rows
 * (test/oracle/sklearn_mlp.json, written by test/oracle/sklearn_mlp.py).
 */
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadCore, Network } from '../../src/core/index.ts'
import {
  type Dataset,
  loadDataset,
  loadSplits,
  type Split,
  SPLIT_SEED,
  stratifiedSplit,
} from '../reference/data.ts'
import { mulberry32, shuffleInPlace } from '../reference/random.ts'

/** The most rows one train call may carry, as a Worker request would. */
const CALL_ROWS = 64

/** The seeds of the networks' initial weights and of the pass order. */
const SEEDS = [1, 2, 3, 4, 5]

/** One dataset's run: its network, passes over the data, and the target. */
interface Run {
  name: 'iris' | 'digits'
  hiddenUnits: number
  learningRate: number
  passes: number
  target: number
}

const RUNS: Run[] = [
  { name: 'iris', hiddenUnits: 16, learningRate: 0.01, passes: 60, target: 0.95 },
  { name: 'digits', hiddenUnits: 32, learningRate: 0.003, passes: 40, target: 0.96 },
]

const oracle = JSON.parse(
  readFileSync(new URL('../oracle/sklearn_mlp.json', import.meta.url), 'utf8'),
) as Record<string, { mean: number; min: number; max: number }> & { splitSeed: number }

/** Trains a fresh network on the split's training rows, ≤ 64 rows a call. */
async function trainOn(data: Dataset, split: Split, run: Run, seed: number): Promise<Network> {
  const net = await Network.create({
    kind: 'mlp',
    inputs: data.features.length,
    layers: [
      { units: run.hiddenUnits, activation: 'relu' },
      { units: data.classes.length, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    optimizer: { name: 'adam', learningRate: run.learningRate },
    labels: data.classes,
    inputScaling: 'standardize',
    seed,
  })
  const next = mulberry32(seed)
  const order = [...split.train]
  for (let pass = 0; pass < run.passes; pass++) {
    shuffleInPlace(order, next)
    for (let start = 0; start < order.length; start += CALL_ROWS) {
      const rows = order.slice(start, start + CALL_ROWS)
      const x = rows.map((r) => data.x[r])
      const y = rows.map((r) => data.labels[r])
      net.train(x, y, { epochs: 1, batchSize: 16, shuffle: true })
    }
  }
  return net
}

/** Returns the share of the split's test rows whose predicted label is right. */
function testAccuracy(net: Network, data: Dataset, split: Split): number {
  const predicted = net.predict(split.test.map((r) => data.x[r])).labels!
  const right = predicted.filter((label, i) => label === data.labels[split.test[i]])
  return right.length / split.test.length
}

describe('real data through train calls of at most 64 rows', () => {
  const splits = loadSplits()

  beforeAll(async () => {
    await loadCore()
  })

  it('uses the committed split, which the documented method reproduces', () => {
    expect(splits.seed).toBe(SPLIT_SEED)
    expect(oracle.splitSeed).toBe(SPLIT_SEED)
    for (const name of ['iris', 'digits'] as const) {
      const data = loadDataset(name)
      expect(splits[name]).toEqual(stratifiedSplit(data.labels))
      expect(splits[name].train.length + splits[name].test.length).toBe(data.x.length)
    }
  })

  // Every seed must reach the target on its own, and the seeds' mean must
  // come within 0.01 of sklearn's mean over its ten seeds.
  it.each(RUNS)(
    'reaches test accuracy ≥ $target on $name with each of five seeds',
    async (run) => {
      const data = loadDataset(run.name)
      const split = splits[run.name]
      const started = performance.now()
      const accuracies: number[] = []
      for (const seed of SEEDS) {
        accuracies.push(testAccuracy(await trainOn(data, split, run, seed), data, split))
      }
      const mean = accuracies.reduce((sum, a) => sum + a, 0) / accuracies.length
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      const sklearn = oracle[run.name]
      console.log(
        `${run.name}: edgeprop test accuracy ${accuracies.map((a) => a.toFixed(4)).join(' ')}` +
          ` (mean ${mean.toFixed(4)}; ${split.test.length} test rows, ${run.passes} passes,` +
          ` ${seconds} s); sklearn MLPClassifier mean ${sklearn.mean}, ` +
          `range ${sklearn.min}–${sklearn.max} over 10 seeds`,
      )
      expect(Math.min(...accuracies)).toBeGreaterThanOrEqual(run.target)
      expect(mean).toBeGreaterThanOrEqual(sklearn.mean - 0.01)
    },
  )
})
