/**
 * edgeprop as a user calls it: Network.create, then net.train (one call per
 * epoch, rows in order) and net.predict, with every check and copy those
 * calls make. The matrix product is the raw kernel core.wasm exports.
 */
import { readFileSync } from 'node:fs'
import { Network, loadCore } from '../../src/core/index.ts'
import type { CoreExports } from '../../src/core/core-abi.ts'
import { outputsOf, type BenchNetwork, type Dataset } from '../tasks.ts'
import { fillSigned, matmulFlops, type BenchSystem, type Work } from './work.ts'

const CORE_URL = new URL('../../build/core.wasm', import.meta.url)

// the library's spec for a benchmark network, trained by plain SGD
function specOf(network: BenchNetwork) {
  return {
    kind: 'mlp' as const,
    inputs: network.inputs,
    layers: network.layers,
    loss: network.loss,
    optimizer: { name: 'sgd' as const, learningRate: network.learningRate },
    inputScaling: 'none' as const,
    seed: 1,
  }
}

// the data set as the rows a caller would pass: one Float32Array per row
function rowsOf(data: Dataset, count = data.rows): Float32Array[] {
  const rows: Float32Array[] = []
  for (let r = 0; r < count; r++) {
    const at = (r % data.rows) * data.inputs
    rows.push(data.features.subarray(at, at + data.inputs))
  }
  return rows
}

async function train(network: BenchNetwork, data: Dataset): Promise<Work> {
  const net = await Network.create(specOf(network))
  const x = rowsOf(data)
  // classes for softmax outputs; the 0/1 target itself for one sigmoid
  const y = outputsOf(network) === 1 ? Array.from(data.targets) : Array.from(data.classes)
  const options = { epochs: 1, batchSize: network.batch, shuffle: false }
  return { run: () => void net.train(x, y, options), units: data.rows }
}

async function predict(network: BenchNetwork, data: Dataset, batch: number): Promise<Work> {
  const net = await Network.create(specOf(network))
  const rows = rowsOf(data, batch)
  const x = batch === 1 ? rows[0] : rows
  return { run: () => void net.predict(x), units: batch }
}

async function instance(): Promise<CoreExports> {
  const module = await loadCore()
  return new WebAssembly.Instance(module, {}).exports as unknown as CoreExports
}

async function matmul(size: number): Promise<Work> {
  const core = await instance()
  const bytes = size * size * 4
  const a = core.scratch(3 * bytes)
  if (a === 0) throw new Error(`core.wasm could not give ${3 * bytes} bytes of scratch`)
  const inputs = new Float32Array(core.memory.buffer, a, 2 * size * size)
  fillSigned(inputs, size)
  const run = () => core.matmul(size, size, size, a, a + bytes, a + 2 * bytes)
  return { run, units: matmulFlops(size) }
}

// an empty module: compiling it first sets up the engine's wasm support,
// a once-per-process cost that is not core.wasm's
const EMPTY_MODULE = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])

// compiles and instantiates core.wasm from its bytes, the first time in
// this process, then instantiates the compiled module again a few times
async function loadTimes(): Promise<Record<string, number>> {
  const bytes = readFileSync(CORE_URL)
  let start = performance.now()
  await WebAssembly.compile(EMPTY_MODULE)
  const engineMs = performance.now() - start
  start = performance.now()
  const module = await WebAssembly.compile(bytes)
  const compileMs = performance.now() - start
  start = performance.now()
  new WebAssembly.Instance(module, {})
  const firstInstantiateMs = performance.now() - start
  const times: number[] = []
  for (let i = 0; i < 20; i++) {
    start = performance.now()
    await WebAssembly.instantiate(module, {})
    times.push(performance.now() - start)
  }
  times.sort((p, q) => p - q)
  return {
    coreBytes: bytes.length,
    engineMs,
    compileMs,
    firstInstantiateMs,
    instantiateMedianMs: times[times.length >> 1],
  }
}

/** Runs every task through the edgeprop library. */
export const edgeprop: BenchSystem = {
  train,
  predict,
  matmul,
  describe: loadTimes,
}
