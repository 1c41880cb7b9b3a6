// Products of a few rows of A with B read where it lies, for matmul.ts:
// with fewer rows than PACK_ROWS, packing B would cost about as much as
// the product. Each sum runs over p = 0..k-1 in order from zero, a
// multiply then an add, as in the packed path, so the bits are the same.

/**
 * Writes the first `cols` (a multiple of 8) columns of every row of out,
 * reading B in place: strips of 32 columns, then of 8.
 * - A: m×k, element (i, p) at a + i·aRow + p·aCol (strides in bytes)
 * - B: k×n, columns adjacent, rows bRow bytes apart; out: m×n row-major
 */
export function sweepInPlace(
  m: i32, k: i32, n: i32, cols: i32,
  a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize, out: usize,
): void {
  for (let i = 0; i < m; i++) {
    const from = a + <usize>i * aRow
    const to = out + (<usize>(i * n) << 2)
    let j = 0
    for (; j + 32 <= cols; j += 32) {
      strip1x32(from, aCol, k, b + (<usize>j << 2), bRow, to + (<usize>j << 2))
    }
    for (; j < cols; j += 8) {
      strip1x8(from, aCol, k, b + (<usize>j << 2), bRow, to + (<usize>j << 2))
    }
  }
}

/**
 * As sweepInPlace, but reads B's first `cols` columns from row panels:
 * strips of 32 columns, then of 8, each k×width values in one run
 * (panels.ts).
 */
export function sweepPanels(
  m: i32, k: i32, n: i32, cols: i32,
  a: usize, aRow: usize, aCol: usize, panels: usize, out: usize,
): void {
  for (let i = 0; i < m; i++) {
    const from = a + <usize>i * aRow
    const to = out + (<usize>(i * n) << 2)
    let strip = panels
    let j = 0
    for (; j + 32 <= cols; j += 32) {
      strip1x32(from, aCol, k, strip, 128, to + (<usize>j << 2))
      strip += <usize>k << 7
    }
    for (; j < cols; j += 8) {
      strip1x8(from, aCol, k, strip, 32, to + (<usize>j << 2))
      strip += <usize>k << 5
    }
  }
}

// Writes one row of A times 32 adjacent columns of B (rows bRow bytes
// apart) into out: 8 accumulators, each summed over p = 0..depth-1.
function strip1x32(
  a: usize, aCol: usize, depth: i32, b: usize, bRow: usize, out: usize,
): void {
  let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0
  let c4 = c0, c5 = c0, c6 = c0, c7 = c0
  for (let p = 0; p < depth; p++) {
    const s = v128.load32_splat(a)
    c0 = f32x4.add(c0, f32x4.mul(s, v128.load(b)))
    c1 = f32x4.add(c1, f32x4.mul(s, v128.load(b, 16)))
    c2 = f32x4.add(c2, f32x4.mul(s, v128.load(b, 32)))
    c3 = f32x4.add(c3, f32x4.mul(s, v128.load(b, 48)))
    c4 = f32x4.add(c4, f32x4.mul(s, v128.load(b, 64)))
    c5 = f32x4.add(c5, f32x4.mul(s, v128.load(b, 80)))
    c6 = f32x4.add(c6, f32x4.mul(s, v128.load(b, 96)))
    c7 = f32x4.add(c7, f32x4.mul(s, v128.load(b, 112)))
    a += aCol
    b += bRow
  }
  v128.store(out, c0); v128.store(out, c1, 16)
  v128.store(out, c2, 32); v128.store(out, c3, 48)
  v128.store(out, c4, 64); v128.store(out, c5, 80)
  v128.store(out, c6, 96); v128.store(out, c7, 112)
}

// Writes one row of A times 8 adjacent columns of B into out.
function strip1x8(
  a: usize, aCol: usize, depth: i32, b: usize, bRow: usize, out: usize,
): void {
  let c0 = f32x4.splat(0), c1 = c0
  for (let p = 0; p < depth; p++) {
    const s = v128.load32_splat(a)
    c0 = f32x4.add(c0, f32x4.mul(s, v128.load(b)))
    c1 = f32x4.add(c1, f32x4.mul(s, v128.load(b, 16)))
    a += aCol
    b += bRow
  }
  v128.store(out, c0)
  v128.store(out, c1, 16)
}
