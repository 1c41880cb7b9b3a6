/**
 * CRC-32 as IEEE 802.3 defines it (reflected, polynomial 0xEDB88320,
 * initial value and final xor 0xFFFFFFFF), eight bytes a step.
 *
 * Slicing by 8 (Kounavis and Berry, 2008): table s holds the CRC of a
 * byte followed by s zero bytes, so eight lookups, one per byte of a
 * step, replace eight dependent steps of the one-table loop. A model
 * file is mostly its f32 arrays, so this loop is most of writing one.
 */

const POLYNOMIAL = 0xedb88320
const SLICES = 8

let tables: Uint32Array | undefined

/** Computes the CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) of bytes[0..end). */
export function crc32(bytes: Uint8Array, end: number): number {
  const t = (tables ??= makeTables())
  let crc = 0xffffffff
  let i = 0

  // eight bytes a step, read as two little-endian words where they can be
  // (a word read is a quarter of the work of four byte reads)
  const steps = Math.floor(end / SLICES)
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
    const words = new Int32Array(bytes.buffer, bytes.byteOffset, 2 * steps)
    for (let w = 0; w < 2 * steps; w += 2) crc = step(t, crc ^ words[w], words[w + 1])
    i = steps * SLICES
  }
  for (; i + SLICES <= end; i += SLICES) {
    const low =
      bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)
    const high =
      bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24)
    crc = step(t, crc ^ low, high)
  }

  // the last bytes one at a time
  for (; i < end; i++) crc = t[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/** Tells whether this machine stores an i32 little-endian, as the loop reads bytes. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

// one step of eight bytes: `low` holds the first four folded into the CRC
function step(t: Uint32Array, low: number, high: number): number {
  return t[1792 + (low & 0xff)] ^ t[1536 + ((low >>> 8) & 0xff)] ^
    t[1280 + ((low >>> 16) & 0xff)] ^ t[1024 + (low >>> 24)] ^
    t[768 + (high & 0xff)] ^ t[512 + ((high >>> 8) & 0xff)] ^
    t[256 + ((high >>> 16) & 0xff)] ^ t[high >>> 24]
}

// table 0 is the classic one; table s extends table s − 1 by a zero byte
function makeTables(): Uint32Array {
  const t = new Uint32Array(SLICES * 256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  for (let s = 1; s < SLICES; s++) {
    for (let n = 0; n < 256; n++) {
      const previous = t[(s - 1) * 256 + n]
      t[s * 256 + n] = (previous >>> 8) ^ t[previous & 0xff]
    }
  }
  return t
}
