/**
 * Checks of a request against the limits in wrangler.toml [vars]. Each
 * refusal names the limit, its value and what to send instead.
 */
import type { Limits } from './limits.ts'
import { problem } from './problem.ts'

type Spec =
  | { kind: 'perceptron'; inputs: number; outputs: number }
  | { kind: 'mlp'; inputs: number; layers: readonly { units: number }[] }

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
  const bytes = new TextEncoder().encode(JSON.stringify(spec)).byteLength
  if (bytes > limits.maxSpecBytes) {
    const detail =
      `The spec is ${bytes} bytes of JSON, over MAX_SPEC_BYTES = ` +
      `${limits.maxSpecBytes}; shorten it (labels are usually the long part).`
    throw problem('payload-too-large', detail, [{ path: ['spec'], message: detail }])
  }
  assertParametersWithin(countParameters(spec), limits, ['spec'])
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
