/**
 * POST /v1/models/{id}/train-small-batch: one batch, applied by the
 * model's trainer in arrival order, once per Idempotency-Key.
 */
import { createRoute } from '@hono/zod-openapi'
import { inputRows } from '../input-rows.ts'
import { assertRowsWithin } from '../limit-checks.ts'
import { cacheKey, modelCache } from '../model-cache.ts'
import { unwrap } from '../model-record.ts'
import {
  COMMON_PROBLEMS,
  REPLAY_HEADERS,
  TrainResult,
  problemResponse,
} from '../response-schemas.ts'
import { createRouter } from '../router.ts'
import { IdParams, IdempotentHeaders, TrainBody } from '../schemas.ts'
import { trainerFor } from '../trainer-client.ts'
import { etag } from '../versions.ts'

const trainSmallBatch = createRoute({
  method: 'post',
  path: '/models/{id}/train-small-batch',
  summary: 'Train on one small batch; the version moves on by one',
  security: [{ Bearer: [] }],
  request: {
    params: IdParams,
    headers: IdempotentHeaders,
    body: { content: { 'application/json': { schema: TrainBody } }, required: true },
  },
  responses: {
    200: {
      description: 'applied (or, for a repeated Idempotency-Key, applied before)',
      headers: REPLAY_HEADERS,
      content: { 'application/json': { schema: TrainResult } },
    },
    400: problemResponse('malformed JSON'),
    415: problemResponse('not application/json'),
    404: problemResponse('no such model'),
    412: problemResponse('If-Match names another version'),
    413: problemResponse('body over MAX_BODY_BYTES'),
    422: problemResponse(
      'bad rows or labels, over a limit, training diverged, or an ' +
        'Idempotency-Key reused with another body',
    ),
    ...COMMON_PROBLEMS,
  },
})

/** Mounts the training route on a router. */
export function trainingRoutes() {
  const router = createRouter()

  router.openapi(trainSmallBatch, async (c) => {
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const tenant = c.get('tenant')
    const limits = c.get('limits')
    assertRowsWithin(body.x, limits)
    const headers = c.req.valid('header')
    const x = inputRows(body.x)
    const outcome = await trainerFor(c.env, tenant, id).train({
      ...body,
      x,
      tenant,
      id,
      ifMatch: headers['if-match'],
      idempotencyKey: headers['idempotency-key'],
      maxWork: limits.maxWork,
      maxCallBytes: limits.maxCallBytes,
    })
    modelCache.delete(cacheKey(tenant, id))
    const { value, replayed } = unwrap(outcome)
    c.header('ETag', etag(value.version))
    if (replayed) c.header('Idempotent-Replayed', 'true')
    return c.json(value, 200)
  })

  return router
}
