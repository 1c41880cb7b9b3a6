import { describe, expect, test } from 'vitest'
import { EdgepropError, Network, parseSpec } from '../../src/core/index.ts'
import { formatPath } from '../../src/core/errors.ts'

const base = {
  kind: 'mlp',
  inputs: 4,
  layers: [
    { units: 8, activation: 'relu' },
    { units: 3, activation: 'softmax' },
  ],
  loss: 'cross-entropy',
  optimizer: { name: 'adam', learningRate: 0.01 },
  labels: ['setosa', 'versicolor', 'virginica'],
  seed: 7,
}

/** Returns the base spec with some fields replaced (undefined removes a field). */
function variant(changes: Record<string, unknown>): Record<string, unknown> {
  const spec: Record<string, unknown> = { ...structuredClone(base), ...changes }
  for (const [key, value] of Object.entries(spec)) if (value === undefined) delete spec[key]
  return spec
}

function refusal(spec: unknown): EdgepropError {
  try {
    parseSpec(spec)
  } catch (error) {
    expect(error).toBeInstanceOf(EdgepropError)
    return error as EdgepropError
  }
  throw new Error('the spec was accepted')
}

const hidden = (activation: string) => ({
  layers: [{ units: 8, activation }, { units: 3, activation: 'softmax' }],
})
const output = (units: number, activation: string) => ({
  layers: [{ units: 8, activation: 'relu' }, { units, activation }],
})
const perceptron = { kind: 'perceptron', inputs: 2, outputs: 1, activation: 'heaviside',
  learningRate: 1 }

// [behaviour, spec, path of the refused field, words its message must hold]
const refusals: [string, unknown, (string | number)[], string][] = [
  ['a hidden heaviside layer', variant(hidden('heaviside')), ['layers', 0, 'activation'],
    'a step function has no gradient, so backpropagation cannot train it; ' +
    "use sigmoid, tanh, relu or leaky-relu (or kind 'perceptron' for a threshold unit)"],
  ['a sign output layer', variant(output(1, 'sign')), ['layers', 1, 'activation'],
    'no gradient'],
  ['softmax in a hidden layer', variant(hidden('softmax')), ['layers', 0, 'activation'],
    'only the output layer'],
  ['an unknown activation', variant(hidden('gelu')), ['layers', 0, 'activation'], "'relu'"],
  ['cross-entropy without softmax', variant({ ...output(1, 'sigmoid'), labels: undefined }),
    ['loss'], 'needs a softmax output'],
  ['binary-cross-entropy without sigmoid', variant({ loss: 'binary-cross-entropy' }),
    ['loss'], 'needs a sigmoid output'],
  ['a one-unit softmax', variant({ ...output(1, 'softmax'), labels: undefined }),
    ['layers', 1, 'units'], 'at least 2 units'],
  ['alpha on a relu layer', variant({
    layers: [{ units: 8, activation: 'relu', alpha: 0.1 }, { units: 3, activation: 'softmax' }],
  }), ['layers', 0, 'alpha'], 'leaky-relu'],
  ['zero units', variant({ layers: [{ units: 0, activation: 'relu' },
    { units: 3, activation: 'softmax' }] }), ['layers', 0, 'units'], 'got 0'],
  ['fractional inputs', variant({ inputs: 2.5 }), ['inputs'], 'whole number from 1 to 65536'],
  ['missing inputs', variant({ inputs: undefined }), ['inputs'], 'got missing'],
  ['inputs given as a string', variant({ inputs: '4' }), ['inputs'], 'got the string "4"'],
  ['no layers', variant({ layers: [] }), ['layers'], 'at least the output layer'],
  ['too many parameters', variant({ inputs: 65_536, layers: [
    { units: 300, activation: 'relu' }, { units: 3, activation: 'softmax' }] }), ['layers'],
    'at most 16777216'],
  ['an unknown loss', variant({ loss: 'hinge' }), ['loss'], "'cross-entropy'"],
  ['an unknown optimizer', variant({ optimizer: { name: 'rmsprop', learningRate: 0.1 } }),
    ['optimizer', 'name'], "'adam'"],
  ['a zero learning rate', variant({ optimizer: { name: 'sgd', learningRate: 0 } }),
    ['optimizer', 'learningRate'], 'positive number'],
  ['a NaN learning rate', variant({ optimizer: { name: 'sgd', learningRate: NaN } }),
    ['optimizer', 'learningRate'], 'got NaN'],
  ['momentum of 1', variant({ optimizer: { name: 'momentum', learningRate: 0.1, momentum: 1 } }),
    ['optimizer', 'momentum'], 'below 1'],
  ['a misspelt optimizer field', variant({ optimizer: { name: 'sgd', learningrate: 0.1 } }),
    ['optimizer', 'learningrate'], 'not a spec field'],
  ['an unknown top-level field', variant({ epochs: 3 }), ['epochs'], 'not a spec field'],
  ['repeated labels', variant({ labels: ['a', 'b', 'a'] }), ['labels'], '"a" appears twice'],
  ['too few labels', variant({ labels: ['a', 'b'] }), ['labels'], 'has 2 names'],
  ['labels on a regression model', variant({ ...output(1, 'linear'), loss: 'mse' }),
    ['labels'], 'not a classifier'],
  ['an unknown input scaling', variant({ inputScaling: 'minmax' }), ['inputScaling'],
    "'standardize' or 'none'"],
  ['a negative seed', variant({ seed: -1 }), ['seed'], '0 to 4294967295'],
  ['a seed beyond u32', variant({ seed: 2 ** 32 }), ['seed'], '0 to 4294967295'],
  ['an unknown kind', variant({ kind: 'cnn' }), ['kind'], "'mlp' or 'perceptron'"],
  ['a perceptron with sigmoid', { ...perceptron, activation: 'sigmoid' }, ['activation'],
    "'heaviside' or 'sign'"],
  ['a perceptron with three labels for one output', { ...perceptron, labels: ['a', 'b', 'c'] },
    ['labels'], 'has 3 names, but the model has 2 classes'],
  ['a perceptron without outputs', { ...perceptron, outputs: undefined }, ['outputs'],
    'got missing'],
  ['a perceptron past the parameter cap', { ...perceptron, inputs: 65_536, outputs: 65_536 },
    ['outputs'], 'and inputs need 4295032832 parameters, (inputs + 1) × outputs; ' +
    'a model may have at most 16777216'],
]

