// The single-precision product out = A·B, blocked for 128-bit SIMD.
//
// Loop nest, outside in:
//   depth blocks   p0 += PANEL_DEPTH  bounds the packed panel to a fixed size
//   column panels  j0 += 8, then 4    copies B[p0.., j0..] into one run
//   row blocks     i0 += 4, then 1    a tile of accumulators in registers
//   depth          p                  one rank-1 update of that tile
// The last panel may hold 1 to 3 columns: it is padded with zeros and its
// tiles read and write only the lanes that exist.
//
// Packing pays for itself only when a panel serves many rows. With fewer
// than PACK_ROWS rows of A (a one-row predict) and B's columns adjacent,
// the multiples of 8 columns are read from B in place instead, 32 or 8 at
// a time, over the whole depth; the rest go through the packed path.
//
// Every out value starts from zero and adds a[i,p]·b[p,j] in the order
// p = 0..k-1, a multiply then an add (never fused), so it is bit-identical
// to the plain scalar loop on every engine. Sums start in registers, so
// out is never cleared first (a call out of wasm for a short row).

import { PANEL_DEPTH, panel } from './arena'
import { PACK_ROWS } from './panels'
import { sweepInPlace, sweepPanels } from './strips'

/**
 * Writes out = A·B.
 * - A: m×k, element (i, p) at a + 4·(i·aRowStride + p·aColStride)
 * - B: k×n, element (p, j) at b + 4·(p·bRowStride + j·bColStride)
 * - out: m×n row-major; only written; must not alias A, B or the panel.
 * - rowPanels: B's row panels (panels.ts), read instead of B's first
 *   n & ~7 columns when m < PACK_ROWS; 0 when there are none.
 * Strides count values; a transposed operand just swaps its two strides.
 */
export function multiply(
  m: i32, k: i32, n: i32,
  a: usize, aRowStride: i32, aColStride: i32,
  b: usize, bRowStride: i32, bColStride: i32,
  out: usize,
  rowPanels: usize = 0,
): void {
  const wide = n & ~7
  const aRow = <usize>aRowStride << 2
  const aCol = <usize>aColStride << 2
  const bRow = <usize>bRowStride << 2
  const bCol = <usize>bColStride << 2
  if (k == 0) {
    memory.fill(out, 0, <usize>(m * n) << 2)
    return
  }
  let first = 0
  if (m < PACK_ROWS && rowPanels != 0) {
    sweepPanels(m, k, n, wide, a, aRow, aCol, rowPanels, out)
    first = wide
  } else if (m < PACK_ROWS && bColStride == 1) {
    sweepInPlace(m, k, n, wide, a, aRow, aCol, b, bRow, out)
    first = wide
  }

  for (let p0 = 0; p0 < k; p0 += PANEL_DEPTH) {
    const depth = min(PANEL_DEPTH, k - p0)
    const aBlock = a + <usize>p0 * aCol
    const bBlock = b + <usize>p0 * bRow
    for (let j0 = first; j0 < n; j0 += j0 < wide ? 8 : 4) {
      const width = j0 < wide ? 8 : 4
      const cols = min(width, n - j0)
      pack(bBlock + <usize>j0 * bCol, bRow, bCol, depth, width, cols)
      const to = out + (<usize>j0 << 2)
      sweepRows(width, cols, m, n, aBlock, aRow, aCol, depth, to, p0 == 0)
    }
  }
}

// Copies `depth` rows of `cols` columns of B into the panel, row by row,
// padding each row with zeros to `width`.
function pack(
  b: usize, bRow: usize, bCol: usize, depth: i32, width: i32, cols: i32,
): void {
  let to = panel
  if (bCol == 4 && cols == width) {
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
      const value = j < cols ? load<f32>(b + <usize>j * bCol) : 0
      store<f32>(to + (<usize>j << 2), value)
    }
    b += bRow
    to += <usize>width << 2
  }
}

