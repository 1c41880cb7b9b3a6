/**
 * exp4 (assembly/exp.ts) takes e^x four lanes at a time and must give the
 * bits Mathf.exp gives, so a seed still trains to the same bytes on every
 * engine. The kernels show both side by side: in a run of 5 values the
 * first 4 go through exp4 and the fifth through Mathf.exp, so equal inputs
 * must give equal bits, for sigmoid (e^−z) and softmax (e^(z − max)).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { Activation } from '../../src/core/enums.ts'
import { mulberry32 } from '../reference/random.ts'

const wasm = readFileSync(new URL('../../build/core.wasm', import.meta.url))
const instance = await WebAssembly.instantiate(await WebAssembly.compile(wasm))
const core = instance.exports as unknown as {
  memory: WebAssembly.Memory
  scratch(bytes: number): number
  activationForward(kind: number, rows: number, width: number, z: number, out: number,
    alpha: number): void
}
const next = mulberry32(4242)

// the edges of Mathf.exp's main path (|x| < 88) and of f32's range
const EDGES = [
  0, -0, 1e-45, -1e-45, 1e-38, 1, -1, 0.5, 87, 87.99999, 88, 88.0001, 88.72, 88.73,
  -87.99999, -88, -103.97, -103.98, -104, 1e30, -1e30, Infinity, -Infinity, NaN,
]

/** Draws values over exp's whole working range, plus the edges above. */
function values(count: number): number[] {
  const drawn = Array.from({ length: count }, (_, i) =>
    i % 2 === 0 ? 200 * next() - 100 : (2 * next() - 1) * 2 ** (20 * next() - 10))
  return [...EDGES, ...EDGES.map((v) => -v), ...drawn]
}

/** Runs one activation over `z` (rows × width) and returns the outputs' bits. */
function activate(kind: number, rows: number, width: number, z: number[]): Uint32Array {
  const bytes = z.length * 4
  const at = core.scratch(2 * bytes)
  new Float32Array(core.memory.buffer, at, z.length).set(z)
  core.activationForward(kind, rows, width, at, at + bytes, 0)
  return new Uint32Array(core.memory.buffer.slice(at + bytes, at + 2 * bytes))
}

describe('exp4 against Mathf.exp', () => {
  it('gives sigmoid the same bits in a vector lane as in the scalar tail', () => {
    for (const v of values(20_000)) {
      const out = activate(Activation.sigmoid, 1, 5, [v, v, v, v, v])
      for (let lane = 0; lane < 4; lane++) {
        if (out[lane] !== out[4]) expect.fail(`sigmoid(${v}): lane ${lane} differs from the tail`)
      }
    }
  })

  it('gives softmax the same bits in a vector lane as in the scalar tail', () => {
    // [v, 0, 0, 0, v] with v ≤ 0: out[0] is e^v from exp4, out[4] from Mathf.exp
    for (const u of values(20_000)) {
      const v = -Math.abs(u)
      const out = activate(Activation.softmax, 1, 5, [v, 0, 0, 0, v])
      if (out[0] !== out[4]) expect.fail(`softmax of [${v}, 0, 0, 0, ${v}]: lanes differ`)
    }
  })

  it('keeps softmax of [1000, 1000, 1000, 1000] at a quarter each', () => {
    const bits = activate(Activation.softmax, 1, 4, [1000, 1000, 1000, 1000])
    const out = new Float32Array(bits.buffer)
    expect(Array.from(out)).toEqual([0.25, 0.25, 0.25, 0.25])
  })
})
