// The one memory map of core.wasm: every region, its size and its offset.
//
//   __heap_base, rounded up to 16
//   ┌────────────────────────┐ layerTable
//   │ layer table            │ MAX_LAYERS records of LAYER_BYTES
//   ├────────────────────────┤ panel
//   │ packed panel           │ PANEL_DEPTH × PANEL_WIDTH f32, read by matmul
//   ├────────────────────────┤ parametersStart   (laid out by commitNetwork)
//   │ state  parameters      │ P f32: per layer W (inputs×units), then b
//   │        optimizer       │ 2P f32: velocity, or first then second moment
//   │        scaling         │ 2·inputs f32: running mean, then variance
//   ├────────────────────────┤ backupStart
//   │ backup                 │ a copy of the state, taken when training starts
//   ├────────────────────────┤ gradientsStart
//   │ gradients              │ P f32, laid out as the parameters
//   ├────────────────────────┤ deviationStart
//   │ deviation              │ inputs f32: the std that scaling divides by
//   ├────────────────────────┤ statisticsStart
//   │ statistics             │ 2·inputs f64: a batch's sums, then squares
//   ├────────────────────────┤ rowPanelsStart
//   │ row panels             │ per layer, W's first units & ~7 columns in
//   │                        │ strips of 32 then 8, each a run of
//   │                        │ fanIn × width f32 (panels.ts)
//   ├────────────────────────┤ samplesInputs     (grown by reserveSamples)
//   │ samples  inputs        │ capacity × inputs, raw
//   │          targets       │ capacity × outputs
//   │          outputs       │ capacity × outputs, written by predict
//   │          order         │ capacity u32: row order of the current epoch
//   ├────────────────────────┤ batchInputs       (grown for a larger batch)
//   │ batch    inputs        │ batch × inputs, scaled
//   │          targets       │ batch × outputs
//   │          per layer     │ z, a and δ, each batch × units
//   ├────────────────────────┤ scratchStart
//   │ scratch                │ handed out by `scratch(bytes)`
//   └────────────────────────┘
//
// Every region starts on a 16-byte boundary. The parameters are packed with
// no padding between layers, since JS reads them as one run of P values.

import { STATUS_BAD_ARGUMENT, STATUS_OK, STATUS_OUT_OF_MEMORY } from './enums'

/** Caps the number of layers in one network. */
export const MAX_LAYERS: i32 = 64
/** Sets how many rows of B the matmul kernel packs at a time. */
export const PANEL_DEPTH: i32 = 256
/** Sets the widest column panel the matmul kernel packs. */
export const PANEL_WIDTH: i32 = 8

// NOTE: pointers cross to JS as i32, so the map stays below 2 GiB.
const MEMORY_LIMIT: u64 = 1 << 31
const LAYER_BYTES: usize = 64

// fields of a layer record, as byte offsets
const UNITS: usize = 0
const ACTIVATION: usize = 4
const ALPHA: usize = 8
const FAN_IN: usize = 12
const WEIGHTS: usize = 16
const BIASES: usize = 20
const WEIGHT_GRADS: usize = 24
const BIAS_GRADS: usize = 28
const Z: usize = 32
const A: usize = 36
const DELTA: usize = 40
const ROW_PANELS: usize = 44

/** Rounds a byte offset up to the next multiple of 16. */
export function align16(offset: u64): u64 {
  return (offset + 15) & ~(<u64>15)
}

/** Grows memory until it holds `end` bytes; false when it cannot. */
export function ensureMemory(end: u64): bool {
  if (end > MEMORY_LIMIT) return false
  const have = <u64>memory.size() << 16
  if (end <= have) return true
  const pages = <i32>((end - have + 0xffff) >> 16)
  return memory.grow(pages) >= 0
}

export const layerTable: usize = <usize>align16(__heap_base)
export const panel: usize = layerTable + <usize>MAX_LAYERS * LAYER_BYTES
const networkStart: usize = <usize>align16(
  panel + <usize>(PANEL_DEPTH * PANEL_WIDTH) * 4,
)
ensureMemory(networkStart)

// --- the network's shape ----------------------------------------------------

export let inputCount: i32 = 0
export let layerCount: i32 = 0
export let committed: bool = false
export let parameterTotal: i32 = 0

