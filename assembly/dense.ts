// Dense layers, Z = X·W + b, and their backward products, in pairs.
// W has one row per input and one column per unit.

import { multiply } from './matmul'

const TRANSPOSE_BLOCK: i32 = 16

/**
 * Writes out = aᵀ.
 * - a: rows×cols row-major; out: cols×rows row-major, only written
 * - a and out must not alias
 */
export function transpose(rows: i32, cols: i32, a: usize, out: usize): void {
  for (let i0 = 0; i0 < rows; i0 += TRANSPOSE_BLOCK) {
    const iEnd = min(rows, i0 + TRANSPOSE_BLOCK)
    for (let j0 = 0; j0 < cols; j0 += TRANSPOSE_BLOCK) {
      const jEnd = min(cols, j0 + TRANSPOSE_BLOCK)
      for (let i = i0; i < iEnd; i++) {
        for (let j = j0; j < jEnd; j++) {
          const value = load<f32>(a + (<usize>(i * cols + j) << 2))
          store<f32>(out + (<usize>(j * rows + i) << 2), value)
        }
      }
    }
  }
}

/** Adds b to every row of z: z rows×units (read and written), b units. */
export function addBias(rows: i32, units: i32, biases: usize, z: usize): void {
  const wide = units & ~3
  for (let i = 0; i < rows; i++) {
    let j = 0
    for (; j < wide; j += 4) {
      const at = z + (<usize>j << 2)
      const bias = v128.load(biases + (<usize>j << 2))
      v128.store(at, f32x4.add(v128.load(at), bias))
    }
    for (; j < units; j++) {
      const at = z + (<usize>j << 2)
      store<f32>(at, load<f32>(at) + load<f32>(biases + (<usize>j << 2)))
    }
    z += <usize>units << 2
  }
}

/** Writes out = Σ_rows δ: δ rows×units; out units, only written. */
export function addBiasBackward(
  rows: i32, units: i32, delta: usize, out: usize,
): void {
  const wide = units & ~3
  // a loop, not memory.fill, which calls out of wasm for a few values
  for (let j = 0; j < units; j++) store<f32>(out + (<usize>j << 2), 0)
  for (let i = 0; i < rows; i++) {
    let j = 0
    for (; j < wide; j += 4) {
      const at = out + (<usize>j << 2)
      const error = v128.load(delta + (<usize>j << 2))
      v128.store(at, f32x4.add(v128.load(at), error))
    }
    for (; j < units; j++) {
      const at = out + (<usize>j << 2)
      store<f32>(at, load<f32>(at) + load<f32>(delta + (<usize>j << 2)))
    }
    delta += <usize>units << 2
  }
}

/**
 * Writes z = x·W + b, summing over inputs in order, then adding the bias.
 * - x: rows×inputs; W: inputs×units; b: units; z: rows×units, only written
 * - rowPanels: W's row panels when they are current, else 0 (panels.ts)
 */
export function denseForward(
  rows: i32, inputs: i32, units: i32,
  x: usize, weights: usize, biases: usize,
  z: usize,
  rowPanels: usize = 0,
): void {
  multiply(rows, inputs, units, x, inputs, 1, weights, units, 1, z, rowPanels)
  addBias(rows, units, biases, z)
}

/**
 * Writes ∂C/∂W = xᵀ·δ and ∂C/∂b = Σ_rows δ, and, when `inputGrads` is
 * not 0, δ·Wᵀ (the error handed to the layer below). All outputs are
 * only written, never accumulated into.
 * - x: rows×inputs; W: inputs×units; δ: rows×units
 * - weightGrads: inputs×units; biasGrads: units; inputGrads: rows×inputs
 */
export function denseBackward(
  rows: i32, inputs: i32, units: i32,
  x: usize, weights: usize, delta: usize,
  weightGrads: usize, biasGrads: usize, inputGrads: usize,
): void {
  // xᵀ is x read with its strides swapped
  multiply(inputs, rows, units, x, 1, inputs, delta, units, 1, weightGrads)
  addBiasBackward(rows, units, delta, biasGrads)
  if (inputGrads != 0) {
    // Wᵀ is W read with its strides swapped
    multiply(
      rows, units, inputs, delta, units, 1, weights, 1, units, inputGrads,
    )
  }
}
