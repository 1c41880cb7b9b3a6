import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, test } from 'vitest'
import { EdgepropError, Network, inspectModel, rewriteModel } from '../../src/core/index.ts'
import { crc32 } from '../../src/core/crc32.ts'
import { decodeModel, encodeModel } from '../../src/core/model-format.ts'
import { rawModelFile } from '../helpers/raw-model-file.ts'

const header = {
  spec: { kind: 'perceptron' },
  version: 3,
  stats: { samplesSeen: 12, steps: 12, epochs: 3 },
  optimizerSteps: 0,
  scalingCount: 0,
  randomState: 0xdeadbeef,
}

const spec = {
  kind: 'mlp',
  inputs: 3,
  layers: [
    { units: 5, activation: 'tanh' },
    { units: 2, activation: 'softmax' },
  ],
  loss: 'cross-entropy',
  optimizer: { name: 'adam', learningRate: 0.05 },
  labels: ['no', 'yes'],
  inputScaling: 'standardize',
  seed: 11,
} as const
const x = [[1, 2, 3], [3, 1, 0], [0, 0, 1], [2, 5, 1], [4, 4, 4], [1, 0, 2]]
const y = ['yes', 'no', 'no', 'yes', 'yes', 'no']

function refusal(bytes: Uint8Array): EdgepropError {
  try {
    decodeModel(bytes)
  } catch (error) {
    expect(error).toBeInstanceOf(EdgepropError)
    expect((error as EdgepropError).code).toBe('invalid-model')
    return error as EdgepropError
  }
  throw new Error('the blob was accepted')
}

describe('the byte layout', () => {
  test('writes magic, version, header, padding, f32 arrays and checksum in order', () => {
    const arrays = { parameters: new Float32Array([1.5, -2]), scaling: new Float32Array([0.25]) }
    const bytes = encodeModel(header, arrays)
    const view = new DataView(bytes.buffer)
    const json = view.getUint32(12, true)
    const start = Math.ceil((16 + json) / 4) * 4

    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('EDGEPROP')
    expect(view.getUint32(8, true)).toBe(1)
    const stored = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + json)))
    expect(stored).toEqual({ ...header, arrays: [
      { name: 'parameters', length: 2 }, { name: 'scaling', length: 1 }] })
    expect([...bytes.subarray(16 + json, start)].every((b) => b === 0)).toBe(true)
    expect([0, 4, 8].map((at) => view.getFloat32(start + at, true))).toEqual([1.5, -2, 0.25])
    expect(bytes.length).toBe(start + 3 * 4 + 4)
    expect(view.getUint32(bytes.length - 4, true)).toBe(crc32(bytes, bytes.length - 4))
  })

  test('reads back what it wrote, from any byte offset', () => {
    const arrays = { parameters: new Float32Array([0.1, 2 ** -20, -3e38]) }
    const bytes = encodeModel(header, arrays)
    const shifted = new Uint8Array(bytes.length + 1)
    shifted.set(bytes, 1)
    const decoded = decodeModel(shifted.subarray(1))
    expect(decoded.header).toMatchObject(header)
    expect(decoded.arrays.get('parameters')).toEqual(arrays.parameters)
  })

  test('refuses a blob whose header lists more values than it holds', () => {
    const bytes = encodeModel(header, { parameters: new Float32Array(2) })
    const json = new DataView(bytes.buffer).getUint32(12, true)
    const text = new TextDecoder().decode(bytes.subarray(16, 16 + json))
    // rewrite the header in place, keep the checksum right, so only the length check can fail
    const patched = new TextEncoder().encode(text.replace('"length":2', '"length":3'))
    expect(patched.length).toBe(json)
    bytes.set(patched, 16)
    new DataView(bytes.buffer).setUint32(bytes.length - 4, crc32(bytes, bytes.length - 4), true)
    expect(refusal(bytes).message).toContain('its header lists arrays that need')
  })

  test('refuses input that is not bytes', () => {
    expect(() => decodeModel('EDGEPROP')).toThrow(/must be the bytes of a model/)
  })
})