/** Forgets every layer and starts a network of `inputs` features. */
export function resetLayers(inputs: i32): void {
  inputCount = inputs
  layerCount = 0
  committed = false
  scratchStart = networkStart
}

/** Records one more layer; its fan-in is the previous layer's width. */
export function appendLayer(units: i32, activation: i32, alpha: f32): void {
  const record = layerTable + <usize>layerCount * LAYER_BYTES
  const fanIn = layerCount == 0 ? inputCount : unitsOf(layerCount - 1)
  store<i32>(record + UNITS, units)
  store<i32>(record + ACTIVATION, activation)
  store<f32>(record + ALPHA, alpha)
  store<i32>(record + FAN_IN, fanIn)
  layerCount++
}

// @ts-ignore: decorator
@inline function field(layer: i32, offset: usize): usize {
  return layerTable + <usize>layer * LAYER_BYTES + offset
}

/** Reads a layer's width. */
export function unitsOf(l: i32): i32 {
  return load<i32>(field(l, UNITS))
}
/** Reads a layer's activation code. */
export function activationOf(l: i32): i32 {
  return load<i32>(field(l, ACTIVATION))
}
/** Reads a layer's leaky-relu slope. */
export function alphaOf(l: i32): f32 {
  return load<f32>(field(l, ALPHA))
}
/** Reads a layer's input width. */
export function fanInOf(l: i32): i32 {
  return load<i32>(field(l, FAN_IN))
}
/** Points at a layer's weights, fanIn×units row-major. */
export function weightsOf(l: i32): usize {
  return load<u32>(field(l, WEIGHTS))
}
/** Points at a layer's biases. */
export function biasesOf(l: i32): usize {
  return load<u32>(field(l, BIASES))
}
/** Points at ∂C/∂W of a layer. */
export function weightGradsOf(l: i32): usize {
  return load<u32>(field(l, WEIGHT_GRADS))
}
/** Points at ∂C/∂b of a layer. */
export function biasGradsOf(l: i32): usize {
  return load<u32>(field(l, BIAS_GRADS))
}
/** Points at a layer's batch pre-activations z. */
export function zOf(l: i32): usize {
  return load<u32>(field(l, Z))
}
/** Points at a layer's batch activations a. */
export function aOf(l: i32): usize {
  return load<u32>(field(l, A))
}
/** Points at a layer's batch errors δ. */
export function deltaOf(l: i32): usize {
  return load<u32>(field(l, DELTA))
}
/** Points at a layer's row panels: its W in strips, for one-row products. */
export function rowPanelsOf(l: i32): usize {
  return load<u32>(field(l, ROW_PANELS))
}

/** Reads the width of the output layer. */
export function outputCount(): i32 {
  return layerCount == 0 ? 0 : unitsOf(layerCount - 1)
}

// --- state, backup, gradients, scaling work ---------------------------------

export let parametersStart: usize = 0
export let optimizerStart: usize = 0
export let scalingStart: usize = 0
export let stateBytes: usize = 0
export let backupStart: usize = 0
export let gradientsStart: usize = 0
export let deviationStart: usize = 0
export let statisticsStart: usize = 0
let rowPanelsStart: usize = 0
let rowPanelsEnd: usize = 0

/** Lays out every region for the layers recorded, with room for no samples. */
export function layoutNetwork(): i32 {
  let total: u64 = 0
  let panelValues: u64 = 0
  for (let l = 0; l < layerCount; l++) {
    total += <u64>fanInOf(l) * <u64>unitsOf(l) + <u64>unitsOf(l)
    panelValues += <u64>fanInOf(l) * <u64>(unitsOf(l) & ~7)
  }
  if (total > MEMORY_LIMIT) return STATUS_OUT_OF_MEMORY
  const optimizer = align16(<u64>networkStart + total * 4)
  const scaling = align16(optimizer + total * 8)
  const stateEnd = align16(scaling + <u64>inputCount * 8)
  const bytes = stateEnd - <u64>networkStart
  const gradients = stateEnd + bytes
  const deviation = align16(gradients + total * 4)
  const statistics = align16(deviation + <u64>inputCount * 4)
  const panels = align16(statistics + <u64>inputCount * 16)
  const samples = align16(panels + panelValues * 4)
  if (!ensureMemory(samples)) return STATUS_OUT_OF_MEMORY

  parameterTotal = <i32>total
  parametersStart = networkStart
  optimizerStart = <usize>optimizer
  scalingStart = <usize>scaling
  stateBytes = <usize>bytes
  backupStart = <usize>stateEnd
  gradientsStart = <usize>gradients
  deviationStart = <usize>deviation
  statisticsStart = <usize>statistics
  rowPanelsStart = <usize>panels
  rowPanelsEnd = <usize>samples
  placeParameters()
  sampleCapacity = -1
  batchCapacity = 0
  const status = reserveSampleRows(0)
  committed = status == STATUS_OK
  return status
}

