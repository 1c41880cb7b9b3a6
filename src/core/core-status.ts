/**
 * Turns the Status codes the core returns into errors a caller can act on.
 * A status that valid arguments should never produce is a bug in edgeprop,
 * and says so.
 */
import { Status } from './enums.ts'
import { EdgepropError } from './errors.ts'
import type { Spec } from './spec.ts'

const NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(Status).map(([name, code]) => [code, name]),
)

/** Throws unless a core call returned Status.ok. */
export function expectOk(status: number, call: string): void {
  if (status === Status.ok) return
  const name = NAMES[status] ?? 'an unknown status'
  throw new Error(
    `core.wasm ${call}() returned ${status} (${name}) for arguments the library checked; ` +
      'this is a bug in edgeprop: please report it with the spec and data',
  )
}

/**
 * Returns a loss from evaluate or computeGradients, which report a failure
 * as a negative Status instead.
 */
export function expectLoss(value: number, call: string, rows: number): number {
  if (value >= 0 || Number.isNaN(value)) return value
  if (-value === Status.outOfMemory) throw tooManyRows(rows)
  expectOk(-value, call)
  return value
}

/** Builds the error for a training call that made the state non-finite. */
export function divergence(spec: Spec): EdgepropError {
  const rate = spec.kind === 'mlp' ? spec.optimizer.learningRate : spec.learningRate
  const path = spec.kind === 'mlp' ? ['optimizer', 'learningRate'] : ['learningRate']
  const field = path.join('.')
  const clip = spec.kind === 'mlp' ? ", or set 'optimizer.clipNorm'" : ''
  return new EdgepropError('non-finite', [{
    path,
    message:
      `training diverged: a weight or optimizer value became NaN or infinite with ` +
      `${field} ${rate}, so the network was left as it was; lower '${field}' ` +
      `(try ${rate / 10})${clip}, or scale the inputs`,
  }])
}

/** Builds the error for a model too large for wasm memory. */
export function tooBig(parameters: number): EdgepropError {
  return new EdgepropError('invalid-spec', [{
    path: ['layers'],
    message:
      `layers need ${parameters} parameters and their optimizer state, more than ` +
      'wasm memory (2 GiB) holds with its buffers; use fewer or smaller layers',
  }])
}

/** Builds the error for a batch too large for wasm memory. */
export function tooManyRows(rows: number): EdgepropError {
  return new EdgepropError('invalid-data', [{
    path: ['x'],
    message: `x has ${rows} rows, more than wasm memory holds for this model; ` +
      'send fewer rows per call',
  }])
}

/** Builds the error for asking a perceptron for gradients. */
export function noGradient(): EdgepropError {
  return new EdgepropError('invalid-spec', [{
    path: ['kind'],
    message: "is 'perceptron', but gradients() needs kind 'mlp': a step function " +
      'has no gradient',
  }])
}

/** The counters a failed train restores, alongside the arrays the core restores. */
export interface Counters {
  optimizerSteps: number
  scalingCount: number
  randomState: number
}
