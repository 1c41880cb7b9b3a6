/**
 * The version inside a model file. The trainer's record is the one source
 * of truth for a model's version (its ETag); the header of every file it
 * stores or serves is rewritten to say the same, so GET weights, the ETag
 * and the counting of later trains never disagree.
 */
import { decodeModel, encodeModel } from '../core/model-format.ts'

/**
 * Returns `blob` with its header's version set to `version`: the same
 * bytes when it already says so, else a re-encoded copy with a new
 * checksum. Throws the library's invalid-model error for a damaged file.
 */
export function stampVersion(blob: Uint8Array, version: number): Uint8Array {
  const { header, arrays } = decodeModel(blob)
  if (header.version === version) return blob
  const { arrays: _listed, ...rest } = header
  return encodeModel({ ...rest, version }, Object.fromEntries(arrays))
}
