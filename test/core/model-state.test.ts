import { beforeAll, describe, expect, test } from 'vitest'
import { EdgepropError, Network } from '../../src/core/index.ts'
import { MAX_COUNT } from '../../src/core/counters.ts'
import { formatPath } from '../../src/core/errors.ts'
import { decodeModel, encodeModel, type ModelHeader } from '../../src/core/model-format.ts'

const spec = {
  kind: 'mlp', inputs: 2, seed: 9, loss: 'mse', inputScaling: 'standardize',
  layers: [{ units: 3, activation: 'leaky-relu' }, { units: 1, activation: 'linear' }],
  optimizer: { name: 'adam', learningRate: 0.01 },
} as const
const x = [[1, 2], [3, -1], [0, 4], [2, 2]]
const y = [1, 0, 2, 1]

type Header = Omit<ModelHeader, 'arrays'>
type Arrays = Record<string, Float32Array>

/** Rewrites a blob's header and arrays, with a checksum that matches. */
function tamper(bytes: Uint8Array, change: (header: Header, arrays: Arrays) => void) {
  const { header, arrays } = decodeModel(bytes)
  const copy = structuredClone(header) as Header & { arrays?: unknown }
  delete copy.arrays
  const values = Object.fromEntries([...arrays].map(([name, a]) => [name, a.slice()]))
  change(copy, values)
  return encodeModel(copy, values)
}

async function loadRefusal(bytes: Uint8Array): Promise<EdgepropError> {
  const error = await Network.fromBytes(bytes).then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(EdgepropError)
  expect((error as EdgepropError).code).toBe('invalid-model')
  return error as EdgepropError
}

let bytes: Uint8Array
beforeAll(async () => {
  const net = await Network.create(spec)
  net.train(x, y, { epochs: 3, batchSize: 2 })
  bytes = net.toBytes()
})

describe('stored state invariants', () => {
  test('refuses a negative running variance, naming the input', async () => {
    // scaling holds 2 means, then 2 variances: index 3 is input 1's variance
    const error = await loadRefusal(tamper(bytes, (_, a) => { a.scaling[3] = -4 }))
    expect(error.errors).toEqual([{ path: ['arrays', 'scaling', 3], message:
      'model scaling[3], the running variance of input 1, is -4; a variance is never ' +
      'negative, so the file was edited' }])
  })

  test('refuses a negative Adam second moment but not a negative first moment', async () => {
    const net = await Network.create(spec)
    const half = net.parameterCount
    const first = tamper(bytes, (_, a) => { a.optimizerState[2] = -1 })
    expect((await Network.fromBytes(first)).version).toBe(1)
    const error = await loadRefusal(tamper(bytes, (_, a) => { a.optimizerState[half + 2] = -1 }))
    expect(error.errors[0].path).toEqual(['arrays', 'optimizerState', half + 2])
    expect(error.message).toContain("Adam's second moment of parameter 2, is -1")
  })

  test('refuses an array that edgeprop does not write, rather than keep and serve it', async () => {
    const extra = tamper(bytes, (_, a) => { a.notes = new Float32Array([1, 2]) })
    const error = await loadRefusal(extra)
    expect(error.errors).toEqual([{ path: ['arrays', 'notes'], message:
      "model has an array 'notes' that edgeprop does not write; the file was edited or " +
      'written by other software: export the model again' }])
  })

  const defaults: [string, (header: Header) => void, (string | number)[]][] = [
    ['an optimizer default', (h) => delete optimizerOf(h).beta2, ['optimizer', 'beta2']],
    ['nesterov', (h) => delete optimizerOf(h).nesterov, ['optimizer', 'nesterov']],
    ['inputScaling', (h) => delete (h.spec as Record<string, unknown>).inputScaling,
      ['inputScaling']],
    ['a leaky-relu slope', (h) => delete layersOf(h)[0].alpha, ['layers', 0, 'alpha']],
    ['the seed', (h) => delete (h.spec as Record<string, unknown>).seed, ['seed']],
  ]

  test.each(defaults)('refuses a stored spec without %s, not filling it', async (_, cut, at) => {
    const error = await loadRefusal(tamper(bytes, cut))
    expect(error.errors.map((e) => e.path)).toEqual([['header', 'spec', ...at]])
    expect(error.message).toContain(`model header spec has no '${formatPath(at)}'`)
  })
})

describe('counter bounds', () => {
  const counters: [string, (h: Header, value: number) => void, string][] = [
    ['version', (h, v) => { h.version = v }, 'header.version'],
    ['samplesSeen', (h, v) => { h.stats.samplesSeen = v }, 'header.stats.samplesSeen'],
    ['steps', (h, v) => { h.stats.steps = v }, 'header.stats.steps'],
    ['epochs', (h, v) => { h.stats.epochs = v }, 'header.stats.epochs'],
    ['optimizerSteps', (h, v) => { h.optimizerSteps = v }, 'header.optimizerSteps'],
    ['scalingCount', (h, v) => { h.scalingCount = v }, 'header.scalingCount'],
  ]

  test.each(counters)('loads %s up to 2^48 and refuses more', async (_, set, field) => {
    const top = await Network.fromBytes(tamper(bytes, (h) => set(h, MAX_COUNT)))
    expect(top.parameterCount).toBe(13)
    for (const value of [MAX_COUNT + 1, Number.MAX_SAFE_INTEGER, -1, 1.5]) {
      const error = await loadRefusal(tamper(bytes, (h) => set(h, value)))
      expect(formatPath(error.errors[0].path)).toBe(field)
      expect(error.message).toContain(`must be a whole number from 0 to 2^48 (${MAX_COUNT})`)
    }
  })

  test('train refuses a call that would pass 2^48, before changing anything', async () => {
    const near = tamper(bytes, (h) => { h.stats.samplesSeen = MAX_COUNT - 4 })
    const net = await Network.fromBytes(near)
    const before = net.toBytes()
    // 4 rows × 2 epochs would reach 2^48 + 4
    expect(() => net.train(x, y, { epochs: 2 })).toThrow(
      `train would take the model's stats.samplesSeen to ${MAX_COUNT + 4}, past 2^48`,
    )
    expect(net.toBytes()).toEqual(before)
    const fit = net.train(x, y)
    expect(fit.samplesSeen).toBe(MAX_COUNT)
    expect(fit.version).toBe(2)
    expect((await Network.fromBytes(net.toBytes())).stats.samplesSeen).toBe(MAX_COUNT)
  })

  test('train counts scaling samples and optimizer steps against the bound', async () => {
    const scaling = await Network.fromBytes(tamper(bytes, (h) => { h.scalingCount = MAX_COUNT }))
    expect(() => scaling.train(x, y)).toThrow("model's scalingCount to")
    const steps = await Network.fromBytes(tamper(bytes, (h) => { h.optimizerSteps = MAX_COUNT }))
    expect(() => steps.train(x, y)).toThrow("model's optimizerSteps to")
  })

  test('setWeights refuses to take the version past 2^48', async () => {
    const net = await Network.fromBytes(tamper(bytes, (h) => { h.version = MAX_COUNT }))
    const weights = net.getWeights()
    expect(() => net.setWeights(weights)).toThrow(`version to ${MAX_COUNT + 1}, past 2^48`)
    expect(net.version).toBe(MAX_COUNT)
  })
})

function optimizerOf(header: Header): Record<string, unknown> {
  return (header.spec as { optimizer: Record<string, unknown> }).optimizer
}

function layersOf(header: Header): Record<string, unknown>[] {
  return (header.spec as { layers: Record<string, unknown>[] }).layers
}
