/**
 * Generators of hostile requests for the API fuzzer: JSON values of every
 * shape, valid bodies with one field made strange, raw texts JSON.stringify
 * cannot write (-0, 1e308, 1e400, duplicate keys, truncation, deep
 * nesting), wrong content types, odd headers and damaged model files.
 */
import fc from 'fast-check'
import { IRIS_X, IRIS_Y, irisSpec } from './helpers.ts'

/** Describes one generated request. */
export interface FuzzRequest {
  method: string
  path: string
  body?: string | Uint8Array
  headers: Record<string, string>
}

/** Lists values written as raw JSON text, each a way to be wrong. */
const RAW_ODDITIES = [
  '-0', '1e308', '-1e308', '1e400', '5e-324', '1.7976931348623157e308', '9007199254740993',
  '"1.5"', '"NaN"', '"Infinity"', '"0x10"', '" 3 "', 'true', 'null', '[]', '{}', '[[]]',
  '[[[1,2,3,4]]]', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}',
]

const strange: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...RAW_ODDITIES),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s)),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => JSON.stringify('é'.repeat(n))),
  fc.integer({ min: 1, max: 30_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.array(fc.double(), { maxLength: 6 }).map((row) => JSON.stringify(row)),
)

const TRAIN_BODY = { x: IRIS_X, y: IRIS_Y, epochs: 2, batchSize: 3, shuffle: false }
const BASES: Record<string, Record<string, unknown>> = {
  create: { id: 'made-by-fuzz', spec: irisSpec() },
  train: TRAIN_BODY,
  predict: { x: IRIS_X },
  rollback: { version: 0 },
}

const MARKER = '__raw_value_7f3a__'

/** Writes `base` as JSON with the value at one path (or a new key) replaced by raw text. */
function withRaw(base: unknown, path: (string | number)[], raw: string): string {
  const copy = structuredClone(base) as Record<string | number, unknown>
  let target = copy
  for (const key of path.slice(0, -1)) {
    const next = target[key]
    if (next === null || typeof next !== 'object') break
    target = next as Record<string | number, unknown>
  }
  target[path[path.length - 1]] = MARKER
  return JSON.stringify(copy).replace(`"${MARKER}"`, () => raw)
}

/** Lists paths inside a body that a mutation may replace, new keys included. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], depth = 0) {
  const paths: (string | number)[][] = [[...prefix, 'extra']]
  if (value === null || typeof value !== 'object' || depth > 3) return paths
  for (const [key, child] of Object.entries(value)) {
    const at = [...prefix, Array.isArray(value) ? Number(key) : key]
    paths.push(at, ...pathsOf(child, at, depth + 1))
  }
  return paths
}

/** Generates a JSON text for a route: mostly near-valid, sometimes anything at all. */
export function jsonBody(route: keyof typeof BASES): fc.Arbitrary<string> {
  const base = BASES[route]
  const paths = pathsOf(base)
  const valid = JSON.stringify(base)
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...paths), strange)
      .map(([path, raw]) => withRaw(base, path, raw)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.nat({ max: valid.length - 1 }).map((n) => valid.slice(0, n)) },
    { weight: 1, arbitrary: fc.constantFrom(...Object.keys(base)).chain((key) =>
      strange.map((raw) => valid.replace(/}$/, `,"${key}":${raw}}`))) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  )
}

/** Generates a content type: JSON most of the time, in its spellings, else not. */
export const jsonContentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  { weight: 3, arbitrary: fc.constantFrom(
    'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'text/json',
    'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz',
    'application/octet-stream', 'application/problem+json', '', 'application/json;;;',
  ) },
)

const headerChar = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }),
  fc.integer({ min: 0xa0, max: 0xff }),
  fc.constant(0x09),
).map((code) => String.fromCharCode(code))

/** Generates headers a client may add: bad, stale or odd If-Match and Idempotency-Key. */
export const oddHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'If-Match': fc.constantFrom('"999"', 'W/"0"', '"abc"', '', '"0", W/"1"', 'garbage'),
    'Idempotency-Key': fc.oneof(
      fc.uuid(),
      // any text a client can send as a header value: tab and visible Latin-1
      fc.string({ unit: headerChar, maxLength: 300 }),
    ),
  },
  { requiredKeys: [] },
)

/** Generates damaged model files from a valid one: cut, flipped, or noise. */
export function damagedFile(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.nat({ max: valid.length - 1 }).map((n) => valid.slice(0, n)),
    fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 1, max: 255 }))
      .map(([at, bits]) => {
        const copy = valid.slice()
        copy[at] ^= bits
        return copy
      }),
    fc.uint8Array({ maxLength: 2048 }),
    fc.uint8Array({ maxLength: 64 }).map((tail) => {
      const copy = new Uint8Array(valid.length + tail.length)
      copy.set(valid)
      copy.set(tail, valid.length)
      return copy
    }),
  )
}

/** Generates a path segment that is not a valid id, or is another model's. */
export const oddId = fc.oneof(
  fc.constantFrom('fuzzed', 'ghost', '-x', '.', '..', 'a'.repeat(65), '%00', '%2F', 'é'),
  fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
)
