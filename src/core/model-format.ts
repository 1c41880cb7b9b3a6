/**
 * The binary model format, version 1: one self-describing blob.
 *
 *   offset        bytes  field
 *   0             8      magic "EDGEPROP" (ASCII)
 *   8             4      format version, u32 little-endian (1)
 *   12            4      header length H, u32 little-endian
 *   16            H      header: UTF-8 JSON (ModelHeader)
 *   16 + H        0..3   zero padding up to a multiple of 4 → offset A
 *   A             4·N    f32 little-endian arrays, in header.arrays order,
 *                        N = the sum of their lengths
 *   A + 4·N       4      CRC-32 (IEEE) of every byte before it, u32 LE
 *
 * A reader checks magic, then version, then the checksum, then the header;
 * any later format must keep the first 12 bytes as they are.
 */
import { array, number, record, strictObject, string, unknown } from 'zod'
import { COUNT_RANGE, MAX_COUNT } from './counters.ts'
import { crc32 } from './crc32.ts'
import { EdgepropError, describe, zodIssues } from './errors.ts'

/** Marks a model: the first 8 bytes of every blob. */
export const MAGIC = 'EDGEPROP'
/** Names the format this library writes, and the newest it reads. */
export const FORMAT_VERSION = 1

const PREFIX = 16
const CHECKSUM = 4

/** Training counters kept with a model. */
export interface TrainingStats {
  samplesSeen: number
  steps: number
  epochs: number
}

/** The JSON header; `spec` is validated by the reader of the blob. */
export interface ModelHeader {
  spec: unknown
  version: number
  stats: TrainingStats
  optimizerSteps: number
  scalingCount: number
  randomState: number
  arrays: { name: string; length: number }[]
}

/** Builds a whole-number schema whose message gives the accepted range. */
function whole(max: number, range: string) {
  const error = (issue: { input?: unknown }) =>
    `must be ${range}; got ${describe(issue.input)}`
  return number({ error }).int({ error }).min(0, { error }).max(max, { error })
}

const count = whole(MAX_COUNT, COUNT_RANGE)
// strict: a field edgeprop does not write would be stored and served back
const headerSchema = strictObject({
  spec: record(string(), unknown()),
  version: count,
  stats: strictObject({ samplesSeen: count, steps: count, epochs: count }),
  optimizerSteps: count,
  scalingCount: count,
  randomState: whole(2 ** 32 - 1, 'a whole number from 0 to 4294967295 (a u32)'),
  arrays: array(strictObject({
    name: string(),
    length: whole(Number.MAX_SAFE_INTEGER, 'a whole number of values'),
  })).refine((list) => new Set(list.map((a) => a.name)).size === list.length, {
    error: 'lists an array name twice; each array is written once',
  }),
})

/** Writes a header and its f32 arrays (one per header.arrays entry) as one blob. */
export function encodeModel(
  header: Omit<ModelHeader, 'arrays'>,
  arrays: Record<string, Float32Array>,
): Uint8Array {
  const list = Object.entries(arrays).map(([name, data]) => ({ name, length: data.length }))
  const json = new TextEncoder().encode(JSON.stringify({ ...header, arrays: list }))
  const start = align4(PREFIX + json.length)
  const values = list.reduce((sum, a) => sum + a.length, 0)
  const bytes = new Uint8Array(start + 4 * values + CHECKSUM)
  const view = new DataView(bytes.buffer)

  bytes.set(new TextEncoder().encode(MAGIC), 0)
  view.setUint32(8, FORMAT_VERSION, true)
  view.setUint32(12, json.length, true)
  bytes.set(json, PREFIX)
  let offset = start
  for (const data of Object.values(arrays)) {
    writeFloats(bytes, offset, data)
    offset += 4 * data.length
  }
  view.setUint32(offset, crc32(bytes, offset), true)
  return bytes
}

