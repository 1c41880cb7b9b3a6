/**
 * The authoritative copy of one model inside its Durable Object's storage:
 * the record under `head` and the binary model split into `blob/<n>` chunks
 * (a stored value is limited to 2 MiB, a model may be larger). Keys written
 * together without an await between them commit atomically.
 */
import type { ModelRecord } from './model-record.ts'

/** Sizes each stored chunk: 1 MiB, under the 2 MiB value limit. */
export const CHUNK_BYTES = 1 << 20

/** Holds the model state a trainer keeps. */
export interface StoredModel {
  tenant: string
  record: ModelRecord
  blob: Uint8Array
}

interface Head {
  tenant: string
  record: ModelRecord
  chunks: number
  bytes: number
}

const chunkKey = (index: number) => `blob/${index}`

/** Reads the stored model, or undefined when there is none. */
export async function readModel(storage: DurableObjectStorage): Promise<StoredModel | undefined> {
  const head = await storage.get<Head>('head')
  if (!head) return undefined
  const keys = Array.from({ length: head.chunks }, (_, i) => chunkKey(i))
  const chunks = keys.length > 0 ? await storage.get<Uint8Array>(keys) : new Map()
  const blob = new Uint8Array(head.bytes)
  let offset = 0
  for (const key of keys) {
    const chunk = chunks.get(key)
    if (!chunk) throw new Error(`trainer storage lacks ${key} of ${head.chunks}`)
    blob.set(chunk, offset)
    offset += chunk.byteLength
  }
  return { tenant: head.tenant, record: head.record, blob }
}

/** Writes the model, replacing any previous one, in one atomic batch. */
export async function writeModel(
  storage: DurableObjectStorage,
  model: StoredModel,
  previousChunks: number,
): Promise<void> {
  const chunks = Math.ceil(model.blob.byteLength / CHUNK_BYTES)
  const entries: Record<string, unknown> = {
    head: { tenant: model.tenant, record: model.record, chunks, bytes: model.blob.byteLength },
  }
  for (let i = 0; i < chunks; i++) {
    entries[chunkKey(i)] = model.blob.slice(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES)
  }
  const stale = []
  for (let i = chunks; i < previousChunks; i++) stale.push(chunkKey(i))
  const writes = [storage.put(entries)]
  if (stale.length > 0) writes.push(storage.delete(stale).then(() => undefined))
  await Promise.all(writes)
}

/** Counts the chunks a blob of `bytes` occupies. */
export function chunkCount(bytes: number): number {
  return Math.ceil(bytes / CHUNK_BYTES)
}

/** Deletes everything the trainer stored. */
export async function clearModel(storage: DurableObjectStorage): Promise<void> {
  await storage.deleteAll()
}
