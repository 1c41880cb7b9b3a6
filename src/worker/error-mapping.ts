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

/** Converts a failed zod validation of one request part into a 422 problem. */
export function fromZodError(error: ZodError, target: string): ApiProblem {
  const errors = flattenIssues(error.issues as IssueLike[], [])
  const where = TARGET_NAMES[target] ?? 'The request'
  return problem('invalid-request', `${where} is not valid: ${summarize(errors)}`, errors)
}

/**
 * Lists zod issues as fields. For a union that failed every branch, keeps
 * the branch that came closest (fewest issues), so `x` given as rows reports
 * `x[3][1]` rather than "not a single row either".
 */
function flattenIssues(issues: IssueLike[], base: Path): ProblemField[] {
  const fields: ProblemField[] = []
  for (const issue of issues) {
    const path = [...base, ...issue.path.map(toPathPart)]
    const branches = issue.errors?.filter((branch) => branch.length > 0) ?? []
    if (issue.code === 'invalid_union' && branches.length > 0) {
      const closest = branches.reduce((a, b) => (b.length < a.length ? b : a))
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

/**
 * Converts an error of the library into a 422 problem. Spec errors (and a
 * divergence, which names the learning rate) point into `spec`.
 */
export function fromEdgepropError(error: EdgepropError): ApiProblem {
  const aboutSpec = error.code === 'invalid-spec' || error.code === 'non-finite'
  const prefix: Path = aboutSpec ? ['spec'] : []
  const errors = error.errors.map((e) => ({
    path: [...prefix, ...e.path],
    message: e.message,
  }))
  return problem(error.code, summarize(errors), errors)
}

/** Converts an HTTPException raised by Hono or its middleware into a problem. */
export function fromHttpException(error: HTTPException): ApiProblem | Response {
  if (error.status === 415) {
    return problem(
      'unsupported-media-type',
      'The body must be JSON: send it with "Content-Type: application/json".',
    )
  }
  if (error.status === 400 && /JSON/i.test(error.message)) {
    return problem(
      'malformed-json',
      'The body is not valid JSON; check quotes, commas and brackets ' +
        '(NaN and Infinity are not JSON numbers).',
    )
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