function placeParameters(): void {
  let offset: usize = 0
  let panels = rowPanelsStart
  for (let l = 0; l < layerCount; l++) {
    store<u32>(field(l, ROW_PANELS), panels)
    panels += <usize>(fanInOf(l) * (unitsOf(l) & ~7)) << 2
    const weightBytes = <usize>(fanInOf(l) * unitsOf(l)) << 2
    store<u32>(field(l, WEIGHTS), parametersStart + offset)
    store<u32>(field(l, WEIGHT_GRADS), gradientsStart + offset)
    offset += weightBytes
    store<u32>(field(l, BIASES), parametersStart + offset)
    store<u32>(field(l, BIAS_GRADS), gradientsStart + offset)
    offset += <usize>unitsOf(l) << 2
  }
}

// --- samples -----------------------------------------------------------------

export let sampleCapacity: i32 = 0
export let samplesInputs: usize = 0
export let samplesTargets: usize = 0
export let samplesOutputs: usize = 0
export let samplesOrder: usize = 0

/** Makes room for `rows` samples; what the region held is not kept. */
export function reserveSampleRows(rows: i32): i32 {
  if (rows < 0) return STATUS_BAD_ARGUMENT
  if (rows <= sampleCapacity) return STATUS_OK
  const width = <u64>rows * 4
  const inputs = <u64>rowPanelsEnd
  const targets = align16(inputs + width * <u64>inputCount)
  const outputs = align16(targets + width * <u64>outputCount())
  const order = align16(outputs + width * <u64>outputCount())
  const end = align16(order + width)
  if (layoutBatch(end, batchCapacity) != STATUS_OK) return STATUS_OUT_OF_MEMORY

  sampleCapacity = rows
  samplesInputs = <usize>inputs
  samplesTargets = <usize>targets
  samplesOutputs = <usize>outputs
  samplesOrder = <usize>order
  return STATUS_OK
}

// --- batch and scratch -------------------------------------------------------

export let batchCapacity: i32 = 0
export let batchInputs: usize = 0
export let batchTargets: usize = 0
export let scratchStart: usize = networkStart

/** Makes the batch buffers hold `rows` rows; they only ever grow. */
export function reserveBatchRows(rows: i32): i32 {
  if (rows <= batchCapacity) return STATUS_OK
  const start = align16(<u64>samplesOrder + <u64>sampleCapacity * 4)
  return layoutBatch(start, rows)
}

function layoutBatch(start: u64, rows: i32): i32 {
  const width = <u64>rows * 4
  let end = align16(start + width * <u64>inputCount)
  end = align16(end + width * <u64>outputCount())
  for (let l = 0; l < layerCount; l++) {
    end += align16(width * <u64>unitsOf(l)) * 3
  }
  if (!ensureMemory(end)) return STATUS_OUT_OF_MEMORY

  batchCapacity = rows
  batchInputs = <usize>start
  batchTargets = <usize>align16(start + width * <u64>inputCount)
  let offset = <usize>align16(<u64>batchTargets + width * <u64>outputCount())
  for (let l = 0; l < layerCount; l++) {
    const bytes = <usize>align16(width * <u64>unitsOf(l))
    store<u32>(field(l, Z), offset)
    store<u32>(field(l, A), offset + bytes)
    store<u32>(field(l, DELTA), offset + bytes * 2)
    offset += bytes * 3
  }
  scratchStart = offset
  return STATUS_OK
}

/** Returns `bytes` of scratch after every region, or 0 if memory is full. */
export function scratchRegion(bytes: i32): usize {
  if (bytes < 0) return 0
  if (!ensureMemory(<u64>scratchStart + <u64>bytes)) return 0
  return scratchStart
}
