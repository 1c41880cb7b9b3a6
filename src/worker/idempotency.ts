/**
 * Idempotency keys for a trainer: a changing call sent with
 * `Idempotency-Key` is applied once; a retry with the same key and the
 * same request gets the first answer back without being applied again.
 * The record is written in the same storage batch as the change it
 * answers, so a change and its record exist together or not at all.
 *
 *   idem/key/<key>           { operation, fingerprint, at, value }
 *   idem/at/<at>/<key>       an index by time, so expired records are
 *                            found without reading them all
 *
 * Only successful changes are recorded: a refused call changed nothing,
 * so sending it again simply runs it again.
 */
import { problem } from './problem.ts'

/** Keeps a record for 24 hours, long enough for any client's retries. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

interface IdempotencyRecord {
  operation: string
  fingerprint: string
  at: number
  value: unknown
}

const KEY_PREFIX = 'idem/key/'
const TIME_PREFIX = 'idem/at/'
const recordKey = (key: string) => KEY_PREFIX + key
const timeKey = (at: number, key: string) => `${TIME_PREFIX}${String(at).padStart(15, '0')}/${key}`

/**
 * Hashes an operation and its payload (SHA-256, hex), to tell a retry from
 * a new call. Typed arrays (rows packed as f32) are hashed as their bytes,
 * each standing in the JSON as its length.
 */
export async function fingerprint(operation: string, payload: unknown): Promise<string> {
  const arrays: Uint8Array[] = []
  const json = JSON.stringify(payload, (_key, value: unknown) => {
    if (!ArrayBuffer.isView(value)) return value
    arrays.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength))
    return { bytes: value.byteLength }
  })
  const text = new TextEncoder().encode(`${operation}\n${json}\n`)
  const all = new Uint8Array(arrays.reduce((sum, a) => sum + a.length, text.length))
  all.set(text)
  let offset = text.length
  for (const bytes of arrays) {
    all.set(bytes, offset)
    offset += bytes.length
  }
  const digest = await crypto.subtle.digest('SHA-256', all)
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}

/**
 * Returns what an earlier call with `key` answered, or undefined when the
 * key is new (or expired). Throws a 422 when the key was used for another
 * request: reusing a key for different content is a client bug.
 */
export async function findEarlier<T>(
  storage: DurableObjectStorage,
  key: string,
  operation: string,
  print: string,
  now = Date.now(),
): Promise<T | undefined> {
  const found = await storage.get<IdempotencyRecord>(recordKey(key))
  if (!found || found.at < now - IDEMPOTENCY_TTL_MS) return undefined
  if (found.operation === operation && found.fingerprint === print) return found.value as T
  const what = found.operation === operation ? 'with another body' : `for ${found.operation}`
  const detail =
    `Idempotency-Key "${key}" was used ${what} at ${new Date(found.at).toISOString()}; ` +
    'send a new key with a new request, or resend the first request unchanged.'
  const errors = [{ path: ['headers', 'idempotency-key'], message: detail }]
  throw problem('idempotency-key-reused', detail, errors)
}

/** Lists the storage entries that remember a call's answer under `key`. */
export function rememberAnswer(
  key: string,
  operation: string,
  print: string,
  value: unknown,
  now = Date.now(),
): Record<string, unknown> {
  const record: IdempotencyRecord = { operation, fingerprint: print, at: now, value }
  return { [recordKey(key)]: record, [timeKey(now, key)]: key }
}

/**
 * Deletes records older than the TTL, up to `rounds` batches of 64 (one
 * storage call takes at most 128 keys); returns how many. A key reused
 * after it expired keeps its newer record.
 */
export async function pruneExpired(
  storage: DurableObjectStorage,
  now = Date.now(),
  rounds = 4,
): Promise<number> {
  const cutoff = now - IDEMPOTENCY_TTL_MS
  const end = timeKey(cutoff, '')
  let pruned = 0
  for (let round = 0; round < rounds; round++) {
    const expired = await storage.list<string>({ prefix: TIME_PREFIX, end, limit: 64 })
    if (expired.size === 0) break
    const records = [...new Set([...expired.values()].map(recordKey))]
    const current = await storage.get<IdempotencyRecord>(records)
    const stale = records.filter((name) => (current.get(name)?.at ?? 0) < cutoff)
    await storage.delete([...expired.keys(), ...stale])
    pruned += expired.size
  }
  return pruned
}
