/**
 * The one error type the library throws for anything a caller can fix.
 *
 * `code` says which input was wrong; `errors` lists every problem found,
 * each with the path of the field (`['x', 3]`, `['layers', 1, 'units']`)
 * and a message that says what was received and what was expected.
 */
import type { ZodError } from 'zod'

/** What kind of input was refused. */
export type ErrorCode =
  | 'invalid-spec' // the model spec (or an option that only fits another kind of model)
  | 'invalid-data' // x, y, train options or weights passed to a method
  | 'non-finite' // training diverged; the network was left as it was
  | 'invalid-model' // a binary model blob that cannot be read

/** One problem with one field. */
export interface ErrorDetail {
  path: (string | number)[]
  message: string
}

/** Reports a refused input with the path and a fix for each problem. */
export class EdgepropError extends Error {
  readonly code: ErrorCode
  readonly errors: ErrorDetail[]

  constructor(code: ErrorCode, errors: ErrorDetail[] | string) {
    const list = typeof errors === 'string' ? [{ path: [], message: errors }] : errors
    super(summarize(list))
    this.name = 'EdgepropError'
    this.code = code
    this.errors = list
  }
}

/** Joins the first few messages into one line for `error.message`. */
function summarize(errors: ErrorDetail[]): string {
  const shown = errors.slice(0, 3).map((e) => e.message)
  const more = errors.length - shown.length
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ')
}

/** Formats a path the way a reader writes it: `layers[1].units`, `x[3][0]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let text = ''
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`
    else text += text === '' ? part : `.${part}`
  }
  return text
}

/** Describes a received value briefly for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'null'
  if (typeof value === 'string') {
    const cut = value.length > 40 ? `${value.slice(0, 40)}…` : value
    return `the string ${JSON.stringify(cut)}`
  }
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value)
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** Maps zod's issues to paths and messages that name the field of `subject`. */
export function zodIssues(error: ZodError, subject = 'spec'): ErrorDetail[] {
  const details: ErrorDetail[] = []
  for (const issue of error.issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const field = formatPath([...path, key])
        const message = `${field} is not a ${subject} field; remove it`
        details.push({ path: [...path, key], message })
      }
      continue
    }
    const name = path.length === 0 ? subject : formatPath(path)
    details.push({ path, message: `${name} ${issue.message}` })
  }
  return details
}
