// Input standardization and batch gathering. Training merges each call's
// rows into a running mean and population variance (Chan's pairwise
// update, in f64, stored as f32); every forward pass then reads
// x' = (x − mean)/std, with std = √variance, or 1 where that is below 1e-6.

import {
  batchInputs, batchTargets, deviationStart, inputCount, outputCount,
  samplesInputs, samplesOrder, samplesTargets, scalingStart,
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
  const before = mergedCount
  const added = <f64>rows
  const total = before + added
  const rowBytes = <usize>inputCount << 2
  for (let i = 0; i < inputCount; i++) {
    const column = samplesInputs + (<usize>i << 2)
    let sum: f64 = 0
    for (let r = 0; r < rows; r++) {
      sum += <f64>load<f32>(column + <usize>r * rowBytes)
    }
    const batchMean = sum / added
    let squares: f64 = 0
    for (let r = 0; r < rows; r++) {
      const centred = <f64>load<f32>(column + <usize>r * rowBytes) - batchMean
      squares += centred * centred
    }
    const meanAt = scalingStart + (<usize>i << 2)
    const varianceAt = meanAt + rowBytes
    const mean = <f64>load<f32>(meanAt)
    const shift = batchMean - mean
    const spread = <f64>load<f32>(varianceAt) * before + squares +
      shift * shift * before * added / total
    store<f32>(meanAt, <f32>(mean + shift * added / total))
    store<f32>(varianceAt, <f32>(spread / total))
  }
  mergedCount = total
}

/** Writes each input's std (1 where below 1e-6) for the passes that follow. */
export function prepareDeviation(): void {
  const variances = scalingStart + (<usize>inputCount << 2)
  for (let i = 0; i < inputCount; i++) {
    const at = <usize>i << 2
    const deviation = Mathf.sqrt(load<f32>(variances + at))
    const usable = deviation < SMALLEST_DEVIATION ? <f32>1 : deviation
    store<f32>(deviationStart + at, usable)
  }
}

/**
 * Copies `count` samples into the batch buffers, scaling inputs when on:
 * rows start.. of the epoch order when `ordered`, else of the samples.
 * Targets are copied only when `withTargets`.
 */
export function gatherRows(
  start: i32, count: i32, ordered: bool, withTargets: bool,
): void {
  const inputBytes = <usize>inputCount << 2
  const targetBytes = <usize>outputCount() << 2
  for (let r = 0; r < count; r++) {
    const position = start + r
    const row = ordered
      ? load<u32>(samplesOrder + (<usize>position << 2))
      : position
    const to = batchInputs + <usize>r * inputBytes
    const from = samplesInputs + <usize>row * inputBytes
    if (enabled) scaleRow(from, to)
    else memory.copy(to, from, inputBytes)
    if (withTargets) {
      const target = samplesTargets + <usize>row * targetBytes
      memory.copy(batchTargets + <usize>r * targetBytes, target, targetBytes)
    }
  }
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
