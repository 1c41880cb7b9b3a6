// The network's definition, initialisation and state, as JS sees them.

import {
  MAX_LAYERS, activationOf, appendLayer, backupStart, committed, fanInOf,
  gradientsStart, inputCount, layerCount, layoutNetwork, optimizerStart,
  parametersStart, parameterTotal, reserveSampleRows, resetLayers,
  samplesInputs, samplesOutputs, samplesTargets, scalingStart, stateBytes,
  unitsOf, weightsOf,
} from './arena'
import { isActivation, isStep } from './activations'
import {
  ACTIVATION_LEAKY_RELU, ACTIVATION_RELU, STATUS_BAD_ARGUMENT,
  STATUS_NOT_COMMITTED, STATUS_OK,
} from './enums'
import { isLoss } from './losses'
import { staleRowPanels } from './panels'
import { configure, setSteps, stateLength, steps } from './optimizers'
import {
  fillUniform, generator, glorotLimit, heLimit, setGenerator,
} from './random'
import {
  scalingSamples, setScalingEnabled, setScalingSamples,
} from './scaling'

/** Holds the loss code of the network being defined. */
export let networkLoss: i32 = 0

/** Starts a new network description and forgets the previous one. */
export function defineNetwork(inputs: i32, loss: i32): i32 {
  resetLayers(0)
  if (inputs < 1 || !isLoss(loss)) return STATUS_BAD_ARGUMENT
  resetLayers(inputs)
  networkLoss = loss
  return STATUS_OK
}

/** Appends a dense layer; the last one added is the output layer. */
export function addLayer(units: i32, activation: i32, alpha: f64): i32 {
  if (inputCount < 1 || committed) return STATUS_BAD_ARGUMENT
  if (units < 1 || !isActivation(activation) || layerCount >= MAX_LAYERS) {
    return STATUS_BAD_ARGUMENT
  }
  appendLayer(units, activation, <f32>alpha)
  return STATUS_OK
}

/** Lays out the memory map for the layers added and zeroes all state. */
export function commitNetwork(): i32 {
  if (inputCount < 1 || layerCount < 1) return STATUS_BAD_ARGUMENT
  staleRowPanels()
  const status = layoutNetwork()
  if (status != STATUS_OK) return status
  memory.fill(parametersStart, 0, stateBytes)
  setSteps(0)
  setScalingSamples(0)
  return STATUS_OK
}

/** Sets the optimizer used by `train`; clipNorm ≤ 0 means no clipping. */
export function setOptimizer(
  kind: i32, learningRate: f64, momentum: f64, nesterov: i32,
  beta1: f64, beta2: f64, epsilon: f64, l2: f64, clipNorm: f64,
): void {
  configure(
    kind, learningRate, momentum, nesterov != 0,
    beta1, beta2, epsilon, l2, clipNorm,
  )
}

/** Turns input standardization on (1) or off (0). */
export function setScaling(enabled: i32): void {
  setScalingEnabled(enabled != 0)
}

/** Seeds the generator, draws every layer's weights and zeroes the rest. */
export function initialize(seed: u32): void {
  if (!committed) return
  staleRowPanels()
  memory.fill(parametersStart, 0, stateBytes)
  setGenerator(seed)
  for (let l = 0; l < layerCount; l++) {
    const activation = activationOf(l)
    if (isStep(activation)) continue
    const fanIn = fanInOf(l)
    const units = unitsOf(l)
    const limit = activation == ACTIVATION_RELU ||
      activation == ACTIVATION_LEAKY_RELU
      ? heLimit(fanIn)
      : glorotLimit(fanIn, units)
    fillUniform(weightsOf(l), fanIn * units, limit)
  }
  setSteps(0)
  setScalingSamples(0)
}

/** Makes room for `rows` samples, growing memory when needed. */
export function reserveSamples(rows: i32): i32 {
  if (!committed) return STATUS_NOT_COMMITTED
  return reserveSampleRows(rows)
}

/** Counts parameters: per layer, W (inputs×units) then b (units). */
export function parameterCount(): i32 {
  return committed ? parameterTotal : 0
}
/**
 * Points at the parameters. The caller may write them, so the row panels
 * go out of date: ask again before each write (panels.ts).
 */
export function parametersPointer(): usize {
  staleRowPanels()
  return committed ? parametersStart : 0
}
/** Points at ∂C/∂θ, laid out as the parameters. */
export function gradientsPointer(): usize {
  return committed ? gradientsStart : 0
}
/** Counts optimizer-state values: 0 (sgd), P (momentum), 2P (adam). */
export function optimizerStateLength(): i32 {
  return committed ? stateLength() : 0
}
/** Points at the optimizer state. */
export function optimizerStatePointer(): usize {
  return committed ? optimizerStart : 0
}
/** Returns the optimizer steps taken (Adam's t). */
export function optimizerSteps(): f64 {
  return steps()
}
/** Overwrites the optimizer steps taken. */
export function setOptimizerSteps(count: f64): void {
  setSteps(count)
}
/** Points at the running mean (inputs values) then variance (inputs values). */
export function scalingPointer(): usize {
  return committed ? scalingStart : 0
}
/** Returns how many samples the scaling statistics hold. */
export function scalingCount(): f64 {
  return scalingSamples()
}
/** Overwrites how many samples the scaling statistics hold. */
export function setScalingCount(count: f64): void {
  setScalingSamples(count)
}
/** Reads the generator state (JS reads it back with `>>> 0`). */
export function randomState(): u32 {
  return generator()
}
/** Overwrites the generator state. */
export function setRandomState(state: u32): void {
  setGenerator(state)
}
/** Points at the sample inputs: rows×inputs, raw. */
export function samplesInputsPointer(): usize {
  return committed ? samplesInputs : 0
}
/** Points at the sample targets: rows×outputs. */
export function samplesTargetsPointer(): usize {
  return committed ? samplesTargets : 0
}
/** Points at the outputs written by `predict`: rows×outputs. */
export function outputsPointer(): usize {
  return committed ? samplesOutputs : 0
}

// --- backup ------------------------------------------------------------------

let savedSteps: f64 = 0
let savedScalingCount: f64 = 0
let savedGenerator: u32 = 0

/** Copies the state region and its counters aside, before training. */
export function backupState(): void {
  memory.copy(backupStart, parametersStart, stateBytes)
  savedSteps = steps()
  savedScalingCount = scalingSamples()
  savedGenerator = generator()
}

/** Puts back what `backupState` copied aside. */
export function restoreState(): void {
  staleRowPanels()
  memory.copy(parametersStart, backupStart, stateBytes)
  setSteps(savedSteps)
  setScalingSamples(savedScalingCount)
  setGenerator(savedGenerator)
}

/** Tells whether every f32 of the state region is finite. */
export function stateIsFinite(): bool {
  const count = <i32>(stateBytes >> 2)
  let probe = f32x4.splat(0)
  let i = 0
  // x − x is 0 for finite x and NaN for ±Infinity or NaN
  for (; i + 4 <= count; i += 4) {
    const value = v128.load(parametersStart + (<usize>i << 2))
    probe = f32x4.add(probe, f32x4.sub(value, value))
  }
  for (; i < count; i++) {
    const value = load<f32>(parametersStart + (<usize>i << 2))
    if (value - value != 0) return false
  }
  return !v128.any_true(f32x4.ne(probe, probe))
}
