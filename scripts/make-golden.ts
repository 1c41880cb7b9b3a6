/**
 * Writes the golden model file test/fixtures/golden-v1.edgeprop and its
 * expected predictions, golden-v1.json, once. The files are committed and
 * must never change: every later edgeprop has to load this blob and predict
 * these exact outputs. So this script refuses to overwrite them.
 *
 * The model avoids exp and tanh (relu, leaky-relu with a slope of 1/8, a
 * linear output): its outputs follow from the summation order and f32
 * rounding the contract fixes, not from how a kernel computes exp.
 *
 *   npx node scripts/make-golden.ts
 */
import { existsSync, writeFileSync } from 'node:fs'
import { Network } from '../src/core/index.ts'

const fixtures = new URL('../test/fixtures/', import.meta.url)
const blobFile = new URL('golden-v1.edgeprop', fixtures)
const expectedFile = new URL('golden-v1.json', fixtures)

const spec = {
  kind: 'mlp',
  inputs: 3,
  layers: [
    { units: 6, activation: 'relu' },
    { units: 4, activation: 'leaky-relu', alpha: 0.125 },
    { units: 2, activation: 'linear' },
  ],
  loss: 'mse',
  optimizer: {
    name: 'momentum', learningRate: 0.01, momentum: 0.9, nesterov: true, l2: 0.001, clipNorm: 5,
  },
  inputScaling: 'standardize',
  seed: 20240601,
}

/** Makes `rows` rows of a smooth 3→2 mapping, from integers only. */
function data(rows: number, offset: number): { x: number[][]; y: number[][] } {
  const x: number[][] = []
  const y: number[][] = []
  for (let i = 0; i < rows; i++) {
    const a = ((i * 7 + offset) % 11) - 5
    const b = ((i * 5 + offset) % 13) * 0.5
    const c = ((i * 3 + offset) % 7) * 10
    x.push([a, b, c])
    y.push([a + b - c / 10, a * 0.5 - b])
  }
  return { x, y }
}

if (existsSync(blobFile) || existsSync(expectedFile)) {
  console.error('golden-v1 files exist and must never change; delete nothing, write nothing')
  process.exit(1)
}

const net = await Network.create(spec)
const first = data(40, 0)
net.train(first.x, first.y, { epochs: 30, batchSize: 8 })
const second = data(16, 3)
net.train(second.x, second.y, { epochs: 10, batchSize: 5, shuffle: false })

const x = data(8, 100).x
const expected = {
  note: 'written once by scripts/make-golden.ts; golden-v1.edgeprop must predict exactly this',
  spec: net.spec,
  version: net.version,
  stats: net.stats,
  x,
  prediction: net.predict(x),
}
writeFileSync(blobFile, net.toBytes())
writeFileSync(expectedFile, `${JSON.stringify(expected, null, 2)}\n`)
console.log(`wrote ${blobFile.pathname} and ${expectedFile.pathname}`)
