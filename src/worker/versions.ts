/**
 * Versions as entity tags: version 7 is the ETag `"7"`, and `If-Match`
 * makes a change apply only to the version the client last saw.
 */
import { type ProblemBody, problemBody } from './problem.ts'

/** Formats a version as a strong entity tag. */
export function etag(version: number): string {
  return `"${version}"`
}

/**
 * Checks an `If-Match` header against the current version; returns a 412
 * problem when it names other versions, or undefined when the change may go.
 * Accepts `*`, and a list of `"N"` or `W/"N"` tags.
 */
export function checkIfMatch(
  header: string | undefined,
  version: number,
): ProblemBody | undefined {
  if (header === undefined || header.trim() === '*') return undefined
  const tags = header.split(',').map((tag) => tag.trim().replace(/^W\//, ''))
  if (tags.includes(etag(version))) return undefined
  return problemBody(
    'precondition-failed',
    `If-Match is ${header} but the model is at version ${version} ` +
      `(ETag ${etag(version)}); fetch it again, then retry with ` +
      `If-Match: ${etag(version)}.`,
    [{ path: ['If-Match'], message: `expected ${etag(version)}` }],
  )
}
