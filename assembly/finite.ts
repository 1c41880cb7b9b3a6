// Finds values that are not finite in f32 buffers. An f32 is NaN or
// ±Infinity exactly when its 8 exponent bits are all ones, so one mask
// and one compare test four values at a time.

const EXPONENT: i32 = 0x7f800000

/**
 * Returns the index of the first NaN or ±Infinity among `count` f32
 * values at `values`, or −1 when every one is finite. Reads 16 values a
 * step, and value by value only from the step that holds one.
 */
export function firstNonFinite(values: usize, count: i32): i32 {
  const mask = i32x4.splat(EXPONENT)
  let i = 0
  for (; i + 16 <= count; i += 16) {
    const at = values + (<usize>i << 2)
    const a = i32x4.eq(v128.and(v128.load(at), mask), mask)
    const b = i32x4.eq(v128.and(v128.load(at, 16), mask), mask)
    const c = i32x4.eq(v128.and(v128.load(at, 32), mask), mask)
    const d = i32x4.eq(v128.and(v128.load(at, 48), mask), mask)
    if (v128.any_true(v128.or(v128.or(a, b), v128.or(c, d)))) break
  }
  for (; i < count; i++) {
    const bits = load<i32>(values + (<usize>i << 2))
    if ((bits & EXPONENT) == EXPONENT) return i
  }
  return -1
}
