/**
 * Decoded networks kept in the isolate for predict, keyed by tenant and id,
 * each tagged with the version it holds. An entry checked against KV less
 * than MODEL_CACHE_SECONDS ago is used without any read; an older one costs
 * one small read of the record, and a decode only when the version moved.
 */
import { Network } from '../core/index.ts'
import { ensureCore } from './core-loader.ts'
import type { ModelStore } from './model-store.ts'
import { missingModel } from './model-record.ts'

interface Entry {
  version: number
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

  /** Stores `net` as `key` at `version`, evicting the oldest entry when full. */
  set(key: string, version: number, net: Network, now: number): void {
    this.entries.delete(key)
    this.entries.set(key, { version, net, checkedAt: now })
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string
      this.entries.delete(oldest)
    }
  }

  /** Forgets `key`, after a change made through this isolate. */
  delete(key: string): void {
    this.entries.delete(key)
  }

  /** Counts the cached networks. */
  get size(): number {
    return this.entries.size
  }
}

/** Holds this isolate's decoded networks. */
export const modelCache = new ModelCache()

/** Names a model in the cache: tenant and id. */
export function cacheKey(tenant: string, id: string): string {
  return `${tenant}/${id}`
}

/**
 * Returns model `id` as a network, from the cache when it is fresh or its
 * version is still current, else from KV (then cached).
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
  if (record && hit && hit.version === record.version) {
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
  modelCache.set(key, blob.version, net, now)
  return { net, version: blob.version }
}
