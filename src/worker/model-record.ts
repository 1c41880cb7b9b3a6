/**
 * What the API says about a model, and the messages between the Worker and
 * the model's trainer (a Durable Object).
 */
import type { Network, Rows } from '../core/index.ts'
import type { Limits } from './limits.ts'
import { type ProblemBody, ApiProblem, problem } from './problem.ts'

/** Counts what training has done to a model so far. */
export interface TrainingStats {
  samplesSeen: number
  steps: number
  epochs: number
}

/** Describes one model: stored as JSON in KV and answered by GET. */
export interface ModelRecord {
  id: string
  kind: 'mlp' | 'perceptron'
  version: number
  parameterCount: number
  spec: Network['spec']
  classes: (string | number)[] | null
  stats: TrainingStats
  createdAt: string
  updatedAt: string
}

/** Holds the few fields a list shows, kept as KV metadata of the record. */
export interface ModelSummary {
  id: string
  kind: ModelRecord['kind']
  version: number
  parameterCount: number
  updatedAt: string
}

/** Describes `net` as model `id` at `version`. */
export function describeNetwork(
  net: Network,
  id: string,
  version: number,
  createdAt: string,
  now = new Date().toISOString(),
): ModelRecord {
  const { samplesSeen, steps, epochs } = net.stats
  return {
    id,
    kind: net.spec.kind,
    version,
    parameterCount: net.parameterCount,
    spec: net.spec,
    classes: net.classes ? [...net.classes] : null,
    stats: { samplesSeen, steps, epochs },
    createdAt,
    updatedAt: now,
  }
}

/** Picks the list fields of a record. */
export function summarize(record: ModelRecord): ModelSummary {
  const { id, kind, version, parameterCount, updatedAt } = record
  return { id, kind, version, parameterCount, updatedAt }
}

/** Carries a result or a problem back over RPC (errors lose their fields there). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: ProblemBody }

/** Wraps a value as a successful outcome. */
export function succeed<T>(value: T): Outcome<T> {
  return { ok: true, value }
}

/** Returns an outcome's value, or throws its problem for the error handler. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value
  throw new ApiProblem(outcome.problem)
}

/** Creates the 404 problem for a model this tenant does not have. */
export function missingModel(id: string): ApiProblem {
  const detail = `There is no model "${id}"; GET /v1/models lists yours.`
  return problem('not-found', detail, [{ path: ['path', 'id'], message: detail }])
}

/** Identifies a model and who asks; sent with every call to a trainer. */
export interface ModelAddress {
  tenant: string
  id: string
}

/** Asks a trainer to store a new model; refused when the id is taken. */
export interface CreateRequest extends ModelAddress {
  blob: Uint8Array
}

/** Carries the preconditions a changing call may send. */
export interface Preconditions {
  /** The If-Match header: apply only to these versions. */
  ifMatch?: string
  /** The Idempotency-Key header: apply once, answer the same on a retry. */
  idempotencyKey?: string
}

/** Asks a trainer to apply one batch. */
export interface TrainRequest extends ModelAddress, Preconditions {
  x: Rows
  y: unknown
  epochs?: number
  batchSize?: number
  shuffle?: boolean
  maxWork: number
  maxCallBytes: number
}

/** Asks a trainer to make a kept version current again, as a new version. */
export interface RollbackRequest extends ModelAddress, Preconditions {
  version: number
}

/** Asks a trainer to predict from its current state (a strong read). */
export interface PredictRequest extends ModelAddress {
  x: Rows
  limits: Limits
}

/** Answers a change that may have been a replay of an earlier one. */
export interface Applied<T> {
  value: T
  /** True when an Idempotency-Key matched an earlier call, which was not re-applied. */
  replayed: boolean
}

/** Asks a trainer to replace (or create) its model with an uploaded blob. */
export interface ReplaceRequest extends ModelAddress {
  blob: Uint8Array
  ifMatch?: string
}

/** Asks a trainer to forget its model. */
export interface RemoveRequest extends ModelAddress {
  ifMatch?: string
}

/** Names how a version came to be. */
export type VersionChange = 'create' | 'train' | 'upload' | 'rollback'

/** Describes one kept version in a model's history. */
export interface VersionInfo {
  version: number
  change: VersionChange
  /** For a rollback: the version it restored. */
  from?: number
  stats: TrainingStats
  updatedAt: string
  /** Size of the version's model file. */
  bytes: number
}

/** Lists a model's kept versions, newest first. */
export interface VersionList {
  id: string
  version: number
  keep: number
  versions: VersionInfo[]
}

/** Reports one applied batch. */
export interface TrainResult {
  id: string
  version: number
  lossBefore: number
  lossAfter: number
  accuracy?: number
  samplesSeen: number
  steps: number
  epochs: number
}
