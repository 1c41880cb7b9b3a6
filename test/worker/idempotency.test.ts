/**
 * The idempotency records, on a trainer's real storage: what a retry finds,
 * what a reused key is told, and how expired records are pruned.
 */
import { runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import {
  IDEMPOTENCY_TTL_MS,
  findEarlier,
  fingerprint,
  pruneExpired,
  rememberAnswer,
} from '../../src/worker/idempotency.ts'
import { ApiProblem } from '../../src/worker/problem.ts'
import { trainerFor } from '../../src/worker/trainer-client.ts'
import { testEnv } from './helpers.ts'

const DAY = IDEMPOTENCY_TTL_MS

/** Runs `work` on the storage of a trainer no test uses for a model. */
function withStorage<T>(name: string, work: (storage: DurableObjectStorage) => Promise<T>) {
  const stub = trainerFor(testEnv, 'acme', name)
  return runInDurableObject(stub, (_, state) => work(state.storage))
}

describe('fingerprint', () => {
  it('is the same for the same call and differs by operation or payload', async () => {
    const batch = { x: [[1, 2]], y: [0] }
    const print = await fingerprint('train', batch)
    expect(print).toMatch(/^[0-9a-f]{64}$/)
    expect(await fingerprint('train', { x: [[1, 2]], y: [0] })).toBe(print)
    expect(await fingerprint('rollback', batch)).not.toBe(print)
    expect(await fingerprint('train', { x: [[1, 2]], y: [1] })).not.toBe(print)
  })
})

describe('findEarlier', () => {
  it('finds the same call, refuses another with the key, forgets after a day', async () => {
    await withStorage('idem-find', async (storage) => {
      const now = 1_000_000_000_000
      await storage.put(rememberAnswer('k', 'train', 'aaa', { version: 4 }, now))
      expect(await findEarlier(storage, 'k', 'train', 'aaa', now + 5)).toEqual({ version: 4 })
      expect(await findEarlier(storage, 'other', 'train', 'aaa', now)).toBeUndefined()
      const reused = findEarlier(storage, 'k', 'train', 'bbb', now)
      await expect(reused).rejects.toBeInstanceOf(ApiProblem)
      await expect(reused).rejects.toMatchObject({
        body: { status: 422, errors: [{ path: ['headers', 'idempotency-key'] }] },
      })
      expect(await findEarlier(storage, 'k', 'train', 'aaa', now + DAY + 1)).toBeUndefined()
    })
  })
})

describe('pruneExpired', () => {
  it('deletes records older than a day and keeps a key reused since', async () => {
    await withStorage('idem-prune', async (storage) => {
      const now = 2_000_000_000_000
      await storage.put({
        ...rememberAnswer('old', 'train', 'p1', 1, now - DAY - 10),
        ...rememberAnswer('reused', 'train', 'p2', 2, now - DAY - 5),
        ...rememberAnswer('young', 'train', 'p3', 3, now - 1000),
      })
      // "reused" was sent again an hour ago: its newer record stays
      await storage.put(rememberAnswer('reused', 'train', 'p4', 4, now - 3_600_000))
      expect(await pruneExpired(storage, now)).toBe(2)
      const left = [...(await storage.list({ prefix: 'idem/key/' })).keys()]
      expect(left).toEqual(['idem/key/reused', 'idem/key/young'])
      expect(await findEarlier(storage, 'reused', 'train', 'p4', now)).toBe(4)
      expect(await pruneExpired(storage, now)).toBe(0)
    })
  })

  it('works through a backlog 64 records at a time, `rounds` batches per call', async () => {
    await withStorage('idem-backlog', async (storage) => {
      const now = 3_000_000_000_000
      for (let start = 0; start < 300; start += 50) {
        // 50 records are 100 keys; one put takes at most 128
        const entries = {}
        for (let i = start; i < start + 50; i++) {
          Object.assign(entries, rememberAnswer(`k${i}`, 'train', 'p', i, now - DAY - 1000 + i))
        }
        await storage.put(entries)
      }
      expect(await pruneExpired(storage, now)).toBe(256)
      expect(await pruneExpired(storage, now)).toBe(44)
      expect((await storage.list({ prefix: 'idem/' })).size).toBe(0)
    })
  })
})
