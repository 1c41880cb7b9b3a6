// Optimizer steps over the parameters θ with gradients g, learning rate η:
//   sgd       θ ← θ − η g
//   momentum  v ← μ v − η g; θ ← θ + v  (Nesterov: θ ← θ + μ v − η g)
//   adam      t ← t + 1; m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²;
//             θ ← θ − η m̂ / (√v̂ + ε),
//             m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t)
// Before the step, L2 adds l2·W to the weight gradients (not biases),
// then clipping scales every gradient by clipNorm/‖g‖ when ‖g‖ exceeds
// clipNorm. Vector bodies and scalar tails do the same operations in the
// same order, so a value's bits do not depend on where it falls.

import {
  fanInOf, gradientsStart, layerCount, optimizerStart,
  parametersStart, parameterTotal, unitsOf, weightGradsOf, weightsOf,
} from './arena'
import { OPTIMIZER_ADAM, OPTIMIZER_MOMENTUM, OPTIMIZER_SGD } from './enums'

let kind: i32 = OPTIMIZER_SGD
let learningRate: f32 = 0.01
let momentum: f32 = 0.9
let nesterov: bool = false
let beta1: f64 = 0.9
let beta2: f64 = 0.999
// β1, 1 − β1, β2 and 1 − β2, rounded to f32 once per configure
let keep1: f32 = 0.9
let take1: f32 = 0.1
let keep2: f32 = 0.999
let take2: f32 = 0.001
let epsilon: f32 = 1e-8
let penalty: f32 = 0
let clipNorm: f64 = 0
let stepsTaken: f64 = 0

/** Stores the optimizer settings `train` uses. */
export function configure(
  optimizer: i32, rate: f64, mu: f64, useNesterov: bool,
  firstDecay: f64, secondDecay: f64, stability: f64, l2: f64, limit: f64,
): void {
  kind = optimizer
  learningRate = <f32>rate
  momentum = <f32>mu
  nesterov = useNesterov
  beta1 = firstDecay
  beta2 = secondDecay
  keep1 = <f32>firstDecay
  take1 = <f32>(1 - firstDecay)
  keep2 = <f32>secondDecay
  take2 = <f32>(1 - secondDecay)
  epsilon = <f32>stability
  penalty = <f32>l2
  clipNorm = limit
}

/** Tells whether the configured optimizer is a known one. */
export function isConfigured(): bool {
  return kind >= OPTIMIZER_SGD && kind <= OPTIMIZER_ADAM
}

/** Counts optimizer-state values: 0 (sgd), P (momentum), 2P (adam). */
export function stateLength(): i32 {
  if (kind == OPTIMIZER_MOMENTUM) return parameterTotal
  if (kind == OPTIMIZER_ADAM) return parameterTotal * 2
  return 0
}

/** Reads the steps taken (Adam's t). */
export function steps(): f64 { return stepsTaken }

/** Overwrites the steps taken, as after loading a saved model. */
export function setSteps(value: f64): void { stepsTaken = value }

/** Applies L2, clipping, then one step of the configured optimizer. */
export function step(): void {
  if (penalty != 0) addPenalty()
  if (clipNorm > 0) clip()
  stepsTaken += 1
  if (kind == OPTIMIZER_SGD) stepSgd(parameterTotal)
  else if (kind == OPTIMIZER_MOMENTUM) stepMomentum(parameterTotal)
  else if (kind == OPTIMIZER_ADAM) stepAdam(parameterTotal)
}

// g_W += l2·W, layer by layer; biases are left alone
function addPenalty(): void {
  const l2 = f32x4.splat(penalty)
  for (let l = 0; l < layerCount; l++) {
    const count = fanInOf(l) * unitsOf(l)
    const weights = weightsOf(l)
    const grads = weightGradsOf(l)
    let i = 0
    for (; i + 4 <= count; i += 4) {
      const at = <usize>i << 2
      const decay = f32x4.mul(l2, v128.load(weights + at))
      v128.store(grads + at, f32x4.add(v128.load(grads + at), decay))
    }
    for (; i < count; i++) {
      const at = <usize>i << 2
      const decay = penalty * load<f32>(weights + at)
      store<f32>(grads + at, load<f32>(grads + at) + decay)
    }
  }
}

