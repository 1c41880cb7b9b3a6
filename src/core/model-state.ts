/**
 * Checks what a decoded model blob holds before a Network loads it: the
 * stored spec must be complete and valid, and each state array must have
 * the length the spec implies and hold only finite values.
 */
import { EdgepropError, formatPath, zodIssues, type ErrorDetail } from './errors.ts'
import { specSchema, type Spec } from './spec.ts'

/** The state arrays of a model, by the names the format stores them under. */
export interface StateArrays {
  parameters: Float32Array
  optimizerState: Float32Array
  scaling: Float32Array
}

/** Validates a stored spec; unlike a new one, it must carry its seed. */
export function parseStoredSpec(stored: unknown): Spec {
  const result = specSchema.safeParse(stored)
  if (!result.success) {
    throw new EdgepropError('invalid-model', prefix(zodIssues(result.error)))
  }
  if (result.data.seed === undefined) {
    throw new EdgepropError('invalid-model', [{
      path: ['header', 'spec', 'seed'],
      message: 'model header spec has no seed; a saved model always records its seed',
    }])
  }
  return result.data as Spec
}

function prefix(details: ErrorDetail[]): ErrorDetail[] {
  return details.map((d) => ({
    path: ['header', 'spec', ...d.path],
    message: `model spec is not valid: ${d.message}`,
  }))
}

/** Checks each state array's presence, length and finiteness against the spec's needs. */
export function checkStoredArrays(
  arrays: Map<string, Float32Array>,
  lengths: { [name in keyof StateArrays]: number },
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
  if (details.length > 0) throw new EdgepropError('invalid-model', details)
  return state as StateArrays
}
