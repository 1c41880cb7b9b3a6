/**
 * Builds a model file by hand from a header's JSON text and its arrays, for
 * tests that need what encodeModel cannot write: a JSON key given twice,
 * an array listed twice. The frame and checksum are right, so only the
 * header's own content is at fault.
 */
import { crc32 } from '../../src/core/crc32.ts'

/** Returns magic, format 1, the header text, padding, the arrays and a CRC-32. */
export function rawModelFile(json: string, arrays: Float32Array[]): Uint8Array<ArrayBuffer> {
  const text = new TextEncoder().encode(json)
  const start = (16 + text.length + 3) & ~3
  const values = arrays.reduce((sum, a) => sum + a.length, 0)
  const blob = new Uint8Array(start + 4 * values + 4)
  const view = new DataView(blob.buffer)
  blob.set(new TextEncoder().encode('EDGEPROP'), 0)
  view.setUint32(8, 1, true)
  view.setUint32(12, text.length, true)
  blob.set(text, 16)
  let offset = start
  for (const data of arrays) {
    blob.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset)
    offset += data.byteLength
  }
  view.setUint32(offset, crc32(blob, offset), true)
  return blob
}
