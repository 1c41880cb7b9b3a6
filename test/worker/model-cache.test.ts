/**
 * The isolate's cache of decoded networks for predict (model-cache.ts):
 * a warm predict reads nothing from KV, asks no trainer and decodes
 * nothing; a stale entry costs one read of the record and no decode while
 * the version holds; the cache key holds the tenant. The Worker's own
 * fetch handler runs with the real KV and Durable Object bindings, each
 * wrapped to count the calls that reach it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Network } from '../../src/core/index.ts'
import type { Env } from '../../src/worker/env.ts'
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