const sgd = (fields: object) => variant({ optimizer: { name: 'sgd', learningRate: 0.1,
  ...fields } })
const leaky = (alpha: number) => variant({
  layers: [{ units: 8, activation: 'leaky-relu', alpha }, { units: 3, activation: 'softmax' }],
})

// [behaviour, spec, path, the accepted range its message must give]
const f32Refusals: [string, unknown, (string | number)[], string][] = [
  ['a learning rate that is 0 in f32', sgd({ learningRate: 1e-50 }),
    ['optimizer', 'learningRate'], 'a positive number from 1e-30 to 1e30'],
  ['a learning rate past 1e30', sgd({ learningRate: 1e31 }),
    ['optimizer', 'learningRate'], 'a positive number from 1e-30 to 1e30'],
  ['a perceptron learning rate that is 0 in f32', { ...perceptron, learningRate: 1e-50 },
    ['learningRate'], 'a positive number from 1e-30 to 1e30'],
  ['an epsilon that is 0 in f32', sgd({ epsilon: 1e-50 }), ['optimizer', 'epsilon'],
    'from 1e-30 to 1'],
  ['a zero epsilon', sgd({ epsilon: 0 }), ['optimizer', 'epsilon'], 'from 1e-30 to 1'],
  ['an l2 that overflows l2·w', sgd({ l2: 3e38 }), ['optimizer', 'l2'], 'from 0 to 1000000'],
  ['a clipNorm that is 0 in f32 (no clipping at all)', sgd({ clipNorm: 1e-50 }),
    ['optimizer', 'clipNorm'], 'from 1e-30 to 3.4e38'],
  ['a clipNorm beyond f32', sgd({ clipNorm: 1e39 }), ['optimizer', 'clipNorm'],
    'from 1e-30 to 3.4e38'],
  ['a momentum that is 1 in f32', sgd({ momentum: 0.99999998 }), ['optimizer', 'momentum'],
    'below 1 even in f32 (at most 0.99999994)'],
  ['a beta2 that is 1 in f32', sgd({ beta2: 0.999999999 }), ['optimizer', 'beta2'],
    'below 1 even in f32'],
  ['a leaky-relu slope that is 1 in f32', leaky(0.99999999), ['layers', 0, 'alpha'],
    'below 1 even in f32'],
]

