import { describe, expect, test } from 'vitest'
import type { CoreExports } from '../../src/core/core-abi.ts'
import { instantiateCore } from '../../src/core/core-loader.ts'
import { defineCore, stateLengths } from '../../src/core/core-setup.ts'
import {
  readArrays, readCounters, writeFloats,
} from '../../src/core/core-state.ts'
import { parseSpec } from '../../src/core/index.ts'

const mlp = parseSpec({
  kind: 'mlp', inputs: 3, seed: 4, loss: 'mse', inputScaling: 'standardize',
  layers: [{ units: 5, activation: 'tanh' }, { units: 2, activation: 'linear' }],
  optimizer: { name: 'adam', learningRate: 0.05 },
})
const perceptron = parseSpec({
  kind: 'perceptron', inputs: 3, outputs: 2, activation: 'sign', learningRate: 0.5, seed: 4,
})
const x = new Float32Array([1, 2, 3, -1, 0, 2, 4, 1, -2, 0.5, 0.5, 0.5])
const y = new Float32Array([1, -1, -1, 1, 1, 1, -1, -1])

/** Builds a core for a spec, with the 4 sample rows loaded. */
async function loaded(spec: typeof mlp): Promise<CoreExports> {
  const core = await instantiateCore()
  defineCore(core, spec)
  core.initialize(spec.seed)
  expect(core.reserveSamples(4)).toBe(0)
  writeFloats(core, core.samplesInputsPointer(), x)
  writeFloats(core, core.samplesTargetsPointer(), y)
  return core
}

describe('restoreState (core-abi.ts)', () => {
  const runs: [string, typeof mlp, (core: CoreExports) => number][] = [
    ['train', mlp, (core) => core.train(4, 3, 2, 1)],
    ['perceptronTrain', perceptron, (core) => core.perceptronTrain(4, 5, 1, 0.5)],
  ]

  test.each(runs)('puts back the state and counters from before %s', async (
    _, spec, run,
  ) => {
    const core = await loaded(spec)
    const lengths = stateLengths(spec)
    // a first call, so the state holds optimizer moments and statistics too
    expect(run(core)).toBe(0)
    const before = readArrays(core, lengths)
    const counters = readCounters(core)

    expect(run(core)).toBe(0)
    expect(readArrays(core, lengths).parameters).not.toEqual(before.parameters)
    // predict and evaluate in between must leave the backup alone
    expect(core.predict(4)).toBe(0)
    core.restoreState()
    expect(readArrays(core, lengths)).toEqual(before)
    expect(readCounters(core)).toEqual(counters)
  })
})

describe('stateLengths (core-setup.ts)', () => {
  const optimizers = ['sgd', 'momentum', 'adam'] as const
  test.each(optimizers)('counts what the core keeps for %s, from the spec alone', async (name) => {
    const spec = parseSpec({ ...mlp, optimizer: { name, learningRate: 0.1 } })
    const core = await instantiateCore()
    defineCore(core, spec)
    // 3·5 + 5 + 5·2 + 2 = 32 parameters; two scaling values per input
    expect(stateLengths(spec)).toEqual({
      parameters: 32,
      optimizerState: core.optimizerStateLength(),
      scaling: 6,
    })
    expect(core.optimizerStateLength()).toBe({ sgd: 0, momentum: 32, adam: 64 }[name])
  })

  test('counts no optimizer state for a perceptron, as the core does', async () => {
    const core = await instantiateCore()
    defineCore(core, perceptron)
    expect(core.optimizerStateLength()).toBe(0)
    expect(stateLengths(perceptron)).toEqual({ parameters: 8, optimizerState: 0, scaling: 0 })
  })
})
