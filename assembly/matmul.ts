// The single-precision product out = A·B, blocked for 128-bit SIMD.
//
// Loop nest, outside in:
//   depth blocks   p0 += PANEL_DEPTH  bounds the packed panel to a fixed size
//   column panels  j0 += 8, then 4    copies B[p0.., j0..] into one run
//   row blocks     i0 += 4, then 1    a tile of accumulators in registers
//   depth          p                  one rank-1 update of that tile
// Columns past the last multiple of 4 use a scalar loop.
//
// Every out value starts from zero and adds a[i,p]·b[p,j] in the order
// p = 0..k-1, a multiply then an add (never fused), so it is bit-identical
// to the plain scalar loop on every engine.

import { PANEL_DEPTH, panel } from './arena'

/**
 * Writes out = A·B.
 * - A: m×k, element (i, p) at a + 4·(i·aRowStride + p·aColStride)
 * - B: k×n, element (p, j) at b + 4·(p·bRowStride + j·bColStride)
 * - out: m×n row-major; only written; must not alias A, B or the panel.
 * Strides count values; a transposed operand just swaps its two strides.
 */
export function multiply(
  m: i32, k: i32, n: i32,
  a: usize, aRowStride: i32, aColStride: i32,
  b: usize, bRowStride: i32, bColStride: i32,
  out: usize,
): void {
  const wide = n & ~7
  const narrow = n & ~3
  const aRow = <usize>aRowStride << 2
  const aCol = <usize>aColStride << 2
  const bRow = <usize>bRowStride << 2
  const bCol = <usize>bColStride << 2
  memory.fill(out, 0, <usize>(m * n) << 2)

  for (let p0 = 0; p0 < k; p0 += PANEL_DEPTH) {
    const depth = min(PANEL_DEPTH, k - p0)
    const aBlock = a + <usize>p0 * aCol
    const bBlock = b + <usize>p0 * bRow
    for (let j0 = 0; j0 < wide; j0 += 8) {
      pack(bBlock + <usize>j0 * bCol, bRow, bCol, depth, 8)
      sweepRows(8, m, n, aBlock, aRow, aCol, depth, out + (<usize>j0 << 2))
    }
    if (narrow > wide) {
      pack(bBlock + <usize>wide * bCol, bRow, bCol, depth, 4)
      sweepRows(4, m, n, aBlock, aRow, aCol, depth, out + (<usize>wide << 2))
    }
  }
  for (let j = narrow; j < n; j++) {
    const column = b + <usize>j * bCol
    scalarColumn(m, k, n, a, aRow, aCol, column, bRow, out + (<usize>j << 2))
  }
}

// Copies `depth` rows of `width` columns of B into the panel, row by row.
function pack(
  b: usize, bRow: usize, bCol: usize, depth: i32, width: i32,
): void {
  let to = panel
  if (bCol == 4) {
    for (let p = 0; p < depth; p++) {
      v128.store(to, v128.load(b))
      if (width == 8) v128.store(to, v128.load(b, 16), 16)
      b += bRow
      to += <usize>width << 2
    }
    return
  }
  for (let p = 0; p < depth; p++) {
    for (let j = 0; j < width; j++) {
      store<f32>(to + (<usize>j << 2), load<f32>(b + <usize>j * bCol))
    }
    b += bRow
    to += <usize>width << 2
  }
}

// Runs the packed panel, 8 or 4 wide, down every row: 4 rows at a time,
// then one by one.
function sweepRows(
  width: i32, m: i32, n: i32,
  a: usize, aRow: usize, aCol: usize, depth: i32, out: usize,
): void {
  const outRow = <usize>n << 2
  let i = 0
  for (; i + 4 <= m; i += 4) {
    const from = a + <usize>i * aRow
    const to = out + <usize>i * outRow
    if (width == 8) tile4x8(from, aRow, aCol, depth, to, outRow)
    else tile4x4(from, aRow, aCol, depth, to, outRow)
  }
  for (; i < m; i++) {
    const from = a + <usize>i * aRow
    const to = out + <usize>i * outRow
    if (width == 8) tile1x8(from, aCol, depth, to)
    else tile1x4(from, aCol, depth, to)
  }
}

