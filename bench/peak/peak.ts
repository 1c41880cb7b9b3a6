// The WebAssembly SIMD limit on this machine: independent chains of f32x4
// multiply-adds (a multiply, then an add, never fused), no memory traffic.
// Each chain runs c ← c·s + t, so no product can be shared or hoisted;
// 12 chains hide the multiply and add latencies on current x86 and Arm
// cores while every value stays in a register. Each multiply-add counts
// 8 flops: 4 lanes, a multiply and an add.

/** Runs 12 chains for `iterations` rounds; returns a lane of their sum. */
export function peak(iterations: i32, scale: f32, shift: f32): f32 {
  const s = f32x4.splat(scale)
  const t = f32x4.splat(shift)
  let c0 = t, c1 = s, c2 = t, c3 = s, c4 = t, c5 = s
  let c6 = t, c7 = s, c8 = t, c9 = s, c10 = t, c11 = s
  for (let i = 0; i < iterations; i++) {
    c0 = f32x4.add(f32x4.mul(c0, s), t)
    c1 = f32x4.add(f32x4.mul(c1, s), t)
    c2 = f32x4.add(f32x4.mul(c2, s), t)
    c3 = f32x4.add(f32x4.mul(c3, s), t)
    c4 = f32x4.add(f32x4.mul(c4, s), t)
    c5 = f32x4.add(f32x4.mul(c5, s), t)
    c6 = f32x4.add(f32x4.mul(c6, s), t)
    c7 = f32x4.add(f32x4.mul(c7, s), t)
    c8 = f32x4.add(f32x4.mul(c8, s), t)
    c9 = f32x4.add(f32x4.mul(c9, s), t)
    c10 = f32x4.add(f32x4.mul(c10, s), t)
    c11 = f32x4.add(f32x4.mul(c11, s), t)
  }
  const low = f32x4.add(
    f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)),
    f32x4.add(c4, c5),
  )
  const high = f32x4.add(
    f32x4.add(f32x4.add(c6, c7), f32x4.add(c8, c9)),
    f32x4.add(c10, c11),
  )
  return f32x4.extract_lane(f32x4.add(low, high), 0)
}
