/**
 * Turns what the validators, the library and Hono throw into problems, so
 * every refusal has the same shape and names the field at fault.
 */
import type { ZodError } from 'zod'
import { HTTPException } from 'hono/http-exception'
import { EdgepropError } from '../core/index.ts'
import {
  type ApiProblem,
  type ProblemField,
  formatPath,
  problem,
  summarize,
} from './problem.ts'

type Path = (string | number)[]
interface IssueLike {
  code: string
  path: PropertyKey[]
  message: string
  errors?: IssueLike[][]
  keys?: string[]
}

/** Describes where a validator looked, for the `detail` line. */
const TARGET_NAMES: Record<string, string> = {
  json: 'The JSON body',
  query: 'The query string',
  param: 'The URL',
  header: 'A header',
}

/**
 * Prefixes the fields of each request part, so a path says where to look:
 * body fields stand alone (`x`, `spec.layers`), the rest are `path.id`,
 * `query.limit`, `headers.if-match`.
 */
const TARGET_PATHS: Record<string, Path> = {
  json: [],
  query: ['query'],
  param: ['path'],
  header: ['headers'],
}

/** Converts a failed zod validation of one request part into a 422 problem. */
export function fromZodError(error: ZodError, target: string): ApiProblem {
  const base = TARGET_PATHS[target] ?? []
  const errors = flattenIssues(error.issues as IssueLike[], base)
  const where = TARGET_NAMES[target] ?? 'The request'
  return problem('invalid-request', `${where} is not valid: ${summarize(errors)}`, errors)
}

/**
 * Lists zod issues as fields. For a union that failed every branch, keeps
 * the closest branch that took the value's type (fewest issues), so `y`
 * given as rows reports `y[3][1]` rather than "not a single label either";
 * when every branch refused the value as a whole, the union's own message
 * names them all.
 */
function flattenIssues(issues: IssueLike[], base: Path): ProblemField[] {
  const fields: ProblemField[] = []
  for (const issue of issues) {
    const path = [...base, ...issue.path.map(toPathPart)]
    const branches = issue.errors?.filter((branch) => branch.length > 0) ?? []
    // a branch whose issues lie inside the value took its type; when none
    // did, the value itself is wrong and the union's message says what fits
    const inside = branches.filter((branch) => branch.some((i) => i.path.length > 0))
    if (issue.code === 'invalid_union' && inside.length > 0) {
      const closest = inside.reduce((a, b) => (b.length < a.length ? b : a))
      fields.push(...flattenIssues(closest, path))
      continue
    }
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      fields.push(...unknownKeys(path, issue.keys))
      continue
    }
    const message = issue.message.replace(/^Invalid input: /, '')
    fields.push({ path, message: `${formatPath(path)}: ${message}` })
  }
  return fields
}

function unknownKeys(base: Path, keys: string[]): ProblemField[] {
  return keys.map((key) => {
    const path = [...base, key]
    return { path, message: `${formatPath(path)} is not a known field; remove it` }
  })
}

function toPathPart(part: PropertyKey): string | number {
  return typeof part === 'number' ? part : String(part)
}

/** Names the counters a model keeps: paths of the library that are no request field. */
const COUNTER_ROOTS = new Set(['version', 'stats', 'optimizerSteps', 'scalingCount'])

/**
 * Converts an error of the library into a 422 problem. Spec errors (and a
 * divergence, which names the learning rate) point into `spec`; a model
 * file's fields point into the uploaded `body`; a counter that would pass
 * its bound points at the model (`path.id`), the thing a client replaces.
 */
export function fromEdgepropError(error: EdgepropError): ApiProblem {
  const aboutSpec = error.code === 'invalid-spec' || error.code === 'non-finite'
  const prefix: Path = aboutSpec ? ['spec'] : error.code === 'invalid-model' ? ['body'] : []
  const errors = error.errors.map((e) => ({
    path: requestPath(prefix, e.path),
    message: e.message,
  }))
  // a value that fails two checks alike (2^53 is neither ≤ 2^48 nor safe) is listed once
  const key = (e: ProblemField) => `${formatPath(e.path)}\n${e.message}`
  const unique = errors.filter((e, i) => errors.findIndex((o) => key(o) === key(e)) === i)
  const detail = summarize(unique)
  return problem(error.code, error.code === 'non-finite' ? `${detail}.${RESPEC}` : detail, unique)
}

// a stored model's spec is fixed, so say how a client changes it anyway
const RESPEC =
  ' A model keeps the spec it was created with: to go on at another setting, create a ' +
  'Network with it, setWeights(getWeights()) of this model (from GET .../weights), ' +
  'and PUT its toBytes() to .../weights, or create a new model.'

function requestPath(prefix: Path, path: readonly (string | number)[]): Path {
  if (prefix.length === 0 && COUNTER_ROOTS.has(String(path[0]))) return ['path', 'id']
  return [...prefix, ...path]
}

/** Converts an HTTPException raised by Hono or its middleware into a problem. */
export function fromHttpException(error: HTTPException): ApiProblem | Response {
  if (error.status === 415) {
    const detail = 'The body must be JSON: send it with "Content-Type: application/json".'
    return problem('unsupported-media-type', detail, [
      { path: ['headers', 'content-type'], message: 'expected application/json' },
    ])
  }
  if (error.status === 400 && /JSON/i.test(error.message)) {
    const detail =
      'The body is not valid JSON; check quotes, commas and brackets ' +
      '(NaN and Infinity are not JSON numbers).'
    return problem('malformed-json', detail, [{ path: ['body'], message: detail }])
  }
  return error.getResponse()
}

/** Tells whether a thrown value is the library's error (across module copies). */
export function isEdgepropError(error: unknown): error is EdgepropError {
  return (
    error instanceof EdgepropError ||
    (error instanceof Error && error.name === 'EdgepropError' && 'errors' in error)
  )
}
