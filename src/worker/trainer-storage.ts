/**
 * The authoritative copy of one model inside its Durable Object's storage.
 * Keys written together without an await between them commit atomically,
 * so a version, its history entry and its idempotency record land together.
 *
 *   head             { tenant, record, kept }: the current record, and the
 *                    kept versions, oldest first (the last is current)
 *   v/<version>/<n>  chunk n of that version's model file (a stored value
 *                    is limited to 2 MiB; a model may be larger)
 *   tombstone        { tenant, id } of a deleted model whose KV keys are
 *                    still to be removed
 *   published        { at }: when the last KV write started
 *   idem/...         idempotency records (idempotency.ts)
 *
 * The first trainer kept one version: `head` { tenant, record, chunks,
 * bytes } and `blob/<n>`. Such a model moves to this layout when read.
 */
import type { ModelAddress, ModelRecord, VersionInfo } from './model-record.ts'
import { versionInfo } from './version-history.ts'

/** Sizes each stored chunk: 1 MiB, under the 2 MiB value limit. */
export const CHUNK_BYTES = 1 << 20

/** Holds the model state a trainer keeps: the current version and its history. */
export interface StoredModel {
  tenant: string
  record: ModelRecord
  kept: VersionInfo[]
  blob: Uint8Array
}

/** Holds everything a trainer reads when it starts. */
export interface TrainerState {
  model: StoredModel | null
  tombstone: ModelAddress | null
  publishedAt: number
}

type Head = Omit<StoredModel, 'blob'>

interface LegacyHead {
  tenant: string
  record: ModelRecord
  chunks: number
  bytes: number
}

const chunkKey = (version: number, index: number) => `v/${version}/${index}`

/** Counts the chunks a blob of `bytes` occupies. */
export function chunkCount(bytes: number): number {
  return Math.ceil(bytes / CHUNK_BYTES)
}

/** Splits a version's model file into its storage entries. */
function chunkEntries(version: number, blob: Uint8Array): Record<string, Uint8Array> {
  const entries: Record<string, Uint8Array> = {}
  for (let i = 0; i < chunkCount(blob.byteLength); i++) {
    entries[chunkKey(version, i)] = blob.slice(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES)
  }
  return entries
}

/** Reads what a trainer stored: its model, a pending deletion, the last publish. */
export async function readTrainer(storage: DurableObjectStorage): Promise<TrainerState> {
  const found = await storage.get(['head', 'tombstone', 'published'])
  const head = found.get('head') as Head | LegacyHead | undefined
  const tombstone = (found.get('tombstone') as ModelAddress | undefined) ?? null
  const published = found.get('published') as { at: number } | undefined
  const publishedAt = published?.at ?? Number.NEGATIVE_INFINITY
  if (!head) return { model: null, tombstone, publishedAt }
  if (!('kept' in head)) {
    return { model: await migrateLegacy(storage, head), tombstone, publishedAt }
  }
  const current = head.kept[head.kept.length - 1]
  const blob = await readVersionBlob(storage, current)
  return { model: { ...head, blob }, tombstone, publishedAt }
}

/** Reads the model file of one kept version. */
export async function readVersionBlob(
  storage: DurableObjectStorage,
  info: VersionInfo,
): Promise<Uint8Array> {
  const count = chunkCount(info.bytes)
  const keys = Array.from({ length: count }, (_, i) => chunkKey(info.version, i))
  return readChunks(storage, keys, info.bytes)
}

/** Joins the chunks stored under `keys` into one blob of `bytes`. */
async function readChunks(
  storage: DurableObjectStorage,
  keys: string[],
  bytes: number,
): Promise<Uint8Array> {
  const chunks = keys.length > 0 ? await storage.get<Uint8Array>(keys) : new Map()
  const blob = new Uint8Array(bytes)
  let offset = 0
  for (const key of keys) {
    const chunk = chunks.get(key)
    if (!chunk) throw new Error(`trainer storage lacks ${key} of ${keys.length} chunks`)
    blob.set(chunk, offset)
    offset += chunk.byteLength
  }
  return blob
}

/** Moves a model the first trainer stored (one version) to the versioned layout. */
async function migrateLegacy(
  storage: DurableObjectStorage,
  head: LegacyHead,
): Promise<StoredModel> {
  const legacyKeys = Array.from({ length: head.chunks }, (_, i) => `blob/${i}`)
  const blob = await readChunks(storage, legacyKeys, head.bytes)
  const change = head.record.version === 0 ? 'create' : 'train'
  const kept = [versionInfo(head.record, change, head.bytes)]
  const { tenant, record } = head
  const entries = { head: { tenant, record, kept }, ...chunkEntries(record.version, blob) }
  await Promise.all([storage.put(entries), storage.delete(legacyKeys)])
  return { tenant, record, kept, blob }
}

/** Describes one atomic commit of a new current version. */
export interface VersionWrite {
  model: StoredModel
  /** Versions that fell out of the history: their chunks are deleted. */
  dropped: VersionInfo[]
  /** More keys to write in the same batch (idempotency records). */
  extra?: Record<string, unknown>
  /** When the alarm that publishes this version should fire (null: it is set). */
  alarmAt: number | null
}

/** Writes a new current version, its history and its alarm, in one batch. */
export async function writeVersion(
  storage: DurableObjectStorage,
  { model, dropped, extra = {}, alarmAt }: VersionWrite,
): Promise<void> {
  const { tenant, record, kept, blob } = model
  const chunks = chunkEntries(record.version, blob)
  const entries = { ...extra, head: { tenant, record, kept }, ...chunks }
  const stale = ['tombstone']
  for (const info of dropped) {
    for (let i = 0; i < chunkCount(info.bytes); i++) stale.push(chunkKey(info.version, i))
  }
  // no await until every call is made, so they commit as one
  const writes = [storage.put(entries), storage.delete(stale)]
  if (alarmAt !== null) writes.push(storage.setAlarm(alarmAt))
  await Promise.all(writes)
}

/** Forgets the model, leaving a tombstone until its KV keys are removed. */
export async function writeTombstone(
  storage: DurableObjectStorage,
  tombstone: ModelAddress,
  alarmAt: number,
): Promise<void> {
  // deleteAll may remove the alarm too, so it is always set again
  await Promise.all([
    storage.deleteAll(),
    storage.put('tombstone', tombstone),
    storage.setAlarm(alarmAt),
  ])
}

/** Removes the last keys of a deleted model, once KV no longer holds it. */
export async function clearTombstone(storage: DurableObjectStorage): Promise<void> {
  await Promise.all([storage.delete(['tombstone', 'published']), storage.deleteAlarm()])
}

/** Records when a KV write started, so pacing survives a restart. */
export async function recordPublish(storage: DurableObjectStorage, at: number): Promise<void> {
  await storage.put('published', { at })
}
