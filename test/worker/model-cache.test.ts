/**
 * The isolate's cache of decoded networks for predict (model-cache.ts):
 * a warm predict reads nothing from KV, asks no trainer and decodes
 * nothing; a stale entry costs one read of the record and no decode while
 * the version holds; a model deleted and created again is not taken for
 * the old one at the same version; the cache key holds the tenant; the
 * cached networks' memory stays within MODEL_CACHE_BYTES. The Worker's own
 * fetch handler runs with the real KV and Durable Object bindings, each
 * wrapped to count the calls that reach it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Network } from '../../src/core/index.ts'
import type { Env } from '../../src/worker/env.ts'
import { cacheKey, modelCache } from '../../src/worker/model-cache.ts'
import {
  IRIS_X,
  createModel,
  irisSpec,
  published,
  send,
  testEnv,
  withVars,
} from './helpers.ts'
import { ACME_TOKEN, BETA_TOKEN } from './tokens.ts'

/** Wraps a binding so every method call on it is listed as `name first-argument`. */
function counted<T extends object>(binding: T): { binding: T; calls: string[] } {
  const calls: string[] = []
  const wrapped = new Proxy(binding, {
    get(target, name) {
      const value = Reflect.get(target, name, target)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        calls.push(`${String(name)} ${String(args[0])}`)
        return value.apply(target, args)
      }
    },
  })
  return { binding: wrapped, calls }
}

/** Predicts IRIS_X with model `id` through the Worker, listing its calls to KV and trainers. */
async function predict(id: string, token: string, vars: Partial<Env> = {}) {
  const kv = counted(testEnv.MODELS)
  const trainer = counted(testEnv.TRAINER)
  const bindings = { ...vars, MODELS: kv.binding, TRAINER: trainer.binding }
  const response = await withVars(bindings, `/v1/models/${id}/predict`, {
    method: 'POST',
    body: JSON.stringify({ x: IRIS_X }),
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  })
  expect(response.status).toBe(200)
  const body = (await response.json()) as { version: number; outputs: number[][] }
  return { ...body, reads: { kv: kv.calls, trainer: trainer.calls } }
}

/** Answers what the model's trainer predicts: the tenant's own model, uncached. */
async function strongOutputs(id: string, token: string) {
  const path = `/v1/models/${id}/predict?consistency=strong`
  const response = await send('POST', path, { x: IRIS_X }, token)
  return ((await response.json()) as { outputs: number[][] }).outputs
}

// an entry is used without a look at KV for this long; the tests take less
const LONG = { MODEL_CACHE_SECONDS: '600' }

afterEach(() => {
  vi.restoreAllMocks()
})

describe('a warm predict', () => {
  it('reads nothing from KV, asks no trainer and decodes nothing', async () => {
    await createModel('warm')
    await published('warm')
    const decode = vi.spyOn(Network, 'fromBytes')

    const cold = await predict('warm', ACME_TOKEN, LONG)
    expect(cold.reads.kv).toEqual([
      'get tenant/acme/meta/warm',
      'getWithMetadata tenant/acme/blob/warm',
    ])
    expect(decode).toHaveBeenCalledTimes(1)

    for (let call = 0; call < 3; call++) {
      const warm = await predict('warm', ACME_TOKEN, LONG)
      expect(warm.reads).toEqual({ kv: [], trainer: [] })
      expect(warm.outputs).toEqual(cold.outputs)
    }
    expect(decode).toHaveBeenCalledTimes(1)
  })

  it('past MODEL_CACHE_SECONDS reads the record once and decodes nothing', async () => {
    await createModel('stale')
    await published('stale')
    const seconds = { MODEL_CACHE_SECONDS: '1' }
    await predict('stale', ACME_TOKEN, seconds)
    const decode = vi.spyOn(Network, 'fromBytes')
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const checked = await predict('stale', ACME_TOKEN, seconds)
    expect(checked.reads).toEqual({ kv: ['get tenant/acme/meta/stale'], trainer: [] })
    expect(decode).not.toHaveBeenCalled()
    // checked just now, so the next one is warm again
    expect((await predict('stale', ACME_TOKEN, seconds)).reads.kv).toEqual([])
  })
})

describe('the cache key', () => {
  it('holds the tenant: two tenants with a model "twin" each get their own', async () => {
    await createModel('twin', irisSpec({ seed: 7 }), ACME_TOKEN)
    await createModel('twin', irisSpec({ seed: 8 }), BETA_TOKEN)
    await published('twin', 'acme')
    await published('twin', 'beta')
    const acme = await strongOutputs('twin', ACME_TOKEN)
    const beta = await strongOutputs('twin', BETA_TOKEN)
    expect(beta).not.toEqual(acme)

    const decode = vi.spyOn(Network, 'fromBytes')
    for (let round = 0; round < 2; round++) {
      expect((await predict('twin', ACME_TOKEN, LONG)).outputs).toEqual(acme)
      expect((await predict('twin', BETA_TOKEN, LONG)).outputs).toEqual(beta)
    }
    // one decode per tenant: each is cached apart from the other
    expect(decode).toHaveBeenCalledTimes(2)
  })
})

describe('a model deleted and created again', () => {
  it('is decoded anew, though it is back at the version the cache holds', async () => {
    await createModel('again', irisSpec({ seed: 1 }))
    await published('again')
    const seconds = { MODEL_CACHE_SECONDS: '1' }
    await predict('again', ACME_TOKEN, seconds)
    // another isolate still holds version 0 of the first model
    const old = modelCache.get(cacheKey('acme', 'again'))!
    expect(old.version).toBe(0)

    expect((await send('DELETE', '/v1/models/again', undefined)).status).toBe(204)
    await createModel('again', irisSpec({ seed: 2 }))
    await published('again')
    const fresh = await strongOutputs('again', ACME_TOKEN)
    modelCache.set(cacheKey('acme', 'again'), { ...old, checkedAt: 0 })

    const served = await predict('again', ACME_TOKEN, seconds)
    expect(served.version).toBe(0)
    expect(served.outputs).toEqual(fresh)
  })
})

describe('the memory of cached networks', () => {
  it('stays within MODEL_CACHE_BYTES, dropping the least recently used', async () => {
    await createModel('room-a', irisSpec({ seed: 3 }))
    await createModel('room-b', irisSpec({ seed: 4 }))
    await published('room-a')
    await published('room-b')
    await predict('room-a', ACME_TOKEN, LONG)
    const one = modelCache.get(cacheKey('acme', 'room-a'))!.net.memoryBytes
    // room for one iris model's memory, not two
    const vars = { ...LONG, MODEL_CACHE_BYTES: String(one + one / 2) }
    await predict('room-a', ACME_TOKEN, vars)
    await predict('room-b', ACME_TOKEN, vars)
    expect(modelCache.get(cacheKey('acme', 'room-a'))).toBeUndefined()
    expect(modelCache.get(cacheKey('acme', 'room-b'))).toBeDefined()
    expect(modelCache.bytes).toBeLessThanOrEqual(one + one / 2)

    // a budget smaller than one model keeps none, yet predict still answers
    const tight = { ...LONG, MODEL_CACHE_BYTES: String(one - 1) }
    const answer = await predict('room-b', ACME_TOKEN, tight)
    expect(answer.outputs).toEqual(await strongOutputs('room-b', ACME_TOKEN))
    expect(modelCache.get(cacheKey('acme', 'room-b'))).toBeUndefined()
  })
})
