// The seeded generator behind initialisation and shuffling: mulberry32,
// a 32-bit state advanced by a Weyl step and mixed by two multiplies.
// Glorot uniform draws from ±√(6/(fanIn + fanOut)), He uniform from
// ±√(6/fanIn); a draw u in [0, 1) maps to (2u − 1)·limit, rounded to f32.

let generatorState: u32 = 0

/** Reads the generator's state. */
export function generator(): u32 { return generatorState }

/** Overwrites the generator's state (a seed is just a state). */
export function setGenerator(state: u32): void { generatorState = state }

/** Returns the next 32 random bits and advances the state. */
export function nextBits(): u32 {
  generatorState += 0x6d2b79f5
  let t = generatorState
  t = (t ^ (t >>> 15)) * (t | 1)
  t ^= t + (t ^ (t >>> 7)) * (t | 61)
  return t ^ (t >>> 14)
}

/** Returns a uniform draw in [0, 1). */
export function nextUnit(): f64 {
  return <f64>nextBits() / 4294967296.0
}

/** Returns the Glorot uniform limit √(6/(fanIn + fanOut)). */
export function glorotLimit(fanIn: i32, fanOut: i32): f64 {
  return Math.sqrt(6.0 / <f64>(fanIn + fanOut))
}

/** Returns the He uniform limit √(6/fanIn). */
export function heLimit(fanIn: i32): f64 {
  return Math.sqrt(6.0 / <f64>fanIn)
}

/** Fills `count` f32 values with uniform draws from [−limit, limit). */
export function fillUniform(out: usize, count: i32, limit: f64): void {
  for (let i = 0; i < count; i++) {
    store<f32>(out + (<usize>i << 2), <f32>((nextUnit() * 2 - 1) * limit))
  }
}

/** Writes the identity order 0..count−1 as u32 values. */
export function fillOrder(order: usize, count: i32): void {
  for (let i = 0; i < count; i++) store<u32>(order + (<usize>i << 2), i)
}

/** Shuffles `count` u32 values in place (Fisher-Yates, last index first). */
export function shuffle(order: usize, count: i32): void {
  for (let i = count - 1; i > 0; i--) {
    const j = <i32>(nextUnit() * <f64>(i + 1))
    const here = order + (<usize>i << 2)
    const there = order + (<usize>j << 2)
    const value = load<u32>(here)
    store<u32>(here, load<u32>(there))
    store<u32>(there, value)
  }
}
