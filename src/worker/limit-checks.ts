/**
 * Checks of a request against the limits in wrangler.toml [vars]. Each
 * refusal names the limit, its value and what to send instead.
 */
import type { Limits } from './limits.ts'
import { problem } from './problem.ts'

type Spec =
  | { kind: 'perceptron'; inputs: number; outputs: number }
  | { kind: 'mlp'; inputs: number; layers: readonly { units: number }[] }

/** Matches the rows the core runs forward at a time in predict and evaluate. */
const CHUNK_ROWS = 128

/** Counts the weights and biases a spec asks for, without building it. */
export function countParameters(spec: Spec): number {
  if (spec.kind === 'perceptron') return (spec.inputs + 1) * spec.outputs
  let total = 0
  let fanIn = spec.inputs
  for (const layer of spec.layers) {
    total += (fanIn + 1) * layer.units
    fanIn = layer.units
  }
  return total
}

/** Refuses a spec over MAX_SPEC_BYTES (413) or MAX_PARAMETERS (422). */
export function assertSpecWithin(spec: Spec, limits: Limits): void {
  assertSpecBytesWithin(spec, limits, ['spec'])
  assertParametersWithin(countParameters(spec), limits, ['spec'])
}

/**
 * Refuses a spec over MAX_SPEC_BYTES with 413 at `path`: the body's
 * `spec`, or the spec in an uploaded model file's header.
 */
export function assertSpecBytesWithin(
  spec: Spec,
  limits: Limits,
  path: (string | number)[],
): void {
  const bytes = new TextEncoder().encode(JSON.stringify(spec)).byteLength
  if (bytes <= limits.maxSpecBytes) return
  const detail =
    `The spec is ${bytes} bytes of JSON, over MAX_SPEC_BYTES = ` +
    `${limits.maxSpecBytes}; shorten it (labels are usually the long part).`
  throw problem('payload-too-large', detail, [{ path, message: detail }])
}

/** Refuses a model with more than MAX_PARAMETERS weights and biases. */
export function assertParametersWithin(
  parameters: number,
  limits: Limits,
  path: (string | number)[],
): void {
  if (parameters <= limits.maxParameters) return
  const detail =
    `The model has ${parameters} parameters, over MAX_PARAMETERS = ` +
    `${limits.maxParameters}; use fewer or narrower layers.`
  throw problem('limit-exceeded', detail, [{ path, message: detail }])
}

/** Counts the rows of `x`, which is one row or a list of rows. */
export function countRows(x: ArrayLike<unknown>): number {
  const first = x[0]
  const rows = Array.isArray(first) || ArrayBuffer.isView(first)
  return rows && !ArrayBuffer.isView(x) ? x.length : 1
}

/** Refuses more than MAX_ROWS rows in `x`. */
export function assertRowsWithin(x: ArrayLike<unknown>, limits: Limits): void {
  const rows = countRows(x)
  if (rows <= limits.maxRows) return
  const detail =
    `x has ${rows} rows, over MAX_ROWS = ${limits.maxRows}; ` +
    'split the batch into several calls.'
  throw problem('limit-exceeded', detail, [{ path: ['x'], message: detail }])
}

/** Lists the widths of a spec's layers, output last. */
function layerWidths(spec: Spec): number[] {
  return spec.kind === 'perceptron' ? [spec.outputs] : spec.layers.map((l) => l.units)
}

/**
 * Prices the wasm memory a call's rows take, in bytes, as the core lays
 * it out: each row with its targets, outputs and place in the order, and
 * for each row of the largest batch run (a training batch, or a chunk of
 * 128 rows for predict and the losses), its inputs, targets and three
 * buffers (z, a, δ) per layer.
 */
export function callBytes(spec: Spec, rows: number, batch: number): number {
  const widths = layerWidths(spec)
  const outputs = widths[widths.length - 1]
  const units = widths.reduce((sum, width) => sum + width, 0)
  const largest = Math.max(Math.min(batch, rows), Math.min(rows, CHUNK_ROWS))
  const perRow = spec.inputs + 2 * outputs + 1
  const perBatchRow = spec.inputs + outputs + 3 * units
  return 4 * (rows * perRow + largest * perBatchRow)
}

/** Refuses a call whose rows need more wasm memory than MAX_CALL_BYTES. */
export function assertCallFits(
  spec: Spec,
  call: { rows: number; batch: number; maxCallBytes: number },
): void {
  const { rows, batch, maxCallBytes } = call
  const bytes = callBytes(spec, rows, batch)
  if (bytes <= maxCallBytes) return
  const batches = spec.kind === 'mlp' && batch < rows ? ` in batches of ${batch}` : ''
  const detail =
    `${rows} rows${batches} through layers of ${layerWidths(spec).join(', ')} units need ` +
    `${bytes} bytes of working memory, over MAX_CALL_BYTES = ${maxCallBytes}; ` +
    'send fewer rows per call, or a smaller batchSize.'
  throw problem('limit-exceeded', detail, [{ path: ['x'], message: detail }])
}

/** Refuses a predict over MAX_CALL_BYTES or MAX_OUTPUT_VALUES. */
export function assertPredictFits(spec: Spec, x: ArrayLike<unknown>, limits: Limits): void {
  const rows = countRows(x)
  assertOutputsWithin(spec, rows, limits)
  assertCallFits(spec, { rows, batch: 0, maxCallBytes: limits.maxCallBytes })
}

/** Refuses a predict whose answer would hold more than MAX_OUTPUT_VALUES outputs. */
export function assertOutputsWithin(spec: Spec, rows: number, limits: Limits): void {
  const widths = layerWidths(spec)
  const values = rows * widths[widths.length - 1]
  if (values <= limits.maxOutputValues) return
  const detail =
    `x has ${rows} rows and the model ${widths[widths.length - 1]} outputs: ${values} ` +
    `output values, over MAX_OUTPUT_VALUES = ${limits.maxOutputValues}; ` +
    'send fewer rows per call.'
  throw problem('limit-exceeded', detail, [{ path: ['x'], message: detail }])
}