// Runs the packed panel, 8 or 4 wide, down every row: 4 rows at a time,
// then one by one. Only a 4-wide panel may have fewer `cols`. The first
// depth block (`fresh`) starts its sums from zero instead of from out.
function sweepRows(
  width: i32, cols: i32, m: i32, n: i32,
  a: usize, aRow: usize, aCol: usize, depth: i32, out: usize, fresh: bool,
): void {
  const outRow = <usize>n << 2
  let i = 0
  for (; i + 4 <= m; i += 4) {
    const from = a + <usize>i * aRow
    const to = out + <usize>i * outRow
    if (width == 8) tile4x8(from, aRow, aCol, depth, to, outRow, fresh)
    else tile4x4(from, aRow, aCol, depth, to, outRow, cols, fresh)
  }
  for (; i < m; i++) {
    const from = a + <usize>i * aRow
    const to = out + <usize>i * outRow
    if (width == 8) tile1x8(from, aCol, depth, to, fresh)
    else tile1x4(from, aCol, depth, to, cols, fresh)
  }
}

// Adds 4 rows of A times the 8-wide panel into out: 8 accumulators.
function tile4x8(
  a: usize, aRow: usize, aCol: usize, depth: i32, out: usize, outRow: usize,
  fresh: bool,
): void {
  const aRow2 = aRow << 1
  const aRow3 = aRow2 + aRow
  const out1 = out + outRow
  const out2 = out1 + outRow
  const out3 = out2 + outRow
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00
  let c20 = c00, c21 = c00, c30 = c00, c31 = c00
  if (!fresh) {
    c00 = v128.load(out); c01 = v128.load(out, 16)
    c10 = v128.load(out1); c11 = v128.load(out1, 16)
    c20 = v128.load(out2); c21 = v128.load(out2, 16)
    c30 = v128.load(out3); c31 = v128.load(out3, 16)
  }
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
function tile1x8(
  a: usize, aCol: usize, depth: i32, out: usize, fresh: bool,
): void {
  let c0 = f32x4.splat(0), c1 = c0
  if (!fresh) {
    c0 = v128.load(out)
    c1 = v128.load(out, 16)
  }
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

// Adds 4 rows of A times the 4-wide panel into `cols` columns of out.
function tile4x4(
  a: usize, aRow: usize, aCol: usize, depth: i32,
  out: usize, outRow: usize, cols: i32, fresh: bool,
): void {
  const aRow2 = aRow << 1
  const aRow3 = aRow2 + aRow
  const out1 = out + outRow
  const out2 = out1 + outRow
  const out3 = out2 + outRow
  let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0
  if (!fresh) {
    c0 = loadLanes(out, cols); c1 = loadLanes(out1, cols)
    c2 = loadLanes(out2, cols); c3 = loadLanes(out3, cols)
  }
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
  storeLanes(out, c0, cols)
  storeLanes(out1, c1, cols)
  storeLanes(out2, c2, cols)
  storeLanes(out3, c3, cols)
}

// Adds one row of A times the 4-wide panel into `cols` columns of out.
function tile1x4(
  a: usize, aCol: usize, depth: i32, out: usize, cols: i32, fresh: bool,
): void {
  let c = fresh ? f32x4.splat(0) : loadLanes(out, cols)
  let b = panel
  for (let p = 0; p < depth; p++) {
    c = f32x4.add(c, f32x4.mul(v128.load32_splat(a), v128.load(b)))
    a += aCol
    b += 16
  }
  storeLanes(out, c, cols)
}

// Reads the first `cols` (1 to 4) values at p into lanes; the rest are 0.
function loadLanes(p: usize, cols: i32): v128 {
  if (cols == 4) return v128.load(p)
  let lanes = f32x4.replace_lane(f32x4.splat(0), 0, load<f32>(p))
  if (cols > 1) lanes = f32x4.replace_lane(lanes, 1, load<f32>(p, 4))
  if (cols > 2) lanes = f32x4.replace_lane(lanes, 2, load<f32>(p, 8))
  return lanes
}

// Writes the first `cols` (1 to 4) lanes to p, leaving what follows alone.
function storeLanes(p: usize, lanes: v128, cols: i32): void {
  if (cols == 4) {
    v128.store(p, lanes)
    return
  }
  store<f32>(p, f32x4.extract_lane(lanes, 0))
  if (cols > 1) store<f32>(p, f32x4.extract_lane(lanes, 1), 4)
  if (cols > 2) store<f32>(p, f32x4.extract_lane(lanes, 2), 8)
}
