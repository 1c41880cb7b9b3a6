/**
 * A model's history: the last KEEP_VERSIONS versions, each with how it came
 * to be, its training stats and the size of its model file. Rollback makes
 * a kept version current again under a new version number, so versions only
 * ever move forward and an If-Match taken before a rollback fails after it.
 */
import type { ModelRecord, VersionChange, VersionInfo } from './model-record.ts'
import { problem } from './problem.ts'

/** Describes `record` as an entry of the history. */
export function versionInfo(
  record: ModelRecord,
  change: VersionChange,
  bytes: number,
  from?: number,
): VersionInfo {
  const info: VersionInfo = {
    version: record.version,
    change,
    stats: { ...record.stats },
    updatedAt: record.updatedAt,
    bytes,
  }
  if (from !== undefined) info.from = from
  return info
}

/**
 * Appends `info` to the history (oldest first) and keeps the last `keep`
 * entries; returns them and the entries that fell out.
 */
export function keepVersion(
  kept: readonly VersionInfo[],
  info: VersionInfo,
  keep: number,
): { kept: VersionInfo[]; dropped: VersionInfo[] } {
  const all = [...kept, info]
  const cut = Math.max(0, all.length - keep)
  return { kept: all.slice(cut), dropped: all.slice(0, cut) }
}

/** Finds a kept version, or throws a 422 naming the versions there are. */
export function findKept(
  kept: readonly VersionInfo[],
  version: number,
  keep: number,
  id: string,
): VersionInfo {
  const found = kept.find((info) => info.version === version)
  if (found) return found
  const list = kept.map((info) => info.version).join(', ')
  const detail =
    `version ${version} is not kept; this model keeps versions ${list} ` +
    `(the last KEEP_VERSIONS = ${keep}). GET /v1/models/${id}/versions lists them.`
  throw problem('invalid-request', detail, [{ path: ['version'], message: detail }])
}
