/**
 * The bindings and settings the Worker receives (see wrangler.toml).
 */
import type { ModelTrainer } from './model-trainer.ts'
import type { Limits } from './limits.ts'

/** Lists the bindings, vars and secrets of the Worker. */
export interface Env {
  /** Workers KV: each model's latest snapshot and metadata, per tenant. */
  MODELS: KVNamespace
  /** One Durable Object per (tenant, model) applies every change in order. */
  TRAINER: DurableObjectNamespace<ModelTrainer>
  /** Secret: comma-separated `tenant:token` pairs. */
  API_TOKENS?: string
  CORS_ORIGINS?: string
  MAX_BODY_BYTES?: string
  MAX_WEIGHTS_BYTES?: string
  MAX_SPEC_BYTES?: string
  MAX_ROWS?: string
  MAX_PARAMETERS?: string
  MAX_WORK?: string
  MAX_CALL_BYTES?: string
  MAX_OUTPUT_VALUES?: string
  MODEL_CACHE_SECONDS?: string
  MODEL_CACHE_BYTES?: string
  KEEP_VERSIONS?: string
}

/** Describes the Hono context: bindings plus what middleware sets. */
export interface AppEnv {
  Bindings: Env
  Variables: {
    requestId: string
    limits: Limits
    tenant: string
  }
}
