/**
 * Errors as RFC 9457 problem details (`application/problem+json`):
 * `{ type, title, status, detail, errors: [{ path, message }] }`.
 * Every refusal the API makes goes through `ApiProblem`.
 */

/** Names one bad field by its path in the request and says what is wrong. */
export interface ProblemField {
  path: (string | number)[]
  message: string
}

/** Holds the JSON body of a problem response. */
export interface ProblemBody {
  type: string
  title: string
  status: number
  detail: string
  errors: ProblemField[]
}

/** Lists every kind of problem with its status and title. */
export const PROBLEM_KINDS = {
  'malformed-json': { status: 400, title: 'Malformed JSON' },
  'missing-body': { status: 400, title: 'Missing body' },
  'unsupported-media-type': { status: 415, title: 'Unsupported content type' },
  'invalid-request': { status: 422, title: 'Invalid request' },
  'invalid-spec': { status: 422, title: 'Invalid model spec' },
  'invalid-data': { status: 422, title: 'Invalid data' },
  'non-finite': { status: 422, title: 'Training diverged' },
  'invalid-model': { status: 422, title: 'Invalid model file' },
  'limit-exceeded': { status: 422, title: 'Limit exceeded' },
  'payload-too-large': { status: 413, title: 'Payload too large' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency key reused' },
  'not-configured': { status: 503, title: 'Not configured' },
  internal: { status: 500, title: 'Internal server error' },
} as const

/** Names a kind of problem. */
export type ProblemKind = keyof typeof PROBLEM_KINDS

/** Prefixes every problem `type`; the suffix is the kind. */
export const PROBLEM_TYPE_BASE = 'urn:edgeprop:problem:'

/** Carries a problem from wherever it is found to the error handler. */
export class ApiProblem extends Error {
  readonly body: ProblemBody

  constructor(body: ProblemBody) {
    super(body.detail)
    this.name = 'ApiProblem'
    this.body = body
  }
}

/** Builds the body of a problem of a known kind. */
export function problemBody(
  kind: ProblemKind,
  detail: string,
  errors: ProblemField[] = [],
): ProblemBody {
  const { status, title } = PROBLEM_KINDS[kind]
  return { type: PROBLEM_TYPE_BASE + kind, title, status, detail, errors }
}

/** Creates a throwable problem of a known kind. */
export function problem(
  kind: ProblemKind,
  detail: string,
  errors: ProblemField[] = [],
): ApiProblem {
  return new ApiProblem(problemBody(kind, detail, errors))
}

/** Renders a problem as an `application/problem+json` response. */
export function problemResponse(body: ProblemBody, headers?: HeadersInit): Response {
  const response = new Response(JSON.stringify(body), {
    status: body.status,
    headers,
  })
  response.headers.set('Content-Type', 'application/problem+json')
  return response
}

/** Formats a path the way a reader writes it: `spec.layers[1].units`, `x[3][0]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let text = ''
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`
    else text += text === '' ? part : `.${part}`
  }
  return text || 'the body'
}

/** Summarises the first few field messages into one `detail` line. */
export function summarize(errors: readonly ProblemField[]): string {
  const shown = errors.slice(0, 3).map((e) => e.message)
  const more = errors.length - shown.length
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ')
}
