// e^x for four f32 lanes at once, with the very bits of Mathf.exp.
//
// Mathf.exp (AssemblyScript's port of musl's table method for expf) works
// in f64: x·32/ln 2 = k + r with k whole, so e^x = 2^(k/32)·2^(r/32), where
// 2^(k/32) is a table entry for k mod 32 with k div 32 added to its
// exponent, and 2^(r/32) a cubic in r. Every step is one IEEE operation,
// so the same steps taken two lanes at a time in f64x2 round exactly as
// the scalar ones; only the table is read lane by lane. A vector holding a
// lane at or past |x| = 88, or a NaN, goes through Mathf.exp lane by lane,
// which owns the overflow, underflow and NaN rules.

// 2^(i/32) rounded to f64, less i << 47 (the exponent the index adds back)
const TABLE = memory.data<u64>([
  0x3FF0000000000000, 0x3FEFD9B0D3158574, 0x3FEFB5586CF9890F,
  0x3FEF9301D0125B51, 0x3FEF72B83C7D517B, 0x3FEF54873168B9AA,
  0x3FEF387A6E756238, 0x3FEF1E9DF51FDEE1, 0x3FEF06FE0A31B715,
  0x3FEEF1A7373AA9CB, 0x3FEEDEA64C123422, 0x3FEECE086061892D,
  0x3FEEBFDAD5362A27, 0x3FEEB42B569D4F82, 0x3FEEAB07DD485429,
  0x3FEEA47EB03A5585, 0x3FEEA09E667F3BCD, 0x3FEE9F75E8EC5F74,
  0x3FEEA11473EB0187, 0x3FEEA589994CCE13, 0x3FEEACE5422AA0DB,
  0x3FEEB737B0CDC5E5, 0x3FEEC49182A3F090, 0x3FEED503B23E255D,
  0x3FEEE89F995AD3AD, 0x3FEEFF76F2FB5E47, 0x3FEF199BDD85529C,
  0x3FEF3720DCEF9069, 0x3FEF5818DCFBA487, 0x3FEF7C97337B9B5F,
  0x3FEFA4AFA2A490DA, 0x3FEFD0765B6E4540,
])

const STEPS: f64 = 32
// adding 1.5·2^52 rounds to a whole number, left in the low bits
const ROUNDER = reinterpret<f64>(0x4338000000000000)
const TO_STEPS = reinterpret<f64>(0x3FF71547652B82FE) * STEPS
// the cubic for 2^(r/32): CUBE·r³ + SQUARE·r² + LINEAR·r + 1
const CUBE = reinterpret<f64>(0x3FAC6AF84B912394) / STEPS / STEPS / STEPS
const SQUARE = reinterpret<f64>(0x3FCEBFCE50FAC4F3) / STEPS / STEPS
const LINEAR = reinterpret<f64>(0x3FE62E42FF0C52D6) / STEPS

/** Returns e^x in each lane, bit for bit as Mathf.exp of that lane. */
// @ts-ignore: decorator
@inline export function exp4(x: v128): v128 {
  if (!i32x4.all_true(f32x4.lt(f32x4.abs(x), f32x4.splat(88)))) {
    return expLanes(x)
  }
  const low = expPair(f64x2.promote_low_f32x4(x))
  const high = expPair(f64x2.promote_low_f32x4(i64x2.shuffle(x, x, 1, 1)))
  return i64x2.shuffle(
    f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 2,
  )
}

// e^x for two f64 lanes holding f32 values with |x| < 88, before rounding
function expPair(x: v128): v128 {
  const z = f64x2.mul(f64x2.splat(TO_STEPS), x)
  const rounded = f64x2.add(z, f64x2.splat(ROUNDER))
  const r = f64x2.sub(z, f64x2.sub(rounded, f64x2.splat(ROUNDER)))

  // 2^(k/32): the entry for k mod 32, with k's bits shifted into the exponent
  const first = <usize>(i64x2.extract_lane(rounded, 0) & 31) << 3
  const second = <usize>(i64x2.extract_lane(rounded, 1) & 31) << 3
  let entries = i64x2.splat(load<u64>(TABLE + first))
  entries = i64x2.replace_lane(entries, 1, load<u64>(TABLE + second))
  const scale = i64x2.add(entries, i64x2.shl(rounded, 47))

  const upper = f64x2.add(f64x2.mul(f64x2.splat(CUBE), r), f64x2.splat(SQUARE))
  let y = f64x2.add(f64x2.mul(f64x2.splat(LINEAR), r), f64x2.splat(1))
  y = f64x2.add(y, f64x2.mul(upper, f64x2.mul(r, r)))
  return f64x2.mul(y, scale)
}

// Mathf.exp lane by lane
function expLanes(x: v128): v128 {
  let out = f32x4.splat(Mathf.exp(f32x4.extract_lane(x, 0)))
  out = f32x4.replace_lane(out, 1, Mathf.exp(f32x4.extract_lane(x, 1)))
  out = f32x4.replace_lane(out, 2, Mathf.exp(f32x4.extract_lane(x, 2)))
  return f32x4.replace_lane(out, 3, Mathf.exp(f32x4.extract_lane(x, 3)))
}