// g ← g · clipNorm/‖g‖ when the global norm ‖g‖ exceeds clipNorm
function clip(): void {
  let squares: f64 = 0
  for (let i = 0; i < parameterTotal; i++) {
    const value = <f64>load<f32>(gradientsStart + (<usize>i << 2))
    squares += value * value
  }
  const norm = Math.sqrt(squares)
  if (!(norm > clipNorm)) return
  const scale = <f32>(clipNorm / norm)
  for (let i = 0; i < parameterTotal; i++) {
    const at = gradientsStart + (<usize>i << 2)
    store<f32>(at, load<f32>(at) * scale)
  }
}

function stepSgd(count: i32): void {
  const rate = f32x4.splat(learningRate)
  let i = 0
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2
    const change = f32x4.mul(rate, v128.load(gradientsStart + at))
    const weight = v128.load(parametersStart + at)
    v128.store(parametersStart + at, f32x4.sub(weight, change))
  }
  for (; i < count; i++) {
    const at = <usize>i << 2
    const change = learningRate * load<f32>(gradientsStart + at)
    store<f32>(parametersStart + at, load<f32>(parametersStart + at) - change)
  }
}

function stepMomentum(count: i32): void {
  const rate = f32x4.splat(learningRate)
  const mu = f32x4.splat(momentum)
  let i = 0
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2
    const scaled = f32x4.mul(rate, v128.load(gradientsStart + at))
    const kept = f32x4.mul(mu, v128.load(optimizerStart + at))
    const velocity = f32x4.sub(kept, scaled)
    v128.store(optimizerStart + at, velocity)
    const change = nesterov
      ? f32x4.sub(f32x4.mul(mu, velocity), scaled)
      : velocity
    const weight = v128.load(parametersStart + at)
    v128.store(parametersStart + at, f32x4.add(weight, change))
  }
  for (; i < count; i++) {
    const at = <usize>i << 2
    const scaled = learningRate * load<f32>(gradientsStart + at)
    const velocity = momentum * load<f32>(optimizerStart + at) - scaled
    store<f32>(optimizerStart + at, velocity)
    const change = nesterov ? momentum * velocity - scaled : velocity
    store<f32>(parametersStart + at, load<f32>(parametersStart + at) + change)
  }
}

function stepAdam(count: i32): void {
  const correct1 = <f32>(1 - Math.pow(beta1, stepsTaken))
  const correct2 = <f32>(1 - Math.pow(beta2, stepsTaken))
  const seconds = optimizerStart + (<usize>count << 2)
  let i = 0
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2
    const g = v128.load(gradientsStart + at)
    const first = f32x4.add(
      f32x4.mul(f32x4.splat(keep1), v128.load(optimizerStart + at)),
      f32x4.mul(f32x4.splat(take1), g),
    )
    const second = f32x4.add(
      f32x4.mul(f32x4.splat(keep2), v128.load(seconds + at)),
      f32x4.mul(f32x4.splat(take2), f32x4.mul(g, g)),
    )
    v128.store(optimizerStart + at, first)
    v128.store(seconds + at, second)
    const root = f32x4.sqrt(f32x4.div(second, f32x4.splat(correct2)))
    const ratio = f32x4.div(
      f32x4.div(first, f32x4.splat(correct1)),
      f32x4.add(root, f32x4.splat(epsilon)),
    )
    const change = f32x4.mul(f32x4.splat(learningRate), ratio)
    const weight = v128.load(parametersStart + at)
    v128.store(parametersStart + at, f32x4.sub(weight, change))
  }
  for (; i < count; i++) {
    const at = <usize>i << 2
    const g = load<f32>(gradientsStart + at)
    const first = keep1 * load<f32>(optimizerStart + at) + take1 * g
    const second = keep2 * load<f32>(seconds + at) + take2 * (g * g)
    store<f32>(optimizerStart + at, first)
    store<f32>(seconds + at, second)
    const root = Mathf.sqrt(second / correct2)
    const change = learningRate * ((first / correct1) / (root + epsilon))
    store<f32>(parametersStart + at, load<f32>(parametersStart + at) - change)
  }
}
