/**
 * `wrangler deploy --dry-run`: the Worker bundles, with core.wasm as a
 * module of its own, small enough for any Workers plan.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = new URL('../..', import.meta.url).pathname
const outdir = mkdtempSync(join(tmpdir(), 'edgeprop-bundle-'))

afterAll(() => rmSync(outdir, { recursive: true, force: true }))

describe('wrangler deploy --dry-run', () => {
  it('bundles the Worker and core.wasm under 1 MiB gzipped', () => {
    const run = spawnSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      timeout: 240_000,
    })
    const output = `${run.stdout}\n${run.stderr}`
    expect(run.status, output).toBe(0)
    const total = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(output)
    expect(total, output).not.toBeNull()
    const [, raw, gzip] = total!.map(Number)
    console.log(`bundle: ${raw} KiB, ${gzip} KiB gzipped`)
    expect(gzip).toBeLessThan(1024)

    const files = readdirSync(outdir)
    expect(files).toContain('index.js')
    const wasm = files.find((name) => name.endsWith('core.wasm'))
    expect(wasm, files.join(', ')).toBeDefined()
    expect(statSync(join(outdir, wasm!)).size).toBeGreaterThan(1000)
  })
})
