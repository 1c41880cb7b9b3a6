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
import { assertCallFits, countRows } from './limit-checks.ts'
import { stampVersion } from './model-file.ts'
import { problem } from './problem.ts'

/**
 * Prices one optimizer step (an MLP batch, or one perceptron sample) in
 * units of MAX_WORK, as many as one row through that many parameters. A
 * step has a fixed cost that dominates for tiny models trained one row at
 * a time, which rows × epochs × parameters leaves out. Measured in Node on
 * this core: about 1 µs a step on a 2-parameter model, about 1.2 ns a row
 * per parameter on an 85,000-parameter one, so a step is priced as 1024.
 */
export const WORK_PER_STEP = 1024

/** Matches the library's default batch size. */
const DEFAULT_BATCH = 32

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
  assertWorkWithin(request, record)
  const rows = countRows(request.x)
  const batch = request.batchSize ?? DEFAULT_BATCH
  assertCallFits(net.spec, { rows, batch, maxCallBytes: request.maxCallBytes })
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
  // a file stored before versions had one source may count differently
  const blob = net.version === version ? net.toBytes() : stampVersion(net.toBytes(), version)
  return { result, record: next, blob }
}

/**
 * Returns what a training call asks of the network, for its
 * Idempotency-Key fingerprint: x as rows of f32, y with every number as
 * f32, and the options with their defaults filled in (a batch larger than
 * the rows is all of them), so two bodies the network reads alike are one
 * call. A retry may send `epochs: 1` or leave it out, `[1, 2]` or
 * `[[1, 2]]`: the network could not tell them apart either.
 */
export function trainPayload(request: TrainRequest): unknown {
  const x = request.x as unknown
  const single = ArrayBuffer.isView(x) || (Array.isArray(x) && !x.some(isRowLike))
  const rows = (single ? [x] : (x as unknown[])).map(asF32Row)
  const batch = Math.min(request.batchSize ?? DEFAULT_BATCH, rows.length)
  return {
    x: rows,
    y: roundNumbers(request.y),
    epochs: request.epochs ?? 1,
    batchSize: batch,
    shuffle: request.shuffle ?? true,
  }
}

function isRowLike(value: unknown): boolean {
  return Array.isArray(value) || ArrayBuffer.isView(value)
}

// a row as f32 values; what is not a list of numbers stays as it is
function asF32Row(row: unknown): unknown {
  if (row instanceof Float32Array) return row
  if (Array.isArray(row) && row.every((v) => typeof v === 'number')) {
    return Float32Array.from(row)
  }
  return row
}

// numbers as f32, at any depth, as the network packs targets
function roundNumbers(value: unknown): unknown {
  if (typeof value === 'number') return Math.fround(value)
  if (Array.isArray(value)) return value.map(roundNumbers)
  return value
}

/**
 * Prices a call: epochs × (rows × parameters + steps × WORK_PER_STEP), with
 * steps per epoch ⌈rows / batchSize⌉ for an MLP and rows for a perceptron
 * (one update per sample). Epochs count in full, though a perceptron may
 * stop early.
 */
export function priceWork(
  kind: ModelRecord['kind'],
  call: { rows: number; epochs: number; batchSize: number; parameters: number },
): { steps: number; work: number } {
  const { rows, epochs, batchSize, parameters } = call
  const steps = kind === 'mlp' ? Math.ceil(rows / Math.min(batchSize, rows)) : rows
  return { steps, work: epochs * (rows * parameters + steps * WORK_PER_STEP) }
}

/** Refuses a call whose priced work exceeds MAX_WORK, naming every term. */
function assertWorkWithin(request: TrainRequest, record: ModelRecord): void {
  const rows = countRows(request.x)
  const epochs = request.epochs ?? 1
  const batchSize = request.batchSize ?? DEFAULT_BATCH
  const parameters = record.parameterCount
  const { steps, work } = priceWork(record.kind, { rows, epochs, batchSize, parameters })
  if (work <= request.maxWork) return
  const detail =
    `This call asks for epochs × (rows × parameters + steps × ${WORK_PER_STEP}) = ` +
    `${epochs} × (${rows} × ${parameters} + ${steps} × ${WORK_PER_STEP}) = ${work}, ` +
    `over MAX_WORK = ${request.maxWork}; send fewer rows or epochs per call, ` +
    'or a larger batchSize.'
  throw problem('limit-exceeded', detail, [{ path: ['epochs'], message: detail }])
}
