// Row panels: a second copy of each layer's W, laid out for products of
// one to three rows with W, the shape of a small predict.
//
// Read where it lies, a strip of 32 columns of W takes 128 bytes from each
// row of W, 4·units bytes apart; with units a power of two those reads
// crowd into a fraction of L1's sets and stall on L2. A row panel holds
// each strip as one run of fanIn × 32 values (then fanIn × 8), which
// streams. The sums keep their order, so the bits are the same
// (strips.ts); measured on 784×128, one row: 10.3 µs in place, 5.3 µs from
// panels.
//
// Packing is one pass over W, as costly as a one-row product, so it waits
// for the second small predict after W last changed: a caller that trains
// and predicts one row in turn never pays for it. Anything that may write
// W calls `staleRowPanels` first.

import { fanInOf, layerCount, rowPanelsOf, unitsOf, weightsOf } from './arena'

/** Counts rows below which a product reads B in place (or from panels). */
export const PACK_ROWS: i32 = 4

let fresh = false
let smallPredicts = 0

/** Marks the panels out of date; call before anything writes W. */
export function staleRowPanels(): void {
  fresh = false
  smallPredicts = 0
}

/**
 * Tells whether a predict of `rows` rows should read the panels, packing
 * them first when this is the second small predict since W changed.
 */
export function rowPanelsReady(rows: i32): bool {
  if (rows >= PACK_ROWS) return false
  if (fresh) return true
  smallPredicts++
  if (smallPredicts < 2) return false
  for (let l = 0; l < layerCount; l++) packLayer(l)
  fresh = true
  return true
}

// copies W's first units & ~7 columns into the layer's panels: strips of
// 32 columns, then of 8, each strip row after row
function packLayer(l: i32): void {
  const depth = fanInOf(l)
  const units = unitsOf(l)
  const wide = units & ~7
  const rowBytes = <usize>units << 2
  const weights = weightsOf(l)
  let to = rowPanelsOf(l)
  let j = 0
  for (; j + 32 <= wide; j += 32) {
    to = copyStrip(weights + (<usize>j << 2), rowBytes, depth, 8, to)
  }
  for (; j < wide; j += 8) {
    to = copyStrip(weights + (<usize>j << 2), rowBytes, depth, 2, to)
  }
}

// copies `depth` rows of `vectors` f32x4 each, rowBytes apart, into one
// run at `to`; returns the end of the run
function copyStrip(
  from: usize, rowBytes: usize, depth: i32, vectors: i32, to: usize,
): usize {
  for (let p = 0; p < depth; p++) {
    for (let v = 0; v < vectors; v++) {
      v128.store(to, v128.load(from + (<usize>v << 4)))
      to += 16
    }
    from += rowBytes
  }
  return to
}
