/**
 * Checks what a decoded model blob holds before a Network loads it: the
 * stored spec must be complete (every default written out) and valid, and
 * each state array must have the length the spec implies, hold only finite
 * values, and keep the invariants training keeps (variances and Adam's
 * second moments are never negative). The header's counters are bounded
 * by the format's schema (model-format.ts).
 */
import { stateLengths } from './core-setup.ts'
import type { StateArrays, StateLengths } from './core-state.ts'
import { EdgepropError, formatPath, zodIssues, type ErrorDetail } from './errors.ts'
import { decodeModel, encodeModel, type ModelHeader } from './model-format.ts'
import { parameterCountOf, specSchema, type Spec } from './spec.ts'

/** What a model file holds, checked: everything a Network loads from it. */
export interface InspectedModel {
  header: ModelHeader
  spec: Spec
  parameterCount: number
  state: StateArrays
}

/**
 * Decodes and checks a model file without setting aside any wasm memory,
 * so a file whose header claims a huge network costs only its own bytes.
 * Throws the same invalid-model errors `Network.fromBytes` does.
 */
export function inspectModel(bytes: Uint8Array | ArrayBuffer): InspectedModel {
  const { header, arrays } = decodeModel(bytes)
  const spec = parseStoredSpec(header.spec)
  const state = checkStoredArrays(arrays, stateLengths(spec), spec)
  return { header, spec, parameterCount: parameterCountOf(spec), state }
}

/**
 * Writes a checked model file again as edgeprop writes it, so that nothing
 * the checks did not read (a JSON key given twice, say) is kept.
 */
export function rewriteModel(model: InspectedModel): Uint8Array {
  const { arrays: _listed, ...header } = model.header
  return encodeModel(header, { ...model.state })
}

/** Lists the optimizer fields an MLP spec always stores once defaults are filled. */
const OPTIMIZER_DEFAULTS = ['momentum', 'nesterov', 'beta1', 'beta2', 'epsilon', 'l2']

/**
 * Validates a stored spec: unlike a new one it must carry its seed and
 * every default, since a later change of default must not alter it.
 */
export function parseStoredSpec(stored: unknown): Spec {
  const missing = missingDefaults(stored)
  if (missing.length > 0) {
    throw new EdgepropError('invalid-model', missing.map((path) => ({
      path: ['header', 'spec', ...path],
      message:
        `model header spec has no '${formatPath(path)}'; edgeprop writes every default ` +
        'into a saved spec, so this file was edited or written by other software: ' +
        'export the model again, or add the field with the value it was trained with',
    })))
  }
  const result = specSchema.safeParse(stored)
  if (!result.success) {
    throw new EdgepropError('invalid-model', prefix(zodIssues(result.error)))
  }
  return result.data as Spec
}

/** Lists the paths of defaulted fields (and the seed) a stored spec leaves out. */
function missingDefaults(stored: unknown): (string | number)[][] {
  if (typeof stored !== 'object' || stored === null) return []
  const spec = stored as Record<string, unknown>
  const missing: (string | number)[][] = []
  if (!('seed' in spec)) missing.push(['seed'])
  if (spec.kind !== 'mlp') return missing
  if (!('inputScaling' in spec)) missing.push(['inputScaling'])
  const optimizer = spec.optimizer
  if (typeof optimizer === 'object' && optimizer !== null) {
    for (const field of OPTIMIZER_DEFAULTS) {
      if (!(field in optimizer)) missing.push(['optimizer', field])
    }
  }
  if (Array.isArray(spec.layers)) {
    spec.layers.forEach((layer: unknown, i) => {
      const fields = typeof layer === 'object' && layer !== null ? layer : {}
      const leaky = (fields as { activation?: unknown }).activation === 'leaky-relu'
      if (leaky && !('alpha' in fields)) missing.push(['layers', i, 'alpha'])
    })
  }
  return missing
}

function prefix(details: ErrorDetail[]): ErrorDetail[] {
  return details.map((d) => ({
    path: ['header', 'spec', ...d.path],
    message: `model spec is not valid: ${d.message}`,
  }))
}

/**
 * Checks each state array's presence, length and values against what the
 * spec needs: all finite, and no negative variance or second moment.
 */
export function checkStoredArrays(
  arrays: Map<string, Float32Array>,
  lengths: StateLengths,
  spec: Spec,
): StateArrays {
  const details: ErrorDetail[] = []
  const state: Partial<StateArrays> = {}
  for (const [name, length] of Object.entries(lengths) as [keyof StateArrays, number][]) {
    const path = ['arrays', name]
    const data = arrays.get(name)
    if (data === undefined) {
      details.push({ path, message: `model has no '${name}' array; its spec needs ${length}` })
    } else if (data.length !== length) {
      details.push({
        path,
        message: `model ${formatPath(path)} has ${data.length} values; its spec needs ${length}`,
      })
    } else if (!data.every(Number.isFinite)) {
      const at = data.findIndex((v) => !Number.isFinite(v))
      details.push({ path: [...path, at], message: `model ${name}[${at}] is ${data[at]}` })
    } else {
      state[name] = data
    }
  }
  for (const name of arrays.keys()) {
    // own keys only: 'constructor' is `in` every object
    if (Object.hasOwn(lengths, name)) continue
    details.push({
      path: ['arrays', name],
      message: `model has an array '${name}' that edgeprop does not write; the file was ` +
        'edited or written by other software: export the model again',
    })
  }
  if (details.length === 0) details.push(...checkSigns(state as StateArrays, spec))
  if (details.length > 0) throw new EdgepropError('invalid-model', details)
  return state as StateArrays
}

/** Finds a negative value where only squares can sit: variances, Adam's v. */
function checkSigns(state: StateArrays, spec: Spec): ErrorDetail[] {
  const details: ErrorDetail[] = []
  const scaling = state.scaling
  const variance = scaling.subarray(scaling.length / 2)
  const column = variance.findIndex((v) => v < 0)
  if (column >= 0) {
    const at = scaling.length / 2 + column
    details.push({
      path: ['arrays', 'scaling', at],
      message: `model scaling[${at}], the running variance of input ${column}, is ` +
        `${variance[column]}; a variance is never negative, so the file was edited`,
    })
  }
  if (spec.kind === 'mlp' && spec.optimizer.name === 'adam') {
    const moments = state.optimizerState
    const half = moments.length / 2
    const i = moments.subarray(half).findIndex((v) => v < 0)
    if (i >= 0) {
      details.push({
        path: ['arrays', 'optimizerState', half + i],
        message: `model optimizerState[${half + i}], Adam's second moment of parameter ` +
          `${i}, is ${moments[half + i]}; a mean of squares is never negative, ` +
          'so the file was edited',
      })
    }
  }
  return details
}
