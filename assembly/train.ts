// The per-layer forward and backward passes, the minibatch and epoch
// loops, and evaluation and prediction in chunks of rows.

import {
  aOf, activationOf, alphaOf, biasesOf,
  biasGradsOf, committed, deltaOf, fanInOf, layerCount, outputCount,
  reserveBatchRows, rowPanelsOf, sampleCapacity, samplesOrder, samplesOutputs,
  unitsOf, weightGradsOf, weightsOf, zOf,
} from './arena'
import { activate, activateBackward, isStep } from './activations'
import { denseBackward, denseForward } from './dense'
import {
  STATUS_BAD_ARGUMENT, STATUS_NON_FINITE, STATUS_NOT_COMMITTED, STATUS_OK,
} from './enums'
import {
  countCorrect, fusedDelta, isFused, lossBackward, lossSum,
} from './losses'
import {
  backupState, networkLoss, restoreState, stateIsFinite,
} from './network'
import { isConfigured, step } from './optimizers'
import { countWrongPairs } from './perceptron'
import { rowPanelsReady, staleRowPanels } from './panels'
import { fillOrder, shuffle } from './random'
import {
  gatherRows, inputRows, mergeStatistics, prepareDeviation, scalingEnabled,
  targetRows,
} from './scaling'

/** Sets how many rows evaluate and predict push through at a time. */
const CHUNK_ROWS: i32 = 128

let stepsOfLastCall: i32 = 0
let correctOfLastCall: i32 = 0

/** Checks that `rows` samples can be read: 1 ≤ rows ≤ reserved. */
export function checkRows(rows: i32): i32 {
  if (!committed) return STATUS_NOT_COMMITTED
  if (rows < 1 || rows > sampleCapacity) return STATUS_BAD_ARGUMENT
  return STATUS_OK
}

/**
 * Runs the `rows` rows gatherRows selected forward through every layer,
 * reading W from the row panels when `panels` says they are current.
 */
export function forward(rows: i32, panels: bool = false): void {
  let input = inputRows
  for (let l = 0; l < layerCount; l++) {
    const units = unitsOf(l)
    const z = zOf(l)
    const rowPanels = panels ? rowPanelsOf(l) : 0
    denseForward(
      rows, fanInOf(l), units, input, weightsOf(l), biasesOf(l), z, rowPanels,
    )
    activate(activationOf(l), rows, units, z, aOf(l), alphaOf(l))
    input = aOf(l)
  }
}

// δᴸ: fused (a − y)/m, or ∂C/∂a ⊙ φ'(zᴸ)
function outputDelta(rows: i32): void {
  const last = layerCount - 1
  const activation = activationOf(last)
  const width = unitsOf(last)
  const a = aOf(last)
  const delta = deltaOf(last)
  if (isFused(networkLoss, activation)) {
    fusedDelta(rows, rows * width, a, targetRows, delta)
    return
  }
  lossBackward(networkLoss, rows, rows * width, a, targetRows, delta)
  const z = zOf(last)
  activateBackward(activation, rows, width, z, a, delta, delta, alphaOf(last))
}

// writes each layer's gradients from δᴸ down, handing δ·Wᵀ ⊙ φ' below
function backward(rows: i32): void {
  for (let l = layerCount - 1; l >= 0; l--) {
    const input = l == 0 ? inputRows : aOf(l - 1)
    const below: usize = l == 0 ? 0 : deltaOf(l - 1)
    denseBackward(
      rows, fanInOf(l), unitsOf(l), input, weightsOf(l), deltaOf(l),
      weightGradsOf(l), biasGradsOf(l), below,
    )
    if (l == 0) break
    const units = unitsOf(l - 1)
    activateBackward(
      activationOf(l - 1), rows, units, zOf(l - 1), aOf(l - 1), below, below,
      alphaOf(l - 1),
    )
  }
}

function checkTrainable(rows: i32): i32 {
  const status = checkRows(rows)
  if (status != STATUS_OK) return status
  for (let l = 0; l < layerCount; l++) {
    if (isStep(activationOf(l))) return STATUS_BAD_ARGUMENT
  }
  return STATUS_OK
}

/**
 * Trains on the first `rows` samples: merges them into the scaling
 * statistics (when on), then per epoch orders the rows (shuffled when
 * asked) and steps the optimizer once per minibatch of `batchSize`. When
 * any state value becomes non-finite, restores the state as it was.
 */
