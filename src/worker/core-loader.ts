/**
 * Loads the wasm core once per isolate. The Worker bundles build/core.wasm
 * as a compiled WebAssembly.Module (wrangler's CompiledWasm rule), so no
 * bytes are fetched or compiled at request time.
 */
import coreModule from '../../build/core.wasm'
import { loadCore } from '../core/index.ts'

let ready: Promise<unknown> | undefined

/** Resolves when the library can create and decode networks. */
export function ensureCore(): Promise<unknown> {
  ready ??= loadCore(coreModule).catch((error: unknown) => {
    ready = undefined
    throw error
  })
  return ready
}
