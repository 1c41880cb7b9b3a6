// Input standardization and batch gathering. Training merges each call's
// rows into a running mean and population variance (Chan's pairwise
// update, in f64, stored as f32); every forward pass then reads
// x' = (x − mean)/std, with std = √variance, or 1 where that is below 1e-6.

import {
  batchInputs, batchTargets, deviationStart, inputCount, outputCount,
  samplesInputs, samplesOrder, samplesTargets, scalingStart, statisticsStart,
} from './arena'

const SMALLEST_DEVIATION: f32 = 1e-6

let enabled: bool = false
let mergedCount: f64 = 0

/** Turns standardization on or off. */
export function setScalingEnabled(on: bool): void { enabled = on }

/** Tells whether standardization is on. */
export function scalingEnabled(): bool { return enabled }

/** Reads how many samples the statistics hold. */
export function scalingSamples(): f64 { return mergedCount }

/** Overwrites how many samples the statistics hold. */
export function setScalingSamples(count: f64): void { mergedCount = count }

/** Merges the first `rows` raw samples into the running mean and variance. */
export function mergeStatistics(rows: i32): void {
  const means = statisticsStart
  const squares = statisticsStart + (<usize>inputCount << 3)
  const rowBytes = <usize>inputCount << 2
  memory.fill(means, 0, <usize>inputCount << 4)
  // row by row, each feature still adding its rows in order
  for (let r = 0; r < rows; r++) {
    addRow(samplesInputs + <usize>r * rowBytes, means, 0, false)
  }
  const added = <f64>rows
  for (let i = 0; i < inputCount; i++) {
    const at = means + (<usize>i << 3)
    store<f64>(at, load<f64>(at) / added)
  }
  for (let r = 0; r < rows; r++) {
    addRow(samplesInputs + <usize>r * rowBytes, squares, means, true)
  }
  for (let i = 0; i < inputCount; i++) {
    const at = <usize>i << 3
    mergeFeature(i, load<f64>(means + at), load<f64>(squares + at), added)
  }
  mergedCount += added
}

// sums[i] += x_i, or (x_i − mean_i)² when `square`, in f64, two at a time
function addRow(row: usize, sums: usize, means: usize, square: bool): void {
  let i = 0
  for (; i + 2 <= inputCount; i += 2) {
    const pair = v128.load64_zero(row + (<usize>i << 2))
    let value = f64x2.promote_low_f32x4(pair)
    if (square) {
      value = f64x2.sub(value, v128.load(means + (<usize>i << 3)))
      value = f64x2.mul(value, value)
    }
    const at = sums + (<usize>i << 3)
    v128.store(at, f64x2.add(v128.load(at), value))
  }
  for (; i < inputCount; i++) {
    let value = <f64>load<f32>(row + (<usize>i << 2))
    if (square) {
      value -= load<f64>(means + (<usize>i << 3))
      value *= value
    }
    const at = sums + (<usize>i << 3)
    store<f64>(at, load<f64>(at) + value)
  }
}

// folds one feature's batch mean and squared deviations into the state
function mergeFeature(i: i32, batchMean: f64, squares: f64, added: f64): void {
  const before = mergedCount
  const total = before + added
  const meanAt = scalingStart + (<usize>i << 2)
  const varianceAt = meanAt + (<usize>inputCount << 2)
  const mean = <f64>load<f32>(meanAt)
  const shift = batchMean - mean
  const spread = <f64>load<f32>(varianceAt) * before + squares +
    shift * shift * before * added / total
  store<f32>(meanAt, <f32>(mean + shift * added / total))
  store<f32>(varianceAt, <f32>(spread / total))
}

/** Writes each input's std (1 where below 1e-6) for the passes that follow. */
export function prepareDeviation(): void {
  // only scaled rows divide by it
  if (!enabled) return
  const variances = scalingStart + (<usize>inputCount << 2)
  for (let i = 0; i < inputCount; i++) {
    const at = <usize>i << 2
    const deviation = Mathf.sqrt(load<f32>(variances + at))
    const usable = deviation < SMALLEST_DEVIATION ? <f32>1 : deviation
    store<f32>(deviationStart + at, usable)
  }
}

/** Points at the inputs of the rows the last `gatherRows` selected. */
export let inputRows: usize = 0
/** Points at the targets of the rows the last `gatherRows` selected. */
export let targetRows: usize = 0

/**
 * Selects `count` samples for a forward pass: rows start.. of the epoch
 * order when `ordered`, else of the samples. Rows taken in sample order
 * and left unscaled are read where they are; otherwise inputs (scaled when
 * on) and, when `withTargets`, targets are copied into the batch buffers.
 * Either way `inputRows` and `targetRows` point at them afterwards.
 */
export function gatherRows(
  start: i32, count: i32, ordered: bool, withTargets: bool,
): void {
  const inputBytes = <usize>inputCount << 2
  const targetBytes = <usize>outputCount() << 2
  if (!ordered && !enabled) {
    inputRows = samplesInputs + <usize>start * inputBytes
    targetRows = samplesTargets + <usize>start * targetBytes
    return
  }
  inputRows = batchInputs
  targetRows = batchTargets
  for (let r = 0; r < count; r++) {
    const position = start + r
    const row = ordered
      ? load<u32>(samplesOrder + (<usize>position << 2))
      : position
    const to = batchInputs + <usize>r * inputBytes
    const from = samplesInputs + <usize>row * inputBytes
    if (enabled) scaleRow(from, to)
    else copyRow(to, from, inputBytes)
    if (withTargets) {
      const target = samplesTargets + <usize>row * targetBytes
      copyRow(batchTargets + <usize>r * targetBytes, target, targetBytes)
    }
  }
}

// copies one row of f32 values; a loop, since memory.copy is a call out
// of the wasm code that costs more than a short row
function copyRow(to: usize, from: usize, bytes: usize): void {
  let at: usize = 0
  for (; at + 16 <= bytes; at += 16) {
    v128.store(to + at, v128.load(from + at))
  }
  for (; at < bytes; at += 4) store<f32>(to + at, load<f32>(from + at))
}

// to = (from − mean)/std over one row of inputs
function scaleRow(from: usize, to: usize): void {
  let i = 0
  for (; i + 4 <= inputCount; i += 4) {
    const at = <usize>i << 2
    const mean = v128.load(scalingStart + at)
    const centred = f32x4.sub(v128.load(from + at), mean)
    v128.store(to + at, f32x4.div(centred, v128.load(deviationStart + at)))
  }
  for (; i < inputCount; i++) {
    const at = <usize>i << 2
    const centred = load<f32>(from + at) - load<f32>(scalingStart + at)
    store<f32>(to + at, centred / load<f32>(deviationStart + at))
  }
}