export function train(
  rows: i32, epochs: i32, batchSize: i32, shuffleRows: i32,
): i32 {
  let status = checkTrainable(rows)
  if (status != STATUS_OK) return status
  if (epochs < 0 || batchSize < 1 || !isConfigured()) return STATUS_BAD_ARGUMENT
  staleRowPanels()
  const batch = min(batchSize, rows)
  status = reserveBatchRows(batch)
  if (status != STATUS_OK) return status

  stepsOfLastCall = 0
  backupState()
  if (scalingEnabled()) mergeStatistics(rows)
  if (!stateIsFinite()) return abandon()
  prepareDeviation()
  for (let epoch = 0; epoch < epochs; epoch++) {
    // unshuffled, the epoch order is the sample order
    const shuffled = shuffleRows != 0
    if (shuffled) {
      fillOrder(samplesOrder, rows)
      shuffle(samplesOrder, rows)
    }
    for (let start = 0; start < rows; start += batch) {
      const count = min(batch, rows - start)
      gatherRows(start, count, shuffled, true)
      forward(count)
      outputDelta(count)
      backward(count)
      step()
      stepsOfLastCall++
    }
    // NaN and ±Infinity never turn finite again under these updates,
    // so one check per epoch catches every step that went bad
    if (!stateIsFinite()) return abandon()
  }
  return STATUS_OK
}

function abandon(): i32 {
  restoreState()
  stepsOfLastCall = 0
  return STATUS_NON_FINITE
}

/** Counts optimizer steps taken by the last `train` call. */
export function lastSteps(): i32 {
  return stepsOfLastCall
}

// checks rows, makes room for one chunk and fixes the scaling divisors
function prepareChunks(rows: i32): i32 {
  const status = checkRows(rows)
  if (status != STATUS_OK) return status
  const room = reserveBatchRows(min(rows, CHUNK_ROWS))
  if (room != STATUS_OK) return room
  prepareDeviation()
  return STATUS_OK
}

/**
 * Returns the mean loss over the first `rows` samples, or −Status when it
 * cannot run. Step-function outputs report the fraction of wrong
 * (sample, output) pairs instead.
 */
export function evaluate(rows: i32): f64 {
  const status = prepareChunks(rows)
  if (status != STATUS_OK) return -<f64>status
  const last = layerCount - 1
  const activation = activationOf(last)
  const width = unitsOf(last)
  const outputs = aOf(last)
  let total: f64 = 0
  correctOfLastCall = 0
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const count = min(CHUNK_ROWS, rows - start)
    gatherRows(start, count, false, true)
    forward(count)
    const values = count * width
    total += isStep(activation)
      ? <f64>countWrongPairs(values, outputs, targetRows)
      : lossSum(networkLoss, values, outputs, targetRows)
    correctOfLastCall += countCorrect(
      activation, count, width, outputs, targetRows,
    )
  }
  const divisor = isStep(activation) ? <f64>rows * <f64>width : <f64>rows
  return total / divisor
}

/** Counts samples classified right by the last `evaluate`. */
export function lastCorrect(): i32 {
  return correctOfLastCall
}

/** Runs the first `rows` samples forward into the outputs region. */
export function predict(rows: i32): i32 {
  if (committed && rows == 0) return STATUS_OK
  const status = prepareChunks(rows)
  if (status != STATUS_OK) return status
  const output = aOf(layerCount - 1)
  const rowBytes = <usize>outputCount() << 2
  const panels = rowPanelsReady(rows)
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const count = min(CHUNK_ROWS, rows - start)
    gatherRows(start, count, false, false)
    forward(count, panels)
    const to = samplesOutputs + <usize>start * rowBytes
    memory.copy(to, output, <usize>count * rowBytes)
  }
  return STATUS_OK
}

/**
 * Writes ∂C/∂θ averaged over the first `rows` samples (no L2, no
 * clipping) and returns the loss C, or −Status when it cannot run.
 */
export function computeGradients(rows: i32): f64 {
  const status = checkTrainable(rows)
  if (status != STATUS_OK) return -<f64>status
  const room = reserveBatchRows(rows)
  if (room != STATUS_OK) return -<f64>room
  prepareDeviation()
  gatherRows(0, rows, false, true)
  forward(rows)
  const last = layerCount - 1
  const values = rows * unitsOf(last)
  const loss = lossSum(networkLoss, values, aOf(last), targetRows)
  outputDelta(rows)
  backward(rows)
  return loss / <f64>rows
}