describe('spec refusals', () => {
  test.each(refusals)('refuses %s, naming the field', (_, spec, path, words) => {
    const error = refusal(spec)
    expect(error.code).toBe('invalid-spec')
    const detail = error.errors.find((e) => formatPath(e.path) === formatPath(path))
    expect(detail, JSON.stringify(error.errors)).toBeDefined()
    expect(detail!.message.startsWith(formatPath(path))).toBe(true)
    expect(detail!.message).toContain(words)
  })

  test.each(f32Refusals)('refuses %s, giving the range', (_, spec, path, range) => {
    const error = refusal(spec)
    expect(error.errors.map((e) => e.path)).toEqual([path])
    expect(error.errors[0].message).toContain(range)
  })

  test('keeps settings at the edges of the f32 ranges', () => {
    const edges = { learningRate: 1e-30, epsilon: 1e-30, l2: 1e6, clipNorm: 3.4e38,
      momentum: 0.99999994, beta1: 0, beta2: 0.99999994 }
    const spec = parseSpec(sgd(edges))
    expect(spec.kind === 'mlp' && spec.optimizer).toMatchObject(edges)
    expect(parseSpec({ ...perceptron, inputs: 4095, outputs: 4096 }).kind).toBe('perceptron')
  })

  test('refuses a spec that is not an object', () => {
    for (const spec of [null, 3, 'mlp', []]) {
      expect(refusal(spec).errors[0].message).toContain('must be a spec object')
    }
  })

  test('lists every problem at once', () => {
    const error = refusal(variant({ inputs: 0, loss: 'hinge', seed: -1 }))
    expect(error.errors.map((e) => formatPath(e.path)).sort()).toEqual(['inputs', 'loss', 'seed'])
  })

  test('Network.create refuses with the same error before loading anything', async () => {
    const error = await Network.create(variant(hidden('heaviside'))).catch((e) => e)
    expect(error).toBeInstanceOf(EdgepropError)
    expect(error.code).toBe('invalid-spec')
    expect(error.message).toContain('layers[0].activation')
  })
})

describe('spec defaults', () => {
  test('writes optimizer, scaling and leaky-relu defaults into the spec', () => {
    const spec = parseSpec(variant(hidden('leaky-relu')))
    expect(spec).toEqual({
      ...base,
      layers: [
        { units: 8, activation: 'leaky-relu', alpha: 0.01 },
        { units: 3, activation: 'softmax' },
      ],
      optimizer: {
        name: 'adam', learningRate: 0.01, momentum: 0.9, nesterov: false,
        beta1: 0.9, beta2: 0.999, epsilon: 1e-8, l2: 0,
      },
      inputScaling: 'none',
    })
  })

  test('keeps values given instead of defaults', () => {
    const optimizer = { name: 'momentum', learningRate: 0.1, momentum: 0.5, nesterov: true,
      beta1: 0.8, beta2: 0.99, epsilon: 1e-7, l2: 1e-4, clipNorm: 5 }
    const spec = parseSpec(variant({ optimizer }))
    expect(spec.kind === 'mlp' && spec.optimizer).toEqual(optimizer)
  })

  test('net.spec holds the defaults and the seed it was given', async () => {
    const net = await Network.create(variant({ inputScaling: 'standardize' }))
    expect(net.spec).toEqual(parseSpec(variant({ inputScaling: 'standardize' })))
    expect(net.spec.seed).toBe(7)
    expect(Object.isFrozen(net.spec)).toBe(true)
  })

  test('draws a seed when none is given and records it in net.spec', async () => {
    const first = await Network.create(variant({ seed: undefined }))
    const second = await Network.create(variant({ seed: undefined }))
    for (const net of [first, second]) {
      expect(Number.isInteger(net.spec.seed)).toBe(true)
      expect(net.spec.seed).toBeGreaterThanOrEqual(0)
      expect(net.spec.seed).toBeLessThan(2 ** 32)
    }
    // two draws from 2^32 seeds agree with probability 2^-32
    expect(first.spec.seed).not.toBe(second.spec.seed)
  })

  test('a recorded seed rebuilds the same weights', async () => {
    const drawn = await Network.create(variant({ seed: undefined }))
    const again = await Network.create(drawn.spec)
    expect(again.getWeights()).toEqual(drawn.getWeights())
  })

  test('fills a perceptron spec with its drawn seed only', () => {
    const spec = parseSpec(perceptron)
    expect(Object.keys(spec).sort()).toEqual(
      ['activation', 'inputs', 'kind', 'learningRate', 'outputs', 'seed'],
    )
  })
})
