/**
 * The numeric fields of a spec. Every setting must survive the kernels'
 * f32 arithmetic: none may round to 0 or to ±Infinity where that breaks
 * the maths, and a factor below 1 must stay below 1 once rounded.
 */
import { number } from 'zod'
import { describe } from './errors.ts'

const F32_MAX = 3.4028234663852886e38
/**
 * Bounds the small positive settings (learningRate, epsilon, clipNorm) from
 * below: f32 keeps them as normal numbers (its smallest is 1.2e-38), so
 * they never round to 0 in the kernels, and their products stay usable.
 */
const SMALLEST_SETTING = 1e-30
/** Caps l2: a larger penalty only overflows l2·w; 1e6 already pins every weight at 0. */
const LARGEST_L2 = 1e6
/** Names the largest f32 below 1, the top of every decay factor and slope. */
const BELOW_ONE = 0.99999994

type Issue = { input?: unknown }

/** Builds a message that says what was expected and what came instead. */
export function expected(what: string): (issue: Issue) => string {
  return (issue) => `must be ${what}; got ${describe(issue.input)}`
}

/** Builds a schema for a whole number from 1 to `max`. */
export function wholeNumber(max: number, what: string) {
  const error = expected(`a whole number from 1 to ${max} (${what})`)
  return number({ error }).int({ error }).min(1, { error }).max(max, { error })
}

function realNumber(what: string, min: number, max: number) {
  const error = expected(what)
  return number({ error }).min(min, { error }).max(max, { error })
}

/** Validates η: the kernels multiply every gradient by it in f32. */
export const learningRate = realNumber(
  'a positive number from 1e-30 to 1e30, such as 0.01', SMALLEST_SETTING, 1e30,
)

/** Builds a schema for a factor in [0, 1) that stays below 1 in f32. */
export function fraction(example: string) {
  // the kernels hold these in f32, where 0.99999998 already rounds to 1
  return realNumber(`a number from 0 up to (not including) 1, such as ${example}`, 0, 1)
    .refine((value) => Math.fround(value) < 1, {
      error: expected(`below 1 even in f32 (at most ${BELOW_ONE}), such as ${example}`),
    })
}

/** Validates Adam's ε, which keeps its division finite; 0 in f32 would not. */
export const epsilon = realNumber(
  'a small positive number from 1e-30 to 1, such as 1e-8', SMALLEST_SETTING, 1,
)

/** Validates the L2 penalty factor. */
export const l2 = realNumber(`a number from 0 to ${LARGEST_L2}, such as 1e-4`, 0, LARGEST_L2)

/** Validates the gradient-norm limit; 0 in f32 would silently turn clipping off. */
export const clipNorm = realNumber(
  'a positive number from 1e-30 to 3.4e38, such as 1', SMALLEST_SETTING, F32_MAX,
)

const seedError = expected('a whole number from 0 to 4294967295')
/** Validates a PRNG seed, a u32. */
export const seed = number({ error: seedError })
  .int({ error: seedError })
  .min(0, { error: seedError })
  .max(2 ** 32 - 1, { error: seedError })
