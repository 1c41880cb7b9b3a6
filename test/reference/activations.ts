/**
 * Activation functions φ and their derivatives φ', in plain f64.
 *
 * The definitions are the fixed ones of issue 2: heaviside(0) = 1,
 * sign(0) = 0, relu'(z) = 0 for z ≤ 0, leaky-relu slope `alpha`, softmax per
 * row with the row maximum subtracted. Step functions have no derivative.
 */
import type { ActivationName } from '../../src/core/enums.ts'

/** Returns φ(z) for one value of an elementwise activation. */
export function activateValue(name: ActivationName, z: number, alpha: number): number {
  switch (name) {
    case 'linear':
      return z
    case 'heaviside':
      return z >= 0 ? 1 : 0
    case 'sign':
      return z > 0 ? 1 : z < 0 ? -1 : 0
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z))
    case 'tanh':
      return Math.tanh(z)
    case 'relu':
      return z > 0 ? z : 0
    case 'leaky-relu':
      return z > 0 ? z : alpha * z
    case 'softmax':
      throw new Error('softmax needs a whole row: call activateRow')
  }
}

/** Returns φ applied to one row of pre-activations z. */
export function activateRow(name: ActivationName, z: number[], alpha: number): number[] {
  if (name !== 'softmax') return z.map((value) => activateValue(name, value, alpha))
  const max = Math.max(...z)
  const exps = z.map((value) => Math.exp(value - max))
  const total = exps.reduce((sum, value) => sum + value, 0)
  return exps.map((value) => value / total)
}

/** Returns φ'(z) for an elementwise activation, given z and a = φ(z). */
export function derivative(
  name: ActivationName,
  z: number,
  a: number,
  alpha: number,
): number {
  switch (name) {
    case 'linear':
      return 1
    case 'sigmoid':
      return a * (1 - a)
    case 'tanh':
      return 1 - a * a
    case 'relu':
      return z > 0 ? 1 : 0
    case 'leaky-relu':
      return z > 0 ? 1 : alpha
    default:
      throw new Error(`${name} has no elementwise derivative in the reference`)
  }
}

/** Returns the softmax Jacobian times g for one row: a_j (g_j − Σ_k g_k a_k). */
export function softmaxBackward(a: number[], g: number[]): number[] {
  let dot = 0
  for (let k = 0; k < a.length; k++) dot += g[k] * a[k]
  return a.map((aj, j) => aj * (g[j] - dot))
}

/** Returns upstream ⊙ φ'(z) for one row, or the Jacobian product for softmax. */
export function activationBackwardRow(
  name: ActivationName,
  z: number[],
  a: number[],
  upstream: number[],
  alpha: number,
): number[] {
  if (name === 'softmax') return softmaxBackward(a, upstream)
  return upstream.map((g, j) => g * derivative(name, z[j], a[j], alpha))
}
