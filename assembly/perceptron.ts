// Rosenblatt's perceptron: one layer of threshold units ŷ = step(x·W + b),
// trained one sample at a time by w_ij ← w_ij + η (y_j − ŷ_j) x_i and
// b_j ← b_j + η (y_j − ŷ_j), stopping after an epoch without mistakes.

import {
  aOf, activationOf, batchInputs, batchTargets, biasesOf, inputCount,
  layerCount, reserveBatchRows, samplesOrder, unitsOf, weightsOf, zOf,
} from './arena'
import { activate, isStep } from './activations'
import { denseForward } from './dense'
import { STATUS_BAD_ARGUMENT, STATUS_NON_FINITE, STATUS_OK } from './enums'
import { backupState, restoreState, stateIsFinite } from './network'
import { staleRowPanels } from './panels'
import { fillOrder, shuffle } from './random'
import {
  gatherRows, mergeStatistics, prepareDeviation, scalingEnabled,
} from './scaling'
import { checkRows } from './train'

let epochsOfLastCall: i32 = 0
let mistakesOfLastCall: i32 = 0

/** Counts the (sample, output) pairs of `count` values where a ≠ y. */
export function countWrongPairs(count: i32, a: usize, y: usize): i32 {
  let wrong = 0
  for (let i = 0; i < count; i++) {
    const at = <usize>i << 2
    if (load<f32>(a + at) != load<f32>(y + at)) wrong++
  }
  return wrong
}

/**
 * Trains a single-layer perceptron sample by sample for up to `epochs`
 * epochs, in order or shuffled each epoch, with learning rate η.
 */
export function perceptronTrain(
  rows: i32, epochs: i32, shuffleRows: i32, learningRate: f64,
): i32 {
  const status = checkRows(rows)
  if (status != STATUS_OK) return status
  if (layerCount != 1 || !isStep(activationOf(0)) || epochs < 0) {
    return STATUS_BAD_ARGUMENT
  }
  const room = reserveBatchRows(1)
  if (room != STATUS_OK) return room

  staleRowPanels()
  backupState()
  if (scalingEnabled()) mergeStatistics(rows)
  prepareDeviation()
  epochsOfLastCall = 0
  mistakesOfLastCall = 0
  for (let epoch = 0; epoch < epochs; epoch++) {
    fillOrder(samplesOrder, rows)
    if (shuffleRows != 0) shuffle(samplesOrder, rows)
    let mistakes = 0
    for (let r = 0; r < rows; r++) {
      gatherRows(r, 1, true, true)
      if (learnSample(<f32>learningRate)) mistakes++
    }
    epochsOfLastCall++
    mistakesOfLastCall = mistakes
    if (mistakes == 0) break
  }
  if (stateIsFinite()) return STATUS_OK
  restoreState()
  return STATUS_NON_FINITE
}

// applies the rule to the sample in the batch buffers; true if it was wrong
function learnSample(rate: f32): bool {
  const units = unitsOf(0)
  const weights = weightsOf(0)
  const biases = biasesOf(0)
  denseForward(1, inputCount, units, batchInputs, weights, biases, zOf(0))
  activate(activationOf(0), 1, units, zOf(0), aOf(0), 0)
  let wrong = false
  for (let j = 0; j < units; j++) {
    const at = <usize>j << 2
    const error = load<f32>(batchTargets + at) - load<f32>(aOf(0) + at)
    if (error == 0) continue
    wrong = true
    const change = rate * error
    for (let i = 0; i < inputCount; i++) {
      const input = load<f32>(batchInputs + (<usize>i << 2))
      const weight = weights + ((<usize>i * <usize>units + <usize>j) << 2)
      store<f32>(weight, load<f32>(weight) + change * input)
    }
    store<f32>(biases + at, load<f32>(biases + at) + change)
  }
  return wrong
}

/** Counts epochs run by the last `perceptronTrain`. */
export function lastEpochs(): i32 { return epochsOfLastCall }

/** Counts mistakes (samples with any output wrong) in its last epoch. */
export function lastMistakes(): i32 { return mistakesOfLastCall }
