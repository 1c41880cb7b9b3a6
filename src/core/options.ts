/**
 * Checks the other arguments callers pass a Network: train options and the
 * layers given to setWeights.
 */
import { describe } from './errors.ts'
import { Problems, checkNumber, isRow } from './samples.ts'
import type { Spec } from './spec.ts'

/** Options of `net.train`; every field is optional. */
export interface TrainOptions {
  /** Passes over the rows given (default 1). */
  epochs?: number
  /** Rows per optimizer step (default 32, capped at the rows given). */
  batchSize?: number
  /** Shuffles the rows before each epoch with the model's PRNG (default true). */
  shuffle?: boolean
}

/** Caps the epochs one train call may run. */
export const MAX_EPOCHS = 100_000

/** Validates train options and fills their defaults. */
export function parseTrainOptions(options: unknown): Required<TrainOptions> {
  const problems = new Problems()
  if (options === undefined || options === null) options = {}
  if (typeof options !== 'object' || Array.isArray(options)) {
    problems.add(['options'], `is ${describe(options)}; expected { epochs, batchSize, shuffle }`)
    problems.throwIfAny()
  }
  const { epochs = 1, batchSize = 32, shuffle = true, ...rest } = options as TrainOptions
  for (const key of Object.keys(rest)) {
    problems.add([key], "is not a train option; use 'epochs', 'batchSize' or 'shuffle'")
  }
  if (!isWhole(epochs, MAX_EPOCHS)) {
    const range = `a whole number from 1 to ${MAX_EPOCHS}`
    problems.add(['epochs'], `is ${describe(epochs)}; expected ${range}`)
  }
  if (!isWhole(batchSize, 2 ** 31 - 1)) {
    const range = 'a whole number ≥ 1, such as 32'
    problems.add(['batchSize'], `is ${describe(batchSize)}; expected ${range}`)
  }
  if (typeof shuffle !== 'boolean') {
    problems.add(['shuffle'], `is ${describe(shuffle)}; expected true or false`)
  }
  problems.throwIfAny()
  return { epochs, batchSize, shuffle }
}

function isWhole(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max
}

/** One layer's weights: W is inputs×units row-major, b has one value per unit. */
export interface LayerWeights {
  W: Float32Array
  b: Float32Array
}

/** What setWeights takes per layer: W and b as typed arrays or plain number arrays. */
export interface LayerValues {
  W: ArrayLike<number>
  b: ArrayLike<number>
}

/** Validates setWeights' argument against the layer shapes and packs it as parameters. */
export function packWeights(
  layers: unknown,
  shapes: readonly { inputs: number; units: number }[],
  parameterCount: number,
): Float32Array {
  const problems = new Problems()
  if (!Array.isArray(layers) || layers.length !== shapes.length) {
    const got = Array.isArray(layers) ? `${layers.length} layers` : describe(layers)
    problems.add(['layers'], `is ${got}; the model has ${shapes.length}, each { W, b }`)
    problems.throwIfAny()
  }
  const out = new Float32Array(parameterCount)
  let offset = 0
  shapes.forEach((shape, i) => {
    const layer = (layers as unknown[])[i]
    const path = ['layers', i]
    if (typeof layer !== 'object' || layer === null) {
      problems.add(path, `is ${describe(layer)}; expected { W, b }`)
    } else {
      const { W, b } = layer as Record<string, unknown>
      const size = `${shape.inputs}×${shape.units} = ${shape.inputs * shape.units}`
      packArray(W, [...path, 'W'], shape.inputs * shape.units, size, out, offset, problems)
      offset += shape.inputs * shape.units
      packArray(b, [...path, 'b'], shape.units, `${shape.units}`, out, offset, problems)
      offset += shape.units
      return
    }
    offset += (shape.inputs + 1) * shape.units
  })
  problems.throwIfAny()
  return out
}

function packArray(
  values: unknown,
  path: (string | number)[],
  length: number,
  size: string,
  out: Float32Array,
  offset: number,
  problems: Problems,
): void {
  if (!isRow(values)) {
    problems.add(path, `is ${describe(values)}; expected ${size} values (a Float32Array)`)
    return
  }
  if (values.length !== length) {
    problems.add(path, `has ${values.length} values; layer ${path[1]} takes ${size}`)
    return
  }
  for (let i = 0; i < length && !problems.full; i++) {
    out[offset + i] = checkNumber(values[i], [...path, i], problems)
  }
}

/** Lists each layer's input and unit counts, in order. */
export function layerShapes(spec: Spec): { inputs: number; units: number }[] {
  if (spec.kind === 'perceptron') return [{ inputs: spec.inputs, units: spec.outputs }]
  let inputs = spec.inputs
  return spec.layers.map((layer) => {
    const shape = { inputs, units: layer.units }
    inputs = layer.units
    return shape
  })
}

/** Splits a flat parameter-shaped buffer into each layer's W and b (copies). */
export function splitLayers(
  values: Float32Array,
  shapes: readonly { inputs: number; units: number }[],
): LayerWeights[] {
  let offset = 0
  return shapes.map(({ inputs, units }) => {
    const W = values.slice(offset, offset + inputs * units)
    offset += inputs * units
    const b = values.slice(offset, offset + units)
    offset += units
    return { W, b }
  })
}
