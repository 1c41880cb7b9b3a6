/**
 * Compiles build/core.wasm once per process (or page, or isolate) and gives
 * each Network its own instance of that one module.
 *
 * Where the module comes from:
 * - a `WebAssembly.Module`: used as is (Workers forbid compiling at run time);
 * - a `Response`, a URL or a string: streamed with `compileStreaming` when the
 *   server says `application/wasm`, else read whole; `file:` URLs and plain
 *   paths are read from disk in Node;
 * - an ArrayBuffer or Uint8Array: compiled from the bytes;
 * - nothing: core.wasm beside the library, read from disk in Node or
 *   fetched elsewhere.
 */
import type { CoreExports } from './core-abi.ts'

/** What `loadCore` accepts. */
export type CoreSource = WebAssembly.Module | Response | URL | string | ArrayBuffer | Uint8Array

let compiled: Promise<WebAssembly.Module> | undefined

/** Names core.wasm relative to this file; the bundle build rewrites it to './core.wasm'. */
function defaultLocation(): URL {
  return new URL('../../build/core.wasm', import.meta.url)
}

/**
 * Loads and compiles the core once; later calls return the same module.
 * Call it first to choose the source; Network.create calls it with none.
 */
export function loadCore(source?: CoreSource): Promise<WebAssembly.Module> {
  if (compiled === undefined) {
    const attempt = compileCore(source ?? defaultLocation())
    compiled = attempt
    // a failed load may be retried, with the same or another source
    attempt.catch(() => {
      if (compiled === attempt) compiled = undefined
    })
  }
  return compiled
}

/** Gives a fresh instance of the compiled core, with its own memory. */
export async function instantiateCore(): Promise<CoreExports> {
  const module = await loadCore()
  const instance = await WebAssembly.instantiate(module, {})
  return instance.exports as unknown as CoreExports
}

/** Compiles core.wasm from one source, without the cache `loadCore` keeps. */
export async function compileCore(source: CoreSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return WebAssembly.compile(source as BufferSource)
  }
  if (typeof Response !== 'undefined' && source instanceof Response) {
    return compileResponse(source)
  }
  const location = toUrl(source as URL | string)
  if (location === null || location.protocol === 'file:') {
    const bytes = await readLocalFile(location ?? String(source))
    return WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>)
  }
  return compileResponse(await fetch(location))
}

/** Resolves a string against the page in browsers; a bare path in Node stays a path. */
function toUrl(source: URL | string): URL | null {
  if (source instanceof URL) return source
  try {
    return new URL(source)
  } catch {
    const base = globalThis.location?.href
    return base === undefined ? null : new URL(source, base)
  }
}

async function compileResponse(response: Response): Promise<WebAssembly.Module> {
  if (!response.ok) {
    throw new Error(
      `could not load core.wasm from ${response.url || 'the response'}: HTTP ` +
        `${response.status}; serve build/core.wasm there or pass loadCore() the module`,
    )
  }
  const type = response.headers.get('content-type') ?? ''
  if (typeof WebAssembly.compileStreaming === 'function' && type.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response)
  }
  return WebAssembly.compile(await response.arrayBuffer())
}

type ReadFile = (path: URL | string) => Promise<Uint8Array>

/** Reads a file in Node without a static import, so browser bundles stay clean. */
async function readLocalFile(path: URL | string): Promise<Uint8Array> {
  const node = globalThis.process as
    | { getBuiltinModule?: (name: string) => { readFile: ReadFile } | undefined }
    | undefined
  const fs = node?.getBuiltinModule?.('node:fs/promises')
  if (fs === undefined) {
    throw new Error(
      `cannot read ${String(path)}: this runtime has no file system; ` +
        'pass loadCore() a URL, the bytes or a WebAssembly.Module',
    )
  }
  try {
    return await fs.readFile(path)
  } catch (cause) {
    throw new Error(
      `could not read core.wasm at ${String(path)}; run \`npm run build\` to create it, ` +
        'or pass loadCore() another source',
      { cause },
    )
  }
}
