import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import * as source from '../../src/core/index.ts'

// build/edgeprop.js is written by `npm run build` (scripts/build-bundle.ts)
const bundleUrl = new URL('../../build/edgeprop.js', import.meta.url)

const spec = {
  kind: 'mlp', inputs: 2, seed: 4,
  layers: [{ units: 5, activation: 'relu' }, { units: 3, activation: 'softmax' }],
  loss: 'cross-entropy', optimizer: { name: 'adam', learningRate: 0.01 },
  labels: ['a', 'b', 'c'], inputScaling: 'standardize',
} as const
const x = [[0, 1], [1, 0], [2, 2], [3, 1], [0, 3], [1, 1]]
const y = ['a', 'b', 'c', 'b', 'a', 'c']

describe('the bundle', () => {
  test('finds core.wasm beside itself with new URL and import.meta.url', () => {
    const text = readFileSync(bundleUrl, 'utf8')
    expect(text).toContain('new URL("./core.wasm",import.meta.url)')
    expect(text).not.toContain('../../build/core.wasm')
    expect(text).not.toMatch(/from\s*["']node:/)
  })

  test('trains to the same bytes as the library source, with no loadCore call', async () => {
    const bundle: typeof source = await import(/* @vite-ignore */ bundleUrl.href)
    const built = await bundle.Network.create(spec)
    const direct = await source.Network.create(spec)
    built.train(x, y, { epochs: 5, batchSize: 4 })
    direct.train(x, y, { epochs: 5, batchSize: 4 })
    expect(built.toBytes()).toEqual(direct.toBytes())
    const copy = await source.Network.fromBytes(built.toBytes())
    expect(copy.predict(x)).toEqual(built.predict(x))
  })

  test('ships type declarations that name the public API', () => {
    const types = readFileSync(new URL('../../build/types/index.d.ts', import.meta.url), 'utf8')
    for (const name of ['Network', 'EdgepropError', 'loadCore', 'specSchema']) {
      expect(types).toContain(name)
    }
    expect(types).not.toMatch(/from '\.\/[\w-]+\.ts'/)
  })
})
