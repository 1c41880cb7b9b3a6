/**
 * Reads of a model for the routes. By default they use KV (through the
 * isolate's cache for predict): fast at every location, but a change may
 * take a moment to arrive. `?consistency=strong` asks the model's trainer
 * instead, which has every change it has answered. A model KV does not
 * hold yet (created a moment ago) is looked up in its trainer too, so a
 * 404 always means the trainer has no such model.
 */
import type { Rows } from '../core/index.ts'
import type { Env } from './env.ts'
import { assertPredictFits } from './limit-checks.ts'
import type { Limits } from './limits.ts'
import { modelCache, networkFor } from './model-cache.ts'
import { type ModelRecord, unwrap } from './model-record.ts'
import { ModelStore } from './model-store.ts'
import type { StrongPrediction } from './model-trainer.ts'
import { ApiProblem } from './problem.ts'
import { trainerFor } from './trainer-client.ts'

/** Says where a read goes: KV (eventual) or the trainer (strong). */
export type Consistency = 'eventual' | 'strong'

/** Names one model of one tenant, and how to read it. */
export interface ReadTarget {
  env: Env
  tenant: string
  id: string
  consistency?: Consistency
}

/** Reads a model's record. */
export async function readRecord(target: ReadTarget): Promise<ModelRecord> {
  const { env, tenant, id } = target
  if (target.consistency !== 'strong') {
    const record = await new ModelStore(env.MODELS, tenant).getRecord(id)
    if (record) return record
  }
  return unwrap(await trainerFor(env, tenant, id).read({ tenant, id }))
}

/** Reads a model's file with the version it holds. */
export async function readWeights(
  target: ReadTarget,
): Promise<{ bytes: Uint8Array; version: number }> {
  const { env, tenant, id } = target
  if (target.consistency !== 'strong') {
    const found = await new ModelStore(env.MODELS, tenant).getBlob(id)
    if (found) return found
  }
  const { blob, version } = unwrap(await trainerFor(env, tenant, id).weights({ tenant, id }))
  return { bytes: blob, version }
}

/** Predicts for `x` with the model, from the isolate's cache when it is fresh. */
export async function predictWith(
  target: ReadTarget,
  x: Rows,
  limits: Limits,
): Promise<StrongPrediction> {
  const { env, tenant, id } = target
  if (target.consistency !== 'strong') {
    const store = new ModelStore(env.MODELS, tenant)
    const maxAgeMs = limits.modelCacheSeconds * 1000
    const found = await networkFor(store, tenant, id, maxAgeMs).catch(notFoundAsNull)
    if (found) {
      assertPredictFits(found.net.spec, x, limits)
      try {
        return { id, version: found.version, ...found.net.predict(x) }
      } finally {
        modelCache.fit(limits.modelCacheBytes)
      }
    }
  }
  return unwrap(await trainerFor(env, tenant, id).predict({ tenant, id, x, limits }))
}

function notFoundAsNull(error: unknown): null {
  if (error instanceof ApiProblem && error.body.status === 404) return null
  throw error
}
