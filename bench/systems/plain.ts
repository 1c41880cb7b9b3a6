/**
 * The plain TypeScript baseline: PlainMlp for the networks and the
 * textbook triple loop (row, inner, column order) for the matrix product.
 */
import type { BenchNetwork, Dataset } from '../tasks.ts'
import { PlainMlp } from './plain-mlp.ts'
import { fillSigned, matmulFlops, type BenchSystem, type Work } from './work.ts'

async function train(network: BenchNetwork, data: Dataset): Promise<Work> {
  const net = new PlainMlp(network, network.batch)
  const { rows, inputs, outputs } = data
  const run = () => {
    for (let start = 0; start < rows; start += network.batch) {
      const count = Math.min(network.batch, rows - start)
      const x = data.features.subarray(start * inputs, (start + count) * inputs)
      const y = data.targets.subarray(start * outputs, (start + count) * outputs)
      net.step(x, y, count)
    }
  }
  return { run, units: rows }
}

async function predict(network: BenchNetwork, data: Dataset, batch: number): Promise<Work> {
  const net = new PlainMlp(network, batch)
  const x = new Float32Array(batch * data.inputs)
  for (let r = 0; r < batch; r++) {
    const from = (r % data.rows) * data.inputs
    x.set(data.features.subarray(from, from + data.inputs), r * data.inputs)
  }
  // a copy of the outputs, as a caller would keep them
  return { run: () => void net.forward(x, batch).slice(0, batch * data.outputs), units: batch }
}

/** Writes out = a·b for size×size row-major matrices, row by row. */
export function multiplyPlain(
  size: number, a: Float32Array, b: Float32Array, out: Float32Array,
): void {
  out.fill(0)
  for (let i = 0; i < size; i++) {
    const row = i * size
    for (let p = 0; p < size; p++) {
      const value = a[row + p]
      const from = p * size
      for (let j = 0; j < size; j++) out[row + j] += value * b[from + j]
    }
  }
}

async function matmul(size: number): Promise<Work> {
  const a = fillSigned(new Float32Array(size * size), size)
  const b = fillSigned(new Float32Array(size * size), size + 1)
  const out = new Float32Array(size * size)
  return { run: () => multiplyPlain(size, a, b, out), units: matmulFlops(size) }
}

/** Runs every task through plain TypeScript loops. */
export const plain: BenchSystem = {
  train,
  predict,
  matmul,
  describe: async () => ({ node: process.version }),
}
