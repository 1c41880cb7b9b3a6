/**
 * Small helpers of the trainer: outcomes that survive RPC, decoding model
 * files, If-Match checks, and logging a failed publish.
 */
import { Network } from '../core/index.ts'
import { ensureCore } from './core-loader.ts'
import { fromEdgepropError, isEdgepropError } from './error-mapping.ts'
import { type Outcome, succeed } from './model-record.ts'
import { ApiProblem } from './problem.ts'
import { checkIfMatch } from './versions.ts'

/**
 * Runs `work` and carries its value or its problem back as an outcome:
 * errors thrown across RPC lose their fields, so problems travel as data.
 * Anything unexpected is thrown for the route's error handler.
 */
export async function settle<T>(work: () => T | Promise<T>): Promise<Outcome<T>> {
  try {
    return succeed(await work())
  } catch (error) {
    if (error instanceof ApiProblem) return { ok: false, problem: error.body }
    if (isEdgepropError(error)) return { ok: false, problem: fromEdgepropError(error).body }
    throw error
  }
}

/** Decodes a model file into a network, loading the core first. */
export async function decode(blob: Uint8Array): Promise<Network> {
  await ensureCore()
  return Network.fromBytes(blob)
}

/** Throws the 412 problem when If-Match fails (version null: no model). */
export function assertIfMatch(
  header: string | undefined,
  version: number | null,
  creates = false,
): void {
  const failed = checkIfMatch(header, version, creates)
  if (failed) throw new ApiProblem(failed)
}

/** Waits `ms` milliseconds (none when zero or less). */
export function sleep(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve()
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Logs a failed KV write. The change itself is stored in the trainer, so
 * the call that made it still succeeds; the alarm writes the newest state
 * on its next run.
 */
export function logPublishFailure(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  console.error(JSON.stringify({ level: 'error', event: 'publish-failed', error: message }))
}
