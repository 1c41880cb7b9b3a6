/**
 * Decoded networks kept in the isolate for predict, keyed by tenant and id,
 * each tagged with the version it holds and when its model was created (a
 * model deleted and created again starts over at version 0). An entry
 * checked against KV less than MODEL_CACHE_SECONDS ago is used without any
 * read; an older one costs one small read of the record, and a decode only
 * when the model changed. The entries' wasm memory together stays within
 * MODEL_CACHE_BYTES.
 */
import { Network } from '../core/index.ts'
import { ensureCore } from './core-loader.ts'
import type { ModelStore } from './model-store.ts'
import { missingModel } from './model-record.ts'

interface Entry {
  version: number
  createdAt: string
  net: Network
  checkedAt: number
}

/** Keeps at most `maxEntries` networks, dropping the least recently used. */
export class ModelCache {
  private readonly entries = new Map<string, Entry>()

  constructor(private readonly maxEntries = 32) {}

  /** Returns the entry for `key` and marks it recently used. */
  get(key: string): Entry | undefined {
    const entry = this.entries.get(key)
    if (entry) {
      this.entries.delete(key)
      this.entries.set(key, entry)
    }
    return entry
  }

  /** Stores `entry` as `key`, evicting the oldest entries when full. */
  set(key: string, entry: Entry): void {
    this.entries.delete(key)
    this.entries.set(key, entry)
    while (this.entries.size > this.maxEntries) this.dropOldest()
  }

  /**
   * Drops the least recently used entries until their wasm memory adds up
   * to at most `maxBytes`; an entry larger than that alone goes too. Call
   * it after a network served a call, since a call can grow its memory.
   */
  fit(maxBytes: number): void {
    let total = this.bytes
    while (total > maxBytes && this.entries.size > 0) total -= this.dropOldest()
  }

  /** Forgets `key`, after a change made through this isolate. */
  delete(key: string): void {
    this.entries.delete(key)
  }

  /** Counts the cached networks. */
  get size(): number {
    return this.entries.size
  }

  /** Adds up the wasm memory of the cached networks. */
  get bytes(): number {
    let total = 0
    for (const entry of this.entries.values()) total += entry.net.memoryBytes
    return total
  }

  // drops the least recently used entry; returns the bytes it held
  private dropOldest(): number {
    const [key, entry] = this.entries.entries().next().value as [string, Entry]
    this.entries.delete(key)
    return entry.net.memoryBytes
  }
}

/** Holds this isolate's decoded networks. */
export const modelCache = new ModelCache()

/** Names a model in the cache: tenant and id. */
export function cacheKey(tenant: string, id: string): string {
  return `${tenant}/${id}`
}

/**
 * Returns model `id` as a network, from the cache when it is fresh or the
 * model is still at its version, else from KV (then cached).
 */
export async function networkFor(
  store: ModelStore,
  tenant: string,
  id: string,
  maxAgeMs: number,
  now = Date.now(),
): Promise<{ net: Network; version: number }> {
  const key = cacheKey(tenant, id)
  const hit = modelCache.get(key)
  if (hit && now - hit.checkedAt < maxAgeMs) return hit
  const record = await store.getRecord(id)
  const same = hit && hit.version === record?.version && hit.createdAt === record.createdAt
  if (same) {
    hit.checkedAt = now
    return hit
  }
  const blob = record ? await store.getBlob(id) : null
  if (!record || !blob) {
    modelCache.delete(key)
    throw missingModel(id)
  }
  await ensureCore()
  const net = await Network.fromBytes(blob.bytes)
  const entry = { version: blob.version, createdAt: record.createdAt, net, checkedAt: now }
  modelCache.set(key, entry)
  return entry
}
