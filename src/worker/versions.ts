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
 * Checks an `If-Match` header against the current version (null when there
 * is no model); returns a 412 problem when it fails, or undefined when the
 * change may go. As RFC 9110 asks: `*` matches any current model, a list
 * of `"N"` tags matches by strong comparison (so `W/"N"` never matches),
 * and no tag matches a model that does not exist (`creates`: the change
 * would have made it, so leaving If-Match out is the fix).
 */
export function checkIfMatch(
  header: string | undefined,
  version: number | null,
  creates = false,
): ProblemBody | undefined {
  if (header === undefined) return undefined
  const tags = header.split(',').map((tag) => tag.trim())
  if (version !== null && (tags.includes('*') || tags.includes(etag(version)))) return undefined
  return problemBody('precondition-failed', failure(header, tags, version, creates), [
    {
      path: ['headers', 'if-match'],
      message: version === null ? 'expected no If-Match' : `expected ${etag(version)}`,
    },
  ])
}

function failure(
  header: string, tags: string[], version: number | null, creates: boolean,
): string {
  if (version === null) {
    const fix = creates ? 'leave If-Match out to create it, or check the id' : 'check the id'
    return `If-Match is ${header} but there is no such model; ${fix}.`
  }
  const weak = tags.some((tag) => tag.startsWith('W/'))
  const bare = tags.some((tag) => tag !== '*' && !/^(W\/)?".*"$/.test(tag))
  const why = weak
    ? ' (a weak tag W/"N" never matches: If-Match compares strongly)'
    : bare ? ' (an entity tag is quoted: If-Match: "N", not If-Match: N)' : ''
  return `If-Match is ${header} but the model is at version ${version} ` +
    `(ETag ${etag(version)})${why}; fetch it again, then retry with ` +
    `If-Match: ${etag(version)}.`
}