describe('a saved network', () => {
  let net: Network
  let bytes: Uint8Array

  beforeAll(async () => {
    net = await Network.create(spec)
    net.train(x, y, { epochs: 5, batchSize: 4 })
    bytes = net.toBytes()
  })

  test('loads and writes the same bytes, counters and predictions', async () => {
    const copy = await Network.fromBytes(bytes)
    expect(copy.toBytes()).toEqual(bytes)
    expect(copy.spec).toEqual(net.spec)
    expect(copy.version).toBe(net.version)
    expect(copy.stats).toEqual(net.stats)
    expect(copy.predict(x)).toEqual(net.predict(x))
  })

  test('trains on after loading exactly as the original does', async () => {
    const copy = await Network.fromBytes(bytes)
    const original = await Network.fromBytes(bytes)
    copy.train(x, y, { epochs: 3, batchSize: 2 })
    original.train(x, y, { epochs: 3, batchSize: 2 })
    expect(copy.toBytes()).toEqual(original.toBytes())
  })

  test('refuses a blob with any one byte flipped, by its checksum', async () => {
    for (let at = 0; at < bytes.length; at++) {
      const damaged = bytes.slice()
      damaged[at] ^= 0x10
      const error = await Network.fromBytes(damaged).catch((e) => e)
      expect(error, `byte ${at}`).toBeInstanceOf(EdgepropError)
      expect(error.code).toBe('invalid-model')
      // the first 12 bytes are checked before the checksum: magic, then format version
      if (at >= 12) expect(error.message, `byte ${at}`).toContain('fails its checksum')
    }
  })

  test('refuses every truncation', async () => {
    for (let length = 0; length < bytes.length; length++) {
      const error = await Network.fromBytes(bytes.subarray(0, length)).catch((e) => e)
      expect(error, `length ${length}`).toBeInstanceOf(EdgepropError)
      expect(error.code).toBe('invalid-model')
    }
  })

  test('refuses wrong magic bytes, saying it is not a model', () => {
    const damaged = bytes.slice()
    damaged.set(new TextEncoder().encode('PK\u0003\u0004'), 0)
    expect(refusal(damaged).message).toContain('not an edgeprop model')
  })

  test('refuses a newer format version, saying to upgrade', () => {
    const future = bytes.slice()
    const view = new DataView(future.buffer)
    view.setUint32(8, 2, true)
    view.setUint32(future.length - 4, crc32(future, future.length - 4), true)
    const message = refusal(future).message
    expect(message).toContain('format version 2, newer than this edgeprop reads (1)')
    expect(message).toContain('upgrade edgeprop')
  })

  test('refuses a checksummed blob whose spec is invalid', async () => {
    const { header: stored, arrays } = decodeModel(bytes)
    const bad = { ...stored, spec: { ...net.spec, layers: [] } }
    const blob = encodeModel(bad, Object.fromEntries(arrays))
    const error = await Network.fromBytes(blob).catch((e) => e)
    expect(error.code).toBe('invalid-model')
    expect(error.errors[0].path).toEqual(['header', 'spec', 'layers'])
  })

  test('refuses a checksummed blob with too few parameters', async () => {
    const { header: stored, arrays } = decodeModel(bytes)
    const short = { ...Object.fromEntries(arrays), parameters: new Float32Array(3) }
    const error = await Network.fromBytes(encodeModel(stored, short)).catch((e) => e)
    expect(error.code).toBe('invalid-model')
    expect(error.message).toContain(`has 3 values; its spec needs ${net.parameterCount}`)
  })

  test('refuses a huge spec over small arrays before instantiating any core', async () => {
    const { header: stored, arrays } = decodeModel(bytes)
    // 4000·4096 + 4096 + 4096·2 + 2 = 16,396,290 parameters: 64 MB per state array
    const layers = [{ units: 4096, activation: 'tanh' }, { units: 2, activation: 'softmax' }]
    const huge = { ...stored, spec: { ...net.spec, inputs: 4000, layers } }
    const blob = encodeModel(huge, Object.fromEntries(arrays))
    const instantiate = WebAssembly.instantiate
    let instances = 0
    WebAssembly.instantiate = ((...args: Parameters<typeof instantiate>) => {
      instances++
      return instantiate(...args)
    }) as typeof instantiate
    try {
      const error = await Network.fromBytes(blob).catch((e) => e)
      expect(error.code).toBe('invalid-model')
      expect(error.message).toContain('has 32 values; its spec needs 16396290')
    } finally {
      WebAssembly.instantiate = instantiate
    }
    expect(instances).toBe(0)
  })

  test('refuses a header field edgeprop does not write, naming it', async () => {
    const { header: stored, arrays } = decodeModel(bytes)
    const blob = encodeModel({ ...stored, note: 'x'.repeat(1000) } as never,
      Object.fromEntries(arrays))
    const error = await Network.fromBytes(blob).catch((e) => e)
    expect(error.code).toBe('invalid-model')
    expect(error.errors).toEqual([{
      path: ['header', 'note'],
      message: 'model header: note is not a model header field; remove it',
    }])
  })

  test('refuses a header that lists one array twice', async () => {
    const { header: stored, arrays } = decodeModel(bytes)
    const parameters = arrays.get('parameters')!
    // encodeModel takes a record, which cannot repeat a name
    const list = [...stored.arrays, { name: 'parameters', length: parameters.length }]
    const json = JSON.stringify({ ...stored, arrays: list })
    const blob = rawModelFile(json, [...arrays.values(), parameters])
    const error = await Network.fromBytes(blob).catch((e) => e)
    expect(error.code).toBe('invalid-model')
    expect(error.errors).toEqual([{
      path: ['header', 'arrays'],
      message: 'model header: arrays lists an array name twice; each array is written once',
    }])
  })

  test('refuses an array named after what every object inherits', async () => {
    const { header: stored, arrays } = decodeModel(bytes)
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      const extra = { ...Object.fromEntries(arrays), [name]: new Float32Array(1000) }
      const error = await Network.fromBytes(encodeModel(stored, extra)).catch((e) => e)
      expect(error.code).toBe('invalid-model')
      expect(error.errors[0].path).toEqual(['arrays', name])
      expect(() => inspectModel(encodeModel(stored, extra))).toThrow(/does not write/)
    }
  })

  test('writes a checked file again as edgeprop writes it, keeping no unread JSON', () => {
    const { header: stored, arrays } = decodeModel(bytes)
    // a key given twice: JSON.parse keeps the last, so the first goes unread
    const json = '{"spec":{"junk":1},' + JSON.stringify(stored).slice(1)
    const blob = rawModelFile(json, [...arrays.values()])
    const rewritten = rewriteModel(inspectModel(blob))
    expect(rewritten).toEqual(bytes)
    expect(new TextDecoder().decode(rewritten)).not.toContain('junk')
  })
})

