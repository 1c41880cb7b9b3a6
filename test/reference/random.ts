/**
 * A small seeded PRNG for the tests' own choices (splits, shapes, weights).
 *
 * It is mulberry32 over a u32 state, the generator DESIGN.md names for the
 * core, but it is an independent copy: nothing here tries to reproduce the
 * core's draws, only to make each test's data the same on every run.
 */

/** Returns a generator of uniform floats in [0, 1) seeded by `seed`. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = Math.imul(state ^ (state >>> 15), state | 1)
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61)
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32
  }
}

/** Returns a uniform float in [low, high) drawn from `next`. */
export function uniform(next: () => number, low: number, high: number): number {
  return low + (high - low) * next()
}

/** Returns an integer in [0, count) drawn from `next`. */
export function randomIndex(next: () => number, count: number): number {
  return Math.floor(next() * count)
}

/** Shuffles `items` in place by Fisher-Yates, from the last slot down. */
export function shuffleInPlace<T>(items: T[], next: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomIndex(next, i + 1)
    const held = items[i]
    items[i] = items[j]
    items[j] = held
  }
  return items
}

/** Returns a rows×cols matrix of uniform values in [low, high). */
export function randomMatrix(
  next: () => number,
  rows: number,
  cols: number,
  low = -1,
  high = 1,
): number[][] {
  return Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () => uniform(next, low, high)),
  )
}

/** Rounds every value of a matrix to the nearest f32, as the core stores it. */
export function toF32(rows: number[][]): number[][] {
  return rows.map((row) => row.map((value) => Math.fround(value)))
}
