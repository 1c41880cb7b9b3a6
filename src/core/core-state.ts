/**
 * Copies a network's state between wasm memory and JS: the arrays a model
 * file stores and the counters the core keeps beside them. A call refused
 * after the core trained puts back the state from the core's own backup,
 * so nothing changes.
 *
 * Every view over `memory.buffer` is made here, right before it is used,
 * and dropped before the next call into the core (a call may move memory).
 */
import type { CoreExports } from './core-abi.ts'

/** The state arrays of a model, by the names the format stores them under. */
export interface StateArrays {
  parameters: Float32Array
  optimizerState: Float32Array
  scaling: Float32Array
}

/** Counts the values of each state array. */
export type StateLengths = { [name in keyof StateArrays]: number }

/** The counters the core keeps outside its arrays. */
export interface Counters {
  optimizerSteps: number
  scalingCount: number
  randomState: number
}

/** Returns a copy of `length` f32 values at `pointer`. */
export function readFloats(core: CoreExports, pointer: number, length: number): Float32Array {
  return new Float32Array(core.memory.buffer, pointer, length).slice()
}

/** Writes f32 values at `pointer`. */
export function writeFloats(core: CoreExports, pointer: number, values: Float32Array): void {
  new Float32Array(core.memory.buffer, pointer, values.length).set(values)
}

/** Writes rows of `width` f32 values one after another at `pointer`. */
export function writeRows(
  core: CoreExports,
  pointer: number,
  rows: readonly Float32Array[],
  width: number,
): void {
  const view = new Float32Array(core.memory.buffer, pointer, rows.length * width)
  for (let r = 0; r < rows.length; r++) view.set(rows[r], r * width)
}

/** Reads the optimizer steps, scaling count and PRNG state. */
export function readCounters(core: CoreExports): Counters {
  return {
    optimizerSteps: core.optimizerSteps(),
    scalingCount: core.scalingCount(),
    randomState: core.randomState() >>> 0,
  }
}

/** Writes the optimizer steps, scaling count and PRNG state. */
export function writeCounters(core: CoreExports, counters: Counters): void {
  core.setOptimizerSteps(counters.optimizerSteps)
  core.setScalingCount(counters.scalingCount)
  core.setRandomState(counters.randomState)
}

/** Returns copies of the parameters, optimizer state and scaling state. */
export function readArrays(core: CoreExports, lengths: StateLengths): StateArrays {
  return {
    parameters: readFloats(core, core.parametersPointer(), lengths.parameters),
    optimizerState: readFloats(core, core.optimizerStatePointer(), lengths.optimizerState),
    scaling: readFloats(core, core.scalingPointer(), lengths.scaling),
  }
}

/** Writes the parameters, optimizer state and scaling state. */
export function writeArrays(core: CoreExports, arrays: StateArrays): void {
  writeFloats(core, core.parametersPointer(), arrays.parameters)
  writeFloats(core, core.optimizerStatePointer(), arrays.optimizerState)
  writeFloats(core, core.scalingPointer(), arrays.scaling)
}
