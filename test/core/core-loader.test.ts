import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Network, loadCore } from '../../src/core/index.ts'
import { compileCore } from '../../src/core/core-loader.ts'

const wasmUrl = new URL('../../build/core.wasm', import.meta.url)
const bytes = readFileSync(wasmUrl)

/** Tells whether a module is the core: it exports the ABI's entry points. */
function isCore(module: WebAssembly.Module): boolean {
  const names = WebAssembly.Module.exports(module).map((e) => e.name)
  return ['memory', 'defineNetwork', 'train', 'predict'].every((n) => names.includes(n))
}

describe('compiling the core from each kind of source', () => {
  let server: Server
  let origin: string

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/core.wasm') {
        response.writeHead(200, { 'content-type': 'application/wasm' })
        response.end(bytes)
      } else {
        response.writeHead(404).end()
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  test('bytes: a Uint8Array and an ArrayBuffer', async () => {
    expect(isCore(await compileCore(new Uint8Array(bytes)))).toBe(true)
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    expect(isCore(await compileCore(buffer as ArrayBuffer))).toBe(true)
  })

  test('a WebAssembly.Module, used as it is', async () => {
    const module = new WebAssembly.Module(bytes)
    expect(await compileCore(module)).toBe(module)
  })

  test('a file: URL and a plain path, read from disk in Node', async () => {
    expect(isCore(await compileCore(wasmUrl))).toBe(true)
    expect(isCore(await compileCore(fileURLToPath(wasmUrl)))).toBe(true)
  })

  test('an http URL, streamed, and a Response with or without the wasm type', async () => {
    expect(isCore(await compileCore(`${origin}/core.wasm`))).toBe(true)
    expect(isCore(await compileCore(await fetch(`${origin}/core.wasm`)))).toBe(true)
    const untyped = new Response(bytes, { headers: { 'content-type': 'text/plain' } })
    expect(isCore(await compileCore(untyped))).toBe(true)
  })

  test('a missing file or a failed request says what to do', async () => {
    await expect(compileCore(new URL('file:///nowhere/core.wasm'))).rejects.toThrow(
      /could not read core.wasm at file:\/\/\/nowhere\/core.wasm; run `npm run build`/,
    )
    await expect(compileCore(`${origin}/missing.wasm`)).rejects.toThrow(
      /could not load core.wasm from .*missing.wasm: HTTP 404/,
    )
  })
})

describe('loadCore', () => {
  test('compiles once and returns the same module on later calls', async () => {
    const first = await loadCore(new Uint8Array(bytes))
    expect(await loadCore()).toBe(first)
    expect(isCore(first)).toBe(true)
  })

  test('gives each network its own instance and memory', async () => {
    const spec = {
      kind: 'mlp', inputs: 1, layers: [{ units: 1, activation: 'linear' }], loss: 'mse',
      optimizer: { name: 'sgd', learningRate: 0.1 }, seed: 9,
    } as const
    const a = await Network.create(spec)
    const b = await Network.create(spec)
    const before = b.toBytes()
    a.train([[1], [2]], [3, 5], { epochs: 20 })
    expect(b.toBytes()).toEqual(before)
    expect(a.getWeights()).not.toEqual(b.getWeights())
  })
})
