/**
 * TensorFlow.js on its wasm or cpu backend, by its lowest-overhead training
 * path: tf.variable weights, optimizer.minimize on batches made once, and
 * the loss read back (dataSync) once per epoch. The wasm backend's files
 * come from its npm package's dist/ folder; nothing is fetched.
 */
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import type { BenchNetwork, Dataset } from '../tasks.ts'
import { fillSigned, matmulFlops, type BenchSystem, type Work } from './work.ts'

interface Layer {
  weights: tf.Variable
  biases: tf.Variable
  activation: string
}

/** Selects a backend ('wasm' or 'cpu') and waits until it is ready. */
export async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  if (name === 'wasm') {
    const require = createRequire(import.meta.url)
    const wasm = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')
    setWasmPaths(`${dirname(wasm)}/`)
  }
  if (!(await tf.setBackend(name))) {
    throw new Error(`TensorFlow.js could not start its '${name}' backend; ` +
      'check that @tensorflow/tfjs-backend-wasm is installed (npm install)')
  }
  await tf.ready()
}

// Glorot or He uniform weights and zero biases, as edgeprop draws them
function buildLayers(network: BenchNetwork): Layer[] {
  let fanIn = network.inputs
  return network.layers.map(({ units, activation }, index) => {
    const limit = activation === 'relu'
      ? Math.sqrt(6 / fanIn)
      : Math.sqrt(6 / (fanIn + units))
    const values = fillSigned(new Float32Array(fanIn * units), index + 1)
    const weights = tf.variable(tf.mul(tf.tensor2d(values, [fanIn, units]), limit))
    const biases = tf.variable(tf.zeros([units]))
    fanIn = units
    return { weights, biases, activation }
  })
}

// z of the output layer, every hidden layer activated
function logits(layers: Layer[], x: tf.Tensor2D): tf.Tensor2D {
  let a = x
  layers.forEach((layer, index) => {
    const z = tf.add(tf.matMul(a, layer.weights), layer.biases) as tf.Tensor2D
    const hidden = index < layers.length - 1
    a = hidden ? activate(layer.activation, z) : z
  })
  return a
}

function activate(activation: string, z: tf.Tensor2D): tf.Tensor2D {
  if (activation === 'relu') return tf.relu(z)
  if (activation === 'sigmoid') return tf.sigmoid(z)
  return tf.softmax(z)
}

// mse is (1/2m)·Σ(a − y)²; cross-entropy is softmax's, fused and averaged
function lossOf(network: BenchNetwork, layers: Layer[], x: tf.Tensor2D, y: tf.Tensor2D) {
  const z = logits(layers, x)
  if (network.loss === 'cross-entropy') return tf.losses.softmaxCrossEntropy(y, z)
  const a = activate(network.layers[network.layers.length - 1].activation, z)
  return tf.mul(tf.sum(tf.squaredDifference(a, y)), 1 / (2 * x.shape[0]))
}

// the data set cut into batch tensors once, outside the clock
function batchesOf(data: Dataset, size: number): [tf.Tensor2D, tf.Tensor2D][] {
  const batches: [tf.Tensor2D, tf.Tensor2D][] = []
  for (let start = 0; start < data.rows; start += size) {
    const rows = Math.min(size, data.rows - start)
    const x = data.features.slice(start * data.inputs, (start + rows) * data.inputs)
    const y = data.targets.slice(start * data.outputs, (start + rows) * data.outputs)
    batches.push([tf.tensor2d(x, [rows, data.inputs]), tf.tensor2d(y, [rows, data.outputs])])
  }
  return batches
}

async function train(network: BenchNetwork, data: Dataset): Promise<Work> {
  const layers = buildLayers(network)
  const optimizer = tf.train.sgd(network.learningRate)
  const batches = batchesOf(data, network.batch)
  const run = () => {
    batches.forEach(([x, y], index) => {
      const last = index === batches.length - 1
      const cost = optimizer.minimize(() => lossOf(network, layers, x, y) as tf.Scalar, last)
      if (cost) {
        cost.dataSync()
        cost.dispose()
      }
    })
  }
  const dispose = () => tf.disposeVariables()
  return { run, units: data.rows, dispose }
}

async function predict(network: BenchNetwork, data: Dataset, batch: number): Promise<Work> {
  const layers = buildLayers(network)
  const rows = Math.min(batch, data.rows)
  const x = new Float32Array(batch * data.inputs)
  for (let r = 0; r < batch; r++) {
    const from = (r % rows) * data.inputs
    x.set(data.features.subarray(from, from + data.inputs), r * data.inputs)
  }
  const output = network.layers[network.layers.length - 1].activation
  const run = () => {
    const out = tf.tidy(() => activate(output, logits(layers, tf.tensor2d(x, [batch, data.inputs]))))
    out.dataSync()
    out.dispose()
  }
  return { run, units: batch, dispose: () => tf.disposeVariables() }
}

async function matmul(size: number): Promise<Work> {
  const values = fillSigned(new Float32Array(2 * size * size), size)
  const a = tf.tensor2d(values.subarray(0, size * size), [size, size])
  const b = tf.tensor2d(values.subarray(size * size), [size, size])
  const run = () => tf.matMul(a, b).dispose()
  return { run, units: matmulFlops(size), dispose: () => tf.dispose([a, b]) }
}

async function describe(): Promise<Record<string, unknown>> {
  const facts: Record<string, unknown> = { version: tf.version.tfjs, backend: tf.getBackend() }
  if (tf.getBackend() === 'wasm') {
    facts.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')
    facts.threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')
  }
  return facts
}

/** Runs every task through TensorFlow.js on the backend chosen first. */
export const tfjs: BenchSystem = { train, predict, matmul, describe }
