/**
 * One training call on a live network: checks the work limit, trains, and
 * describes the new version. Runs inside the model's trainer.
 */
import type { Network } from '../core/index.ts'
import {
  type ModelRecord,
  type TrainRequest,
  type TrainResult,
  describeNetwork,
} from './model-record.ts'
import { problem } from './problem.ts'

/** Holds what one applied batch produced. */
export interface AppliedBatch {
  result: TrainResult
  record: ModelRecord
  blob: Uint8Array
}

/**
 * Trains `net` on the request's batch and returns the next version. The
 * library leaves the network as it was when it throws (bad data, or a step
 * that made a value non-finite).
 */
export function applyBatch(
  net: Network,
  record: ModelRecord,
  request: TrainRequest,
): AppliedBatch {
  assertWorkWithin(request, record.parameterCount)
  const { epochs, batchSize, shuffle } = request
  const options = Object.fromEntries(
    Object.entries({ epochs, batchSize, shuffle }).filter(([, v]) => v !== undefined),
  )
  const fit = net.train(request.x, request.y as never, options)
  const version = record.version + 1
  const next = describeNetwork(net, record.id, version, record.createdAt)
  const result: TrainResult = {
    id: record.id,
    version,
    lossBefore: fit.lossBefore,
    lossAfter: fit.lossAfter,
    ...(fit.accuracy === undefined ? {} : { accuracy: fit.accuracy }),
    samplesSeen: fit.samplesSeen,
    steps: fit.steps,
    epochs: fit.epochs,
  }
  return { result, record: next, blob: net.toBytes() }
}

/** Counts the rows of `x`, which is one row or a list of rows. */
export function countRows(x: number[] | number[][]): number {
  return Array.isArray(x[0]) ? x.length : 1
}

/** Refuses a call whose rows × epochs × parameters exceeds MAX_WORK. */
function assertWorkWithin(request: TrainRequest, parameters: number): void {
  const rows = countRows(request.x)
  const epochs = request.epochs ?? 1
  const work = rows * epochs * parameters
  if (work <= request.maxWork) return
  const detail =
    `This call asks for rows × epochs × parameters = ${rows} × ${epochs} × ` +
    `${parameters} = ${work}, over MAX_WORK = ${request.maxWork}; ` +
    'send fewer rows or epochs per call.'
  throw problem('limit-exceeded', detail, [{ path: ['epochs'], message: detail }])
}
