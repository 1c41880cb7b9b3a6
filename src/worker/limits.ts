/**
 * Limits and settings read from wrangler.toml [vars], checked once per
 * isolate. A var that is missing takes its default; one that is set to
 * something other than a positive integer stops the Worker with a message
 * naming it.
 */
import type { Env } from './env.ts'

/** Holds every limit as a number. */
export interface Limits {
  maxBodyBytes: number
  maxWeightsBytes: number
  maxSpecBytes: number
  maxRows: number
  maxParameters: number
  maxWork: number
  maxCallBytes: number
  maxOutputValues: number
  modelCacheSeconds: number
  modelCacheBytes: number
  keepVersions: number
}

type LimitVar = Exclude<keyof Env, 'MODELS' | 'TRAINER' | 'API_TOKENS' | 'CORS_ORIGINS'>

/** Maps each limit to its var and its default (kept in step with wrangler.toml). */
export const LIMIT_VARS: Record<keyof Limits, { name: LimitVar; fallback: number }> = {
  maxBodyBytes: { name: 'MAX_BODY_BYTES', fallback: 1_048_576 },
  maxWeightsBytes: { name: 'MAX_WEIGHTS_BYTES', fallback: 8_388_608 },
  maxSpecBytes: { name: 'MAX_SPEC_BYTES', fallback: 16_384 },
  maxRows: { name: 'MAX_ROWS', fallback: 1024 },
  maxParameters: { name: 'MAX_PARAMETERS', fallback: 500_000 },
  maxWork: { name: 'MAX_WORK', fallback: 200_000_000 },
  maxCallBytes: { name: 'MAX_CALL_BYTES', fallback: 33_554_432 },
  maxOutputValues: { name: 'MAX_OUTPUT_VALUES', fallback: 262_144 },
  modelCacheSeconds: { name: 'MODEL_CACHE_SECONDS', fallback: 5 },
  modelCacheBytes: { name: 'MODEL_CACHE_BYTES', fallback: 50_331_648 },
  keepVersions: { name: 'KEEP_VERSIONS', fallback: 5 },
}

/** Reports a var that cannot be used, naming it and the fix. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

const parsed = new WeakMap<object, Limits>()

/** Reads the limits from the vars, once per env object; throws ConfigError. */
export function readLimits(env: Env): Limits {
  const known = parsed.get(env)
  if (known) return known
  const limits = {} as Limits
  for (const key of Object.keys(LIMIT_VARS) as (keyof Limits)[]) {
    const { name, fallback } = LIMIT_VARS[key]
    limits[key] = parseLimit(name, env[name], fallback)
  }
  parsed.set(env, limits)
  return limits
}

/** Parses one var as a positive safe integer, or returns the default when unset. */
export function parseLimit(name: string, value: unknown, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const text = String(value).trim()
  const number = /^[0-9]+$/.test(text) ? Number(text) : NaN
  if (!Number.isSafeInteger(number) || number < 1) {
    throw new ConfigError(
      `${name} is ${JSON.stringify(value)}; expected a positive whole number ` +
        `such as ${fallback}. Fix it under [vars] in wrangler.toml ` +
        `(or remove it to use ${fallback}).`,
    )
  }
  return number
}