/** Reads a blob written by any format version up to this one; refuses damaged ones. */
export function decodeModel(input: unknown): {
  header: ModelHeader
  arrays: Map<string, Float32Array>
} {
  const bytes = asBytes(input)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  checkFrame(bytes, view)

  const length = view.getUint32(12, true)
  if (PREFIX + length + CHECKSUM > bytes.length) {
    refuse(`header length ${length} runs past the end of the ${bytes.length} bytes`)
  }
  const header = parseHeader(bytes.subarray(PREFIX, PREFIX + length))
  const start = align4(PREFIX + length)
  const values = header.arrays.reduce((sum, a) => sum + a.length, 0)
  if (start + 4 * values + CHECKSUM !== bytes.length) {
    refuse(
      `holds ${bytes.length} bytes, but its header lists arrays that need ` +
        `${start + 4 * values + CHECKSUM}; the file was written wrongly`,
    )
  }
  const arrays = new Map<string, Float32Array>()
  let offset = start
  for (const { name, length: n } of header.arrays) {
    arrays.set(name, readFloats(bytes, offset, n))
    offset += 4 * n
  }
  return { header, arrays }
}

function asBytes(input: unknown): Uint8Array {
  if (input instanceof Uint8Array) return input
  if (input instanceof ArrayBuffer) return new Uint8Array(input)
  if (ArrayBuffer.isView(input)) {
    return new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
  }
  return refuse(`must be the bytes of a model (Uint8Array or ArrayBuffer); got ${describe(input)}`)
}

/** Checks size, magic, format version and checksum, in that order. */
function checkFrame(bytes: Uint8Array, view: DataView): void {
  const least = PREFIX + CHECKSUM
  if (bytes.length < least) {
    refuse(
      `is ${bytes.length} bytes; an edgeprop model has at least ${least}, so this one is ` +
        'truncated or not a model',
    )
  }
  const magic = String.fromCharCode(...bytes.subarray(0, 8))
  if (magic !== MAGIC) {
    refuse(`does not start with "${MAGIC}" (found ${JSON.stringify(magic)}); not an edgeprop model`)
  }
  const version = view.getUint32(8, true)
  if (version > FORMAT_VERSION) {
    refuse(
      `uses format version ${version}, newer than this edgeprop reads ` +
        `(${FORMAT_VERSION}); upgrade edgeprop to load it`,
    )
  }
  if (version < 1) refuse(`has format version ${version}; versions start at 1`)

  const stored = view.getUint32(bytes.length - CHECKSUM, true)
  const actual = crc32(bytes, bytes.length - CHECKSUM)
  if (stored !== actual) {
    refuse(
      `fails its checksum (stored ${hex(stored)}, computed ${hex(actual)}): ` +
        `the ${bytes.length} bytes are damaged or truncated; export the model again`,
    )
  }
}

function parseHeader(json: Uint8Array): ModelHeader {
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json))
  } catch {
    refuse('has a header that is not UTF-8 JSON; the file was written wrongly')
  }
  const result = headerSchema.safeParse(value)
  if (!result.success) {
    const details = zodIssues(result.error, 'model header').map((d) => ({
      path: ['header', ...d.path],
      message: `model header: ${d.message}`,
    }))
    throw new EdgepropError('invalid-model', details)
  }
  return result.data
}

/** Tells whether this machine stores an f32 little-endian, as the format does. */
const LITTLE_ENDIAN = new Uint8Array(new Float32Array([-0]).buffer)[3] === 0x80

// copies f32 values into bytes[offset..] as little-endian, in one piece
// where the machine's own order is the format's
function writeFloats(bytes: Uint8Array, offset: number, data: Float32Array): void {
  if (LITTLE_ENDIAN) {
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset)
    return
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset)
  for (let i = 0; i < data.length; i++) view.setFloat32(offset + 4 * i, data[i], true)
}

// reads n little-endian f32 values from bytes[offset..] into a new array
function readFloats(bytes: Uint8Array, offset: number, n: number): Float32Array {
  const data = new Float32Array(n)
  if (LITTLE_ENDIAN) {
    new Uint8Array(data.buffer).set(bytes.subarray(offset, offset + 4 * n))
    return data
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset)
  for (let i = 0; i < n; i++) data[i] = view.getFloat32(offset + 4 * i, true)
  return data
}

function refuse(message: string): never {
  throw new EdgepropError('invalid-model', [{ path: ['bytes'], message: `model ${message}` }])
}

function align4(offset: number): number {
  return (offset + 3) & ~3
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`
}
