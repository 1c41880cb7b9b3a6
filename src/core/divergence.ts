/**
 * Tells why a train call made the state non-finite, so the error names
 * what is at fault: rows that overflow the running variance, rows whose
 * gradient is not finite even before a step (no learning rate can help),
 * or else the optimizer settings.
 */
import type { CoreExports } from './core-abi.ts'
import { readFloats, type Counters } from './core-state.ts'
import { divergence } from './core-status.ts'
import { Status } from './enums.ts'
import type { EdgepropError } from './errors.ts'
import { gradientOverflow, overflowingColumn, statisticsOverflow } from './finite-checks.ts'
import type { PackedInputs } from './samples.ts'
import { parameterCountOf, type Spec } from './spec.ts'

/**
 * Builds the error for a train call the core refused as non-finite, with
 * the rows still loaded; `counters` are the core's from before that call.
 * Leaves the state as it was before the call.
 */
export function explainDivergence(
  core: CoreExports,
  spec: Spec,
  call: { inputs: PackedInputs; targets: Float32Array; batch: number },
  counters: Counters,
): EdgepropError {
  const { inputs, targets, batch } = call
  const width = spec.inputs
  if (spec.kind === 'mlp' && spec.inputScaling === 'standardize') {
    const scaling = readFloats(core, core.scalingPointer(), 2 * width)
    const column = overflowingColumn(inputs, width, scaling, counters.scalingCount)
    if (column >= 0) return statisticsOverflow(inputs, width, column)
    // zero epochs only merge the rows into the statistics the steps used
    if (core.train(inputs.rows, 0, batch, 0) !== Status.ok) {
      core.restoreState()
      return divergence(spec)
    }
  }
  const loss = core.computeGradients(inputs.rows)
  const gradients = readFloats(core, core.gradientsPointer(), parameterCountOf(spec))
  core.restoreState()
  // a negative loss is a status: the check could not run, so keep to the settings
  if (loss < 0) return divergence(spec)
  const finite = Number.isFinite(loss) && gradients.every(Number.isFinite)
  return finite ? divergence(spec) : gradientOverflow(spec, inputs, targets, width)
}
