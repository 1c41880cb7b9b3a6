// Activation functions φ and their backward steps, in pairs.
// Forward: a = φ(z). Backward: out = upstream ⊙ φ'(z), except softmax,
// whose backward is the Jacobian-vector product a_j (g_j − Σ_k g_k a_k).
// Step functions have no gradient; their backward writes zeros.

import {
  ACTIVATION_HEAVISIDE, ACTIVATION_LEAKY_RELU, ACTIVATION_LINEAR,
  ACTIVATION_RELU, ACTIVATION_SIGMOID, ACTIVATION_SIGN, ACTIVATION_SOFTMAX,
  ACTIVATION_TANH,
} from './enums'
import { exp4 } from './exp'

/** Tells whether a code names a known activation. */
export function isActivation(kind: i32): bool {
  return kind >= ACTIVATION_LINEAR && kind <= ACTIVATION_SOFTMAX
}

/** Tells whether an activation is a step function, with no gradient. */
export function isStep(kind: i32): bool {
  return kind == ACTIVATION_HEAVISIDE || kind == ACTIVATION_SIGN
}

/**
 * Writes a = φ(z) for rows×width values (softmax: row by row).
 * z and out may alias; alpha is the leaky-relu slope.
 */
export function activate(
  kind: i32, rows: i32, width: i32, z: usize, out: usize, alpha: f32,
): void {
  const count = rows * width
  if (kind == ACTIVATION_LINEAR) memory.copy(out, z, <usize>count << 2)
  else if (kind == ACTIVATION_HEAVISIDE) heaviside(count, z, out)
  else if (kind == ACTIVATION_SIGN) sign(count, z, out)
  else if (kind == ACTIVATION_SIGMOID) sigmoid(count, z, out)
  else if (kind == ACTIVATION_TANH) tanh(count, z, out)
  else if (kind == ACTIVATION_RELU) relu(count, z, out, 0, false)
  else if (kind == ACTIVATION_LEAKY_RELU) relu(count, z, out, alpha, true)
  else if (kind == ACTIVATION_SOFTMAX) softmax(rows, width, z, out)
}

/**
 * Writes out = upstream ⊙ φ'(z) for rows×width values (softmax: the
 * Jacobian-vector product per row). out may alias upstream.
 */
export function activateBackward(
  kind: i32, rows: i32, width: i32,
  z: usize, a: usize, upstream: usize, out: usize, alpha: f32,
): void {
  const count = rows * width
  const bytes = <usize>count << 2
  if (kind == ACTIVATION_LINEAR) memory.copy(out, upstream, bytes)
  else if (isStep(kind)) memory.fill(out, 0, bytes)
  else if (kind == ACTIVATION_SIGMOID) sigmoidBackward(count, a, upstream, out)
  else if (kind == ACTIVATION_TANH) tanhBackward(count, a, upstream, out)
  else if (kind == ACTIVATION_RELU) reluBackward(count, z, upstream, out, 0)
  else if (kind == ACTIVATION_LEAKY_RELU) {
    reluBackward(count, z, upstream, out, alpha)
  } else if (kind == ACTIVATION_SOFTMAX) {
    softmaxBackward(rows, width, a, upstream, out)
  }
}

// heaviside(z) = z >= 0 ? 1 : 0
function heaviside(count: i32, z: usize, out: usize): void {
  const one = f32x4.splat(1)
  const zero = f32x4.splat(0)
  let i = 0
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2
    const above = f32x4.ge(v128.load(z + at), zero)
    v128.store(out + at, v128.bitselect(one, zero, above))
  }
  for (; i < count; i++) {
    const at = <usize>i << 2
    store<f32>(out + at, load<f32>(z + at) >= 0 ? 1 : 0)
  }
}

// sign(z) = z > 0 ? 1 : z < 0 ? -1 : 0
function sign(count: i32, z: usize, out: usize): void {
  const one = f32x4.splat(1)
  const minusOne = f32x4.splat(-1)
  const zero = f32x4.splat(0)
  let i = 0
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2
    const value = v128.load(z + at)
    const negative = v128.bitselect(minusOne, zero, f32x4.lt(value, zero))
    v128.store(out + at, v128.bitselect(one, negative, f32x4.gt(value, zero)))
  }
  for (; i < count; i++) {
    const at = <usize>i << 2
    const value = load<f32>(z + at)
    store<f32>(out + at, value > 0 ? 1 : value < 0 ? -1 : 0)
  }
}

// relu(z) = z > 0 ? z : 0; leaky-relu(z) = z > 0 ? z : alpha·z
function relu(
  count: i32, z: usize, out: usize, alpha: f32, leaky: bool,
): void {
  const zero = f32x4.splat(0)
  const slope = f32x4.splat(alpha)
  let i = 0
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2
    const value = v128.load(z + at)
    const below = leaky ? f32x4.mul(value, slope) : zero
    v128.store(out + at, v128.bitselect(value, below, f32x4.gt(value, zero)))
  }
  for (; i < count; i++) {
    const at = <usize>i << 2
    const value = load<f32>(z + at)
    store<f32>(out + at, value > 0 ? value : leaky ? alpha * value : 0)
  }
}