describe('the golden file', () => {
  const fixtures = new URL('../fixtures/', import.meta.url)
  const golden = readFileSync(new URL('golden-v1.edgeprop', fixtures))
  const expected = JSON.parse(readFileSync(new URL('golden-v1.json', fixtures), 'utf8'))

  test('a model written by format version 1 predicts exactly its recorded outputs', async () => {
    const net = await Network.fromBytes(golden)
    expect(net.spec).toMatchObject(expected.spec)
    expect(net.version).toBe(expected.version)
    expect(net.stats).toEqual(expected.stats)
    expect(net.predict(expected.x)).toEqual(expected.prediction)
  })

  test('its recorded outputs follow from its arrays by the contract\'s f32 arithmetic', () => {
    const { arrays } = decodeModel(golden)
    const outputs = expected.x.map((row: number[]) => forward(row, arrays))
    expect(outputs).toEqual(expected.prediction.outputs)
  })
})

/**
 * Runs the golden model (standardize, relu, leaky-relu 1/8, linear) in plain
 * f32 arithmetic: Math.fround after every operation, sums over p in order,
 * then the bias.
 */
function forward(row: number[], arrays: Map<string, Float32Array>): number[] {
  const f = Math.fround
  const parameters = arrays.get('parameters')!
  const scaling = arrays.get('scaling')!
  const inputs = row.length
  let a = row.map((v, i) => {
    const std = f(Math.sqrt(scaling[inputs + i]))
    return f(f(f(v) - scaling[i]) / (std < 1e-6 ? 1 : std))
  })
  const layers: [number, (z: number) => number][] = [
    [6, (z) => (z > 0 ? z : 0)],
    [4, (z) => (z > 0 ? z : f(0.125 * z))],
    [2, (z) => z],
  ]
  let offset = 0
  for (const [units, phi] of layers) {
    const next: number[] = []
    for (let j = 0; j < units; j++) {
      let sum = 0
      for (let p = 0; p < a.length; p++) sum = f(sum + f(a[p] * parameters[offset + p * units + j]))
      next.push(phi(f(sum + parameters[offset + a.length * units + j])))
    }
    offset += (a.length + 1) * units
    a = next
  }
  return a
}
