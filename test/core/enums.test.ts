/**
 * Every code in src/core/enums.ts must equal the global build/core.wasm
 * exports under its assembly/enums.ts name, or the two sides disagree on
 * what a number means.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { Activation, Loss, Optimizer, Status } from '../../src/core/enums.ts'

const wasm = readFileSync(new URL('../../build/core.wasm', import.meta.url))
const instance = await WebAssembly.instantiate(await WebAssembly.compile(wasm))
const exported = instance.exports as Record<string, unknown>

/** Turns a TypeScript name ('leaky-relu', 'nonFinite') into the wasm one. */
function wasmName(prefix: string, name: string): string {
  const words = name.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/-/g, '_')
  return `${prefix}_${words.toUpperCase()}`
}

const tables = [
  ['ACTIVATION', Activation],
  ['LOSS', Loss],
  ['OPTIMIZER', Optimizer],
  ['STATUS', Status],
] as const

describe('shared enums', () => {
  for (const [prefix, table] of tables) {
    for (const [name, code] of Object.entries(table)) {
      const global = wasmName(prefix, name)
      it(`${prefix.toLowerCase()} '${name}' is ${code} on both sides (${global})`, () => {
        const value = exported[global]
        expect(value, `core.wasm exports no global ${global}`).toBeInstanceOf(
          WebAssembly.Global,
        )
        expect((value as WebAssembly.Global).value).toBe(code)
      })
    }
  }

  it('exports no enum global that src/core/enums.ts lacks', () => {
    const known = new Set(
      tables.flatMap(([prefix, table]) => Object.keys(table).map((n) => wasmName(prefix, n))),
    )
    const globals = Object.entries(exported)
      .filter(([, value]) => value instanceof WebAssembly.Global)
      .map(([name]) => name)
    expect(globals.filter((name) => !known.has(name))).toEqual([])
  })
})
