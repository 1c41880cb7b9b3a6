/**
 * Schemas of what the API answers, for the OpenAPI document.
 */
import { z } from '@hono/zod-openapi'
import { ModelSpec } from './schemas.ts'

/** Describes an `application/problem+json` error. */
export const Problem = z
  .object({
    type: z.string().openapi({ example: 'urn:edgeprop:problem:invalid-data' }),
    title: z.string().openapi({ example: 'Invalid data' }),
    status: z.int().openapi({ example: 422 }),
    detail: z.string().openapi({ example: 'x[3] has 5 values; the model takes 4' }),
    errors: z.array(
      z.object({
        path: z.array(z.union([z.string(), z.int()])).openapi({ example: ['x', 3] }),
        message: z.string(),
      }),
    ),
  })
  .openapi('Problem')

const Stats = z.object({ samplesSeen: z.int(), steps: z.int(), epochs: z.int() })
const Kind = z.enum(['mlp', 'perceptron'])

/** Describes one model in a list. */
export const ModelSummary = z
  .object({
    id: z.string(),
    kind: Kind,
    version: z.int(),
    parameterCount: z.int(),
    updatedAt: z.string(),
  })
  .openapi('ModelSummary')

/** Describes one model in full. */
export const Model = z
  .object({
    id: z.string(),
    kind: Kind,
    version: z.int(),
    parameterCount: z.int(),
    spec: ModelSpec,
    classes: z.array(z.union([z.string(), z.int()])).nullable(),
    stats: Stats,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Model')

/** Describes one page of models. */
export const ModelList = z
  .object({
    models: z.array(ModelSummary),
    cursor: z.string().nullable().openapi({ description: 'pass as ?cursor= for the next page' }),
  })
  .openapi('ModelList')

/** Reports one applied training batch. */
export const TrainResult = z
  .object({
    id: z.string(),
    version: z.int(),
    lossBefore: z.number(),
    lossAfter: z.number(),
    accuracy: z.number().optional(),
    samplesSeen: z.int(),
    steps: z.int(),
    epochs: z.int(),
  })
  .openapi('TrainResult')

/** Reports predictions for each row. */
export const Prediction = z
  .object({
    id: z.string(),
    version: z.int(),
    outputs: z.array(z.array(z.number())),
    labels: z.array(z.union([z.string(), z.int()])).optional(),
    probabilities: z.array(z.array(z.number())).optional(),
  })
  .openapi('Prediction')

/** Describes one kept version. */
export const VersionInfo = z
  .object({
    version: z.int(),
    change: z.enum(['create', 'train', 'upload', 'rollback']),
    from: z.int().optional().openapi({ description: 'the version a rollback restored' }),
    stats: Stats,
    updatedAt: z.string(),
    bytes: z.int().openapi({ description: 'size of the model file' }),
  })
  .openapi('VersionInfo')

/** Lists a model's kept versions, newest first. */
export const VersionList = z
  .object({
    id: z.string(),
    version: z.int().openapi({ description: 'the current version' }),
    keep: z.int().openapi({ description: 'how many versions are kept (KEEP_VERSIONS)' }),
    versions: z.array(VersionInfo),
  })
  .openapi('VersionList')

/** Says the Worker is up. */
export const Health = z.object({ status: z.literal('ok') }).openapi('Health')

/** Builds the OpenAPI entry of a problem response. */
export function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: Problem } } }
}

/** Lists the problem responses every model route can give. */
export const COMMON_PROBLEMS = {
  401: problemResponse('missing or unknown bearer token'),
  503: problemResponse('no API tokens configured'),
} as const

/** Describes the ETag header of an answer that names a version. */
export const ETAG_HEADER = {
  ETag: {
    description: 'the version the answer is about, as "N"',
    schema: { type: 'string' as const, example: '"3"' },
  },
}

/** Describes the headers of a change that may have been replayed. */
export const REPLAY_HEADERS = {
  ...ETAG_HEADER,
  'Idempotent-Replayed': {
    description: 'true when the answer repeats an earlier call with this Idempotency-Key',
    schema: { type: 'string' as const, enum: ['true'] },
  },
}
