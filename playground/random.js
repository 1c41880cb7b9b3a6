// @ts-check
/**
 * Seeded randomness for the playground's datasets and batch order:
 * mulberry32, the generator the core uses, so a seed names one dataset.
 */

/**
 * Returns a generator of uniform numbers in [0, 1) from a 32-bit seed.
 * @param {number} seed
 * @returns {() => number}
 */
export function mulberry32(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Returns a generator of standard normal numbers (Box-Muller) over `uniform`.
 * @param {() => number} uniform
 * @returns {() => number}
 */
export function normal(uniform) {
  return () => {
    const u = 1 - uniform()
    const v = uniform()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }
}

/**
 * Shuffles `items` in place (Fisher-Yates) and returns it.
 * @template T
 * @param {T[]} items
 * @param {() => number} uniform
 * @returns {T[]}
 */
export function shuffle(items, uniform) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1))
    const swap = items[i]
    items[i] = items[j]
    items[j] = swap
  }
  return items
}
