/**
 * The playground is plain JavaScript with JSDoc types; tsc checks it
 * against the library's own source, so an API change the page has not
 * followed fails here rather than in someone's browser.
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

const ROOT = new URL('../../', import.meta.url).pathname

describe('the playground scripts', () => {
  it('type-check against the library (tsc -p playground)', () => {
    const run = spawnSync('npx', ['tsc', '-p', 'playground'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 90_000,
    })
    expect(`${run.stdout}${run.stderr}`.trim()).toBe('')
    expect(run.status).toBe(0)
  })
})
