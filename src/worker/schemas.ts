/**
 * The zod schemas that validate every request; the OpenAPI document at
 * /openapi.json is generated from these same objects.
 */
import { z } from '@hono/zod-openapi'
import { specSchema } from '../core/index.ts'

/** Matches a model id: a letter or digit, then up to 63 of `A-Za-z0-9._-`. */
export const ModelId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    error: 'expected 1 to 64 of A-Z a-z 0-9 . _ - starting with a letter or digit',
  })
  .openapi({ example: 'iris' })

/** Validates the `:id` path parameter. */
export const IdParams = z.object({
  id: ModelId.openapi({ param: { name: 'id', in: 'path' } }),
})

const SPEC_EXAMPLE = {
  kind: 'mlp',
  inputs: 4,
  layers: [
    { units: 8, activation: 'relu' },
    { units: 3, activation: 'softmax' },
  ],
  loss: 'cross-entropy',
  optimizer: { name: 'adam', learningRate: 0.01 },
  labels: ['setosa', 'versicolor', 'virginica'],
  inputScaling: 'standardize',
  seed: 7,
}

/**
 * Accepts either kind of model spec: the library's own schema, so the API
 * refuses exactly what Network.create refuses, with the same messages.
 * NOTE: it is named with zod's own `.meta`, since `.openapi` exists only on
 * schemas made after @hono/zod-openapi loaded, and the library's may not be.
 */
export const ModelSpec = specSchema.meta({ id: 'ModelSpec', example: SPEC_EXAMPLE })

/** Validates the body of POST /v1/models. */
export const CreateModelBody = z
  .strictObject({
    id: ModelId.optional().openapi({ description: 'omit to get a generated id' }),
    spec: ModelSpec,
  })
  .openapi('CreateModel', { example: { id: 'iris', spec: SPEC_EXAMPLE } })

const ROW_DOC = { type: 'array', items: { type: 'number' }, minItems: 1 } as const

/**
 * Checks that `x` is a non-empty list; the document still gives its full
 * shape. Each row and value is checked once, against the model's width,
 * by the library (samples.ts), whose messages name the row and column
 * and say what the model takes. zod spent about 25 ns a value here, and
 * its union of one row or many read a one-row batch twice.
 */
const Rows = z
  .array(z.unknown())
  .min(1, { error: 'has no rows; give at least one row of numbers' })
  .openapi({
    description: 'rows of inputs, or one row',
    anyOf: [{ type: 'array', items: ROW_DOC, minItems: 1 }, ROW_DOC],
    example: [[5.1, 3.5, 1.4, 0.2]],
  })
const TARGET_KINDS = 'a class label, a class index, a number, or a row of numbers'
const Target = z.union([z.string(), z.number(), z.array(z.number()).min(1)], {
  error: `expected ${TARGET_KINDS}`,
})

/** Caps epochs per call, as the library does (its MAX_EPOCHS). */
export const MAX_EPOCHS = 100_000
/** Caps batchSize, as the library does (2^31 − 1; a batch past the rows is all rows). */
export const MAX_BATCH_SIZE = 2 ** 31 - 1

/** Validates the body of POST /v1/models/:id/train-small-batch. */
export const TrainBody = z
  .strictObject({
    x: Rows,
    y: z.union([z.array(Target).min(1), z.string(), z.number()], {
      error: `expected one target per row (${TARGET_KINDS}), or one for a single row`,
    }).openapi({
      description: 'labels, class indices, one-hot rows or regression targets',
      example: ['setosa'],
    }),
    epochs: z
      .int()
      .min(1, { error: `expected a whole number from 1 to ${MAX_EPOCHS}` })
      .max(MAX_EPOCHS, { error: `expected a whole number from 1 to ${MAX_EPOCHS}` })
      .optional()
      .openapi({ example: 1 }),
    batchSize: z
      .int()
      .min(1, { error: `expected a whole number from 1 to ${MAX_BATCH_SIZE}` })
      .max(MAX_BATCH_SIZE, { error: `expected a whole number from 1 to ${MAX_BATCH_SIZE}` })
      .optional()
      .openapi({ example: 16 }),
    shuffle: z.boolean().optional(),
  })
  .openapi('TrainBatch', {
    example: {
      x: [[5.1, 3.5, 1.4, 0.2], [7, 3.2, 4.7, 1.4], [6.3, 3.3, 6, 2.5]],
      y: ['setosa', 'versicolor', 'virginica'],
      epochs: 5,
    },
  })

/** Validates the body of POST /v1/models/:id/predict. */
export const PredictBody = z
  .strictObject({ x: Rows })
  .openapi('PredictInput', { example: { x: [[5.1, 3.5, 1.4, 0.2]] } })

/** Validates the query of GET /v1/models. */
export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional().openapi({ example: 50 }),
  cursor: z.string().min(1).max(1024).optional(),
})

/** Validates the optional `If-Match` header of a changing route. */
export const IfMatchHeaders = z.object({
  'if-match': z.string().optional().openapi({
    description: 'apply only if the model is still at this version ("N")',
    example: '"3"',
  }),
})

/** Validates the optional `Idempotency-Key` header beside `If-Match`. */
export const IdempotentHeaders = IfMatchHeaders.extend({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, {
      error: 'expected 1 to 255 visible ASCII characters, such as a UUID',
    })
    .optional()
    .openapi({
      description:
        'apply this call once: a retry with the same key and body answers ' +
        'the first result (with Idempotent-Replayed: true); the same key ' +
        'with another body answers 422. Kept for 24 hours.',
      example: '5f2c7a0e-1b7e-4a53-9d55-8c1f0e2b6a41',
    }),
})

/** Validates `?consistency=`: KV (the default) or the model's trainer. */
export const ConsistencyQuery = z.object({
  consistency: z.enum(['eventual', 'strong']).optional().openapi({
    description:
      'eventual (default): read the KV snapshot, fast everywhere, possibly a ' +
      'few seconds old; strong: read the trainer, which has every change that ' +
      'was answered',
    example: 'strong',
  }),
})

/** Validates the body of POST /v1/models/:id/rollback. */
export const RollbackBody = z
  .strictObject({
    version: z.int().min(0).openapi({ description: 'a kept version', example: 3 }),
  })
  .openapi('Rollback')
