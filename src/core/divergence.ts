/**
 * Tells why a train call made the state non-finite, so the error names
 * what is at fault: rows that overflow the running variance, rows whose
 * gradient is not finite even before a step (no learning rate can help),
 * or else the optimizer settings.
 */
import type { CoreExports } from './core-abi.ts'
import { readFloats, restoreSnapshot, type Snapshot } from './core-state.ts'
import { divergence } from './core-status.ts'
import { Status } from './enums.ts'
import type { EdgepropError } from './errors.ts'
import { gradientOverflow, overflowingColumn, statisticsOverflow } from './finite-checks.ts'
import type { PackedInputs } from './samples.ts'
import { parameterCountOf, type Spec } from './spec.ts'

/**
 * Builds the error for a train call the core refused as non-finite; the
 * core has put its arrays back, and `before` holds the state as it was.
 * Leaves the state as `before` holds it.
 */
export function explainDivergence(
  core: CoreExports,
  spec: Spec,
  inputs: PackedInputs,
  batch: number,
  before: Snapshot,
): EdgepropError {
  const width = spec.inputs
  const { scaling } = before.arrays
  if (scaling.length > 0) {
    const column = overflowingColumn(inputs, width, scaling, before.counters.scalingCount)
    if (column >= 0) return statisticsOverflow(inputs, width, column)
    // zero epochs only merge the rows into the statistics the steps used
    if (core.train(inputs.rows, 0, batch, 0) !== Status.ok) {
      restoreSnapshot(core, before)
      return divergence(spec)
    }
  }
  const loss = core.computeGradients(inputs.rows)
  const gradients = readFloats(core, core.gradientsPointer(), parameterCountOf(spec))
  restoreSnapshot(core, before)
  // a negative loss is a status: the check could not run, so keep to the settings
  if (loss < 0) return divergence(spec)
  const finite = Number.isFinite(loss) && gradients.every(Number.isFinite)
  return finite ? divergence(spec) : gradientOverflow(spec, inputs, width)
}