// φ'(z) = z > 0 ? 1 : alpha (alpha = 0 for relu)
function reluBackward(
  count: i32, z: usize, upstream: usize, out: usize, alpha: f32,
): void {
  const zero = f32x4.splat(0)
  const slope = f32x4.splat(alpha)
  let i = 0
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2
    const gradient = v128.load(upstream + at)
    const below = f32x4.mul(gradient, slope)
    const above = f32x4.gt(v128.load(z + at), zero)
    v128.store(out + at, v128.bitselect(gradient, below, above))
  }
  for (; i < count; i++) {
    const at = <usize>i << 2
    const gradient = load<f32>(upstream + at)
    store<f32>(out + at, load<f32>(z + at) > 0 ? gradient : gradient * alpha)
  }
}

// sigmoid(z) = 1 / (1 + e^−z); exp4 has Mathf.exp's bits (exp.ts)
function sigmoid(count: i32, z: usize, out: usize): void {
  const one = f32x4.splat(1)
  let i = 0
  for (; i + 4 <= count; i += 4) {
    const e = exp4(f32x4.neg(v128.load(z + (<usize>i << 2))))
    v128.store(out + (<usize>i << 2), f32x4.div(one, f32x4.add(one, e)))
  }
  for (; i < count; i++) {
    const at = <usize>i << 2
    store<f32>(out + at, 1 / (1 + Mathf.exp(-load<f32>(z + at))))
  }
}

// sigmoid'(z) = a (1 − a)
function sigmoidBackward(
  count: i32, a: usize, upstream: usize, out: usize,
): void {
  const one = f32x4.splat(1)
  let i = 0
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2
    const value = v128.load(a + at)
    const slope = f32x4.mul(value, f32x4.sub(one, value))
    v128.store(out + at, f32x4.mul(v128.load(upstream + at), slope))
  }
  for (; i < count; i++) {
    const at = <usize>i << 2
    const value = load<f32>(a + at)
    store<f32>(out + at, load<f32>(upstream + at) * (value * (1 - value)))
  }
}

function tanh(count: i32, z: usize, out: usize): void {
  for (let i = 0; i < count; i++) {
    const at = <usize>i << 2
    store<f32>(out + at, Mathf.tanh(load<f32>(z + at)))
  }
}

// tanh'(z) = 1 − a²
function tanhBackward(
  count: i32, a: usize, upstream: usize, out: usize,
): void {
  const one = f32x4.splat(1)
  let i = 0
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2
    const value = v128.load(a + at)
    const slope = f32x4.sub(one, f32x4.mul(value, value))
    v128.store(out + at, f32x4.mul(v128.load(upstream + at), slope))
  }
  for (; i < count; i++) {
    const at = <usize>i << 2
    const value = load<f32>(a + at)
    store<f32>(out + at, load<f32>(upstream + at) * (1 - value * value))
  }
}

// softmax(z)_j = e^(z_j − max z) / Σ_k e^(z_k − max z), row by row.
// The largest logits count e^0 = 1 directly, so a row holding ±Infinity
// splits its mass among its largest values instead of computing ∞ − ∞.
function softmax(rows: i32, width: i32, z: usize, out: usize): void {
  const rowBytes = <usize>width << 2
  for (let i = 0; i < rows; i++) {
    let largest = -Infinity as f32
    for (let j = 0; j < width; j++) {
      largest = max(largest, load<f32>(z + (<usize>j << 2)))
    }
    softmaxTerms(width, z, largest, out)
    // the sum runs in order, so its bits do not depend on the lanes
    let sum: f32 = 0
    for (let j = 0; j < width; j++) sum += load<f32>(out + (<usize>j << 2))
    const total = f32x4.splat(sum)
    let j = 0
    for (; j + 4 <= width; j += 4) {
      const at = out + (<usize>j << 2)
      v128.store(at, f32x4.div(v128.load(at), total))
    }
    for (; j < width; j++) {
      const at = out + (<usize>j << 2)
      store<f32>(at, load<f32>(at) / sum)
    }
    z += rowBytes
    out += rowBytes
  }
}

// writes e^(z_j − largest) for one row, the largest logits as 1
function softmaxTerms(width: i32, z: usize, largest: f32, out: usize): void {
  const top = f32x4.splat(largest)
  const one = f32x4.splat(1)
  let j = 0
  for (; j + 4 <= width; j += 4) {
    const at = <usize>j << 2
    const logit = v128.load(z + at)
    const e = exp4(f32x4.sub(logit, top))
    v128.store(out + at, v128.bitselect(one, e, f32x4.eq(logit, top)))
  }
  for (; j < width; j++) {
    const at = <usize>j << 2
    const logit = load<f32>(z + at)
    store<f32>(out + at, logit == largest ? 1 : Mathf.exp(logit - largest))
  }
}

// out_j = a_j (g_j − Σ_k g_k a_k), row by row
function softmaxBackward(
  rows: i32, width: i32, a: usize, upstream: usize, out: usize,
): void {
  const rowBytes = <usize>width << 2
  for (let i = 0; i < rows; i++) {
    let dot: f32 = 0
    for (let j = 0; j < width; j++) {
      const at = <usize>j << 2
      dot += load<f32>(upstream + at) * load<f32>(a + at)
    }
    for (let j = 0; j < width; j++) {
      const at = <usize>j << 2
      store<f32>(out + at, load<f32>(a + at) * (load<f32>(upstream + at) - dot))
    }
    a += rowBytes
    upstream += rowBytes
    out += rowBytes
  }
}