// Adds 4 rows of A times the 8-wide panel into out: 8 accumulators.
function tile4x8(
  a: usize, aRow: usize, aCol: usize, depth: i32, out: usize, outRow: usize,
): void {
  const aRow2 = aRow << 1
  const aRow3 = aRow2 + aRow
  const out1 = out + outRow
  const out2 = out1 + outRow
  const out3 = out2 + outRow
  let c00 = v128.load(out), c01 = v128.load(out, 16)
  let c10 = v128.load(out1), c11 = v128.load(out1, 16)
  let c20 = v128.load(out2), c21 = v128.load(out2, 16)
  let c30 = v128.load(out3), c31 = v128.load(out3, 16)
  let b = panel
  for (let p = 0; p < depth; p++) {
    const b0 = v128.load(b)
    const b1 = v128.load(b, 16)
    let s = v128.load32_splat(a)
    c00 = f32x4.add(c00, f32x4.mul(s, b0))
    c01 = f32x4.add(c01, f32x4.mul(s, b1))
    s = v128.load32_splat(a + aRow)
    c10 = f32x4.add(c10, f32x4.mul(s, b0))
    c11 = f32x4.add(c11, f32x4.mul(s, b1))
    s = v128.load32_splat(a + aRow2)
    c20 = f32x4.add(c20, f32x4.mul(s, b0))
    c21 = f32x4.add(c21, f32x4.mul(s, b1))
    s = v128.load32_splat(a + aRow3)
    c30 = f32x4.add(c30, f32x4.mul(s, b0))
    c31 = f32x4.add(c31, f32x4.mul(s, b1))
    a += aCol
    b += 32
  }
  v128.store(out, c00); v128.store(out, c01, 16)
  v128.store(out1, c10); v128.store(out1, c11, 16)
  v128.store(out2, c20); v128.store(out2, c21, 16)
  v128.store(out3, c30); v128.store(out3, c31, 16)
}

// Adds one row of A times the 8-wide panel into out.
function tile1x8(a: usize, aCol: usize, depth: i32, out: usize): void {
  let c0 = v128.load(out), c1 = v128.load(out, 16)
  let b = panel
  for (let p = 0; p < depth; p++) {
    const s = v128.load32_splat(a)
    c0 = f32x4.add(c0, f32x4.mul(s, v128.load(b)))
    c1 = f32x4.add(c1, f32x4.mul(s, v128.load(b, 16)))
    a += aCol
    b += 32
  }
  v128.store(out, c0)
  v128.store(out, c1, 16)
}

// Adds 4 rows of A times the 4-wide panel into out.
function tile4x4(
  a: usize, aRow: usize, aCol: usize, depth: i32, out: usize, outRow: usize,
): void {
  const aRow2 = aRow << 1
  const aRow3 = aRow2 + aRow
  const out1 = out + outRow
  const out2 = out1 + outRow
  const out3 = out2 + outRow
  let c0 = v128.load(out), c1 = v128.load(out1)
  let c2 = v128.load(out2), c3 = v128.load(out3)
  let b = panel
  for (let p = 0; p < depth; p++) {
    const b0 = v128.load(b)
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a), b0))
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(a + aRow), b0))
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(a + aRow2), b0))
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(a + aRow3), b0))
    a += aCol
    b += 16
  }
  v128.store(out, c0)
  v128.store(out1, c1)
  v128.store(out2, c2)
  v128.store(out3, c3)
}

// Adds one row of A times the 4-wide panel into out.
function tile1x4(a: usize, aCol: usize, depth: i32, out: usize): void {
  let c = v128.load(out)
  let b = panel
  for (let p = 0; p < depth; p++) {
    c = f32x4.add(c, f32x4.mul(v128.load32_splat(a), v128.load(b)))
    a += aCol
    b += 16
  }
  v128.store(out, c)
}

// Writes one column of out with a plain scalar sum over the whole depth.
function scalarColumn(
  m: i32, k: i32, n: i32,
  a: usize, aRow: usize, aCol: usize,
  b: usize, bRow: usize,
  out: usize,
): void {
  for (let i = 0; i < m; i++) {
    let sum: f32 = 0
    let ap = a + <usize>i * aRow
    let bp = b
    for (let p = 0; p < k; p++) {
      sum += load<f32>(ap) * load<f32>(bp)
      ap += aCol
      bp += bRow
    }
    store<f32>(out + <usize>i * (<usize>n << 2), sum)
  }
}
