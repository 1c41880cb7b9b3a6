/**
 * Limits from wrangler.toml [vars]: defaults, parsing, and a bad value
 * answered with its name and the fix.
 */
import { describe, expect, it } from 'vitest'
import { ConfigError, LIMIT_VARS, parseLimit, readLimits } from '../../src/worker/limits.ts'
import { expectProblem, testEnv, withVars } from './helpers.ts'

describe('limits', () => {
  it('reads the values wrangler.toml sets', () => {
    const limits = readLimits(testEnv)
    for (const [key, { fallback }] of Object.entries(LIMIT_VARS)) {
      // wrangler.toml repeats each default
      expect(limits[key as keyof typeof limits]).toBe(fallback)
    }
  })

  it('falls back to the default when a var is unset', () => {
    expect(parseLimit('MAX_ROWS', undefined, 1024)).toBe(1024)
    expect(parseLimit('MAX_ROWS', ' 16 ', 1024)).toBe(16)
  })

  it('refuses anything but a positive whole number, naming the var', () => {
    for (const bad of ['0', '-3', '1.5', 'lots', '1e3', '99999999999999999999']) {
      expect(() => parseLimit('MAX_ROWS', bad, 1024)).toThrow(ConfigError)
    }
    expect(() => parseLimit('MAX_ROWS', 'lots', 1024)).toThrow(
      /MAX_ROWS is "lots"; expected a positive whole number such as 1024/,
    )
  })

  it('answers 503 naming the var when a deployment sets a bad one', async () => {
    const response = await withVars({ MAX_ROWS: 'lots' }, '/v1/models')
    const problem = await expectProblem(response, 503, [])
    expect(problem.detail).toMatch(/MAX_ROWS is "lots"/)
  })
})
