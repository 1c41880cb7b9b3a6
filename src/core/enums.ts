/**
 * Codes that cross the boundary into build/core.wasm. They mirror
 * assembly/enums.ts; test/core/enums.test.ts checks the two agree.
 */

/** Activation functions, by the name a spec uses. */
export const Activation = {
  linear: 0,
  heaviside: 1,
  sign: 2,
  sigmoid: 3,
  tanh: 4,
  relu: 5,
  'leaky-relu': 6,
  softmax: 7,
} as const

/** Loss functions, by the name a spec uses. */
export const Loss = {
  mse: 0,
  'binary-cross-entropy': 1,
  'cross-entropy': 2,
} as const

/** Optimizers, by the name a spec uses. */
export const Optimizer = {
  sgd: 0,
  momentum: 1,
  adam: 2,
} as const

/** What a fallible export returns. */
export const Status = {
  ok: 0,
  nonFinite: 1,
  outOfMemory: 2,
  badArgument: 3,
  notCommitted: 4,
} as const

export type ActivationName = keyof typeof Activation
export type LossName = keyof typeof Loss
export type OptimizerName = keyof typeof Optimizer
