/**
 * The browser bundle (build/edgeprop.js) in a bare Chromium page with no
 * bundler: it finds core.wasm beside itself, compiles it by streaming, and
 * predicts and trains to the same numbers as Node; and the README's
 * embedding snippet runs as printed.
 *
 * The page's origin is played by Playwright's request routing, so no
 * server runs: http://bundle.test/lib/ holds the bundle and core.wasm.
 */
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Network } from '../../src/core/index.ts'
import { type Browser, bounded, launchChromium } from './chromium.ts'

const ROOT = new URL('../../', import.meta.url)
const ORIGIN = 'http://bundle.test'
const golden = JSON.parse(readFileSync(new URL('test/fixtures/golden-v1.json', ROOT), 'utf8'))
const goldenBytes = readFileSync(new URL('test/fixtures/golden-v1.edgeprop', ROOT))

/** Maps a file name under any folder of the made-up origin to a file and its type. */
const FILES: Record<string, [URL, string]> = {
  'edgeprop.js': [new URL('build/edgeprop.js', ROOT), 'text/javascript'],
  'core.wasm': [new URL('build/core.wasm', ROOT), 'application/wasm'],
  'golden-v1.edgeprop': [
    new URL('test/fixtures/golden-v1.edgeprop', ROOT), 'application/octet-stream',
  ],
}
/** A page with nothing but a module script that imports the bundle, as a user's page would. */
const BARE_PAGE = `<!doctype html><meta charset="utf-8"><title>bare</title>
<script type="module">
  import * as edgeprop from './lib/edgeprop.js'
  globalThis.edgeprop = edgeprop
</script>`
/** Types what the bare page puts on globalThis: the bundle's exports. */
type InPage = { edgeprop: typeof import('../../src/core/index.ts') }

let browser: Browser
let page: Page
const requested: string[] = []

/** Returns the README's embedding snippet: the first html block under its heading. */
function readmeSnippet(): string {
  const readme = readFileSync(new URL('README.md', ROOT), 'utf8')
  const block = /```html\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('### Embed')))
  if (block === null) throw new Error('README.md has no ```html block under "### Embed"')
  return block[1]
}

/** Counts streaming compiles, so the test can tell core.wasm was streamed. */
function countStreamingCompiles() {
  const original = WebAssembly.compileStreaming
  const counter = globalThis as unknown as { streamedCompiles: number }
  counter.streamedCompiles = 0
  WebAssembly.compileStreaming = (source) => {
    counter.streamedCompiles += 1
    return original(source)
  }
}

/** Opens a page of the made-up origin: `html` at /, the files above in any folder. */
async function openOrigin(html: string): Promise<Page> {
  const opened = await browser.newPage()
  await opened.addInitScript(countStreamingCompiles)
  await opened.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname
    requested.push(path)
    if (path === '/') return route.fulfill({ contentType: 'text/html', body: html })
    const file = FILES[path.slice(path.lastIndexOf('/') + 1)]
    if (file === undefined) return route.fulfill({ status: 404, body: `no ${path}` })
    return route.fulfill({ contentType: file[1], body: readFileSync(file[0]) })
  })
  await opened.goto(`${ORIGIN}/`)
  return opened
}

beforeAll(async () => {
  browser = await launchChromium()
  page = await openOrigin(BARE_PAGE)
  await page.waitForFunction(() => 'edgeprop' in globalThis, null, { timeout: 20_000 })
})

afterAll(async () => {
  await browser?.close()
})

/** A small classifier that uses exp and tanh, unlike the golden model. */
const classifier = {
  kind: 'mlp', inputs: 2, seed: 11, inputScaling: 'standardize',
  layers: [{ units: 5, activation: 'tanh' }, { units: 3, activation: 'softmax' }],
  loss: 'cross-entropy', optimizer: { name: 'adam', learningRate: 0.02 },
} as const
const x = Array.from({ length: 24 }, (_, i) => [Math.sin(i) * 2, Math.cos(i * 0.7) - i / 12])
const y = x.map(([a, b]) => (a > 0.5 ? 0 : b > 0 ? 1 : 2))

/** Returns the largest difference between two tables of numbers of one shape. */
function largestDifference(a: number[][], b: number[][]): number {
  expect(a.length).toBe(b.length)
  return Math.max(...a.flatMap((row, r) => row.map((value, c) => Math.abs(value - b[r][c]))))
}

describe('the bundle in a bare page', () => {
  it('loads the committed golden blob and predicts within 1e-6 of Node', async () => {
    const inPage = await bounded(page.evaluate(async (rows) => {
      const { Network } = (globalThis as unknown as InPage).edgeprop
      const bytes = await (await fetch('/fixtures/golden-v1.edgeprop')).arrayBuffer()
      const net = await Network.fromBytes(bytes)
      return { prediction: net.predict(rows), version: net.version }
    }, golden.x), 20_000, 'loading the golden blob in the page')

    const inNode = (await Network.fromBytes(goldenBytes)).predict(golden.x)
    expect(largestDifference(inPage.prediction.outputs, inNode.outputs)).toBeLessThanOrEqual(1e-6)
    expect(inPage.prediction.outputs).toEqual(golden.prediction.outputs)
    expect(inPage.version).toBe(golden.version)
  })

  it('found core.wasm beside itself and compiled it by streaming', async () => {
    expect(requested).toContain('/lib/core.wasm')
    const streamed = await page.evaluate(
      () => (globalThis as unknown as { streamedCompiles: number }).streamedCompiles,
    )
    expect(streamed).toBe(1)
  })

  it('loads a tanh/softmax model from Node and predicts within 1e-6 of Node', async () => {
    const net = await Network.create(classifier)
    net.train(x, y, { epochs: 30, batchSize: 8 })
    const bytes = [...net.toBytes()]
    const inPage = await bounded(page.evaluate(async ({ bytes, rows }) => {
      const { Network } = (globalThis as unknown as InPage).edgeprop
      const copy = await Network.fromBytes(new Uint8Array(bytes))
      return copy.predict(rows)
    }, { bytes, rows: x }), 20_000, "loading Node's model in the page")

    const inNode = net.predict(x)
    expect(largestDifference(inPage.outputs, inNode.outputs)).toBeLessThanOrEqual(1e-6)
    expect(inPage.labels).toEqual(inNode.labels)
  })

  it('trains from the same spec and seed to the same bytes as Node', async () => {
    const inPage = await bounded(page.evaluate(async ({ spec, rows, targets }) => {
      const { Network } = (globalThis as unknown as InPage).edgeprop
      const net = await Network.create(spec)
      net.train(rows, targets, { epochs: 30, batchSize: 8 })
      return [...net.toBytes()]
    }, { spec: classifier, rows: x, targets: y }), 20_000, 'training in the page')

    const net = await Network.create(classifier)
    net.train(x, y, { epochs: 30, batchSize: 8 })
    expect(new Uint8Array(inPage)).toEqual(net.toBytes())
    expect(browser.errors).toEqual([])
  })

  it("runs the README's embedding snippet as printed", async () => {
    const readme = await openOrigin(`<!doctype html><meta charset="utf-8">${readmeSnippet()}`)
    await readme.locator('body').filter({ hasText: '[0,1,1,0]' }).waitFor({ timeout: 20_000 })
    expect(browser.errors).toEqual([])
  })
})
