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
export function divergence(
  spec: Spec,
  what = 'a weight or optimizer value became NaN or infinite',
): EdgepropError {
  const rate = spec.kind === 'mlp' ? spec.optimizer.learningRate : spec.learningRate
  const path = spec.kind === 'mlp' ? ['optimizer', 'learningRate'] : ['learningRate']
  const field = path.join('.')
  const clip = spec.kind === 'mlp' ? ", or set 'optimizer.clipNorm'" : ''
  const lower = Number((rate / 10).toPrecision(3))
  // the spec accepts no rate below 1e-30, so never suggest one
  const fix = lower >= 1e-30 ? `lower '${field}' (try ${lower})${clip}, or scale the inputs`
    : `'${field}' is already near its least (1e-30): scale the inputs down${clip}`
  return new EdgepropError('non-finite', [{
    path,
    message:
      `training diverged: ${what} with ` +
      `${field} ${rate}, so the network was left as it was; ${fix}`,
  }])
}

/** Builds the error for a model too large for wasm memory. */
export function tooBig(spec: Spec, parameters: number): EdgepropError {
  const mlp = spec.kind === 'mlp'
  return new EdgepropError('invalid-spec', [{
    path: [mlp ? 'layers' : 'outputs'],
    message:
      `${mlp ? 'layers need' : 'outputs and inputs need'} ${parameters} parameters and ` +
      'their state, more than wasm memory (2 GiB) holds with its buffers; ' +
      (mlp ? 'use fewer or smaller layers' : 'use fewer inputs or outputs'),
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
