/**
 * POST /v1/models/{id}/predict: outputs for each row and, for classifiers,
 * the label and class probabilities. Reads KV through the isolate's cache,
 * or the model's trainer with `?consistency=strong`.
 */
import { createRoute } from '@hono/zod-openapi'
import { inputRows } from '../input-rows.ts'
import { assertRowsWithin } from '../limit-checks.ts'
import { predictWith } from '../model-reads.ts'
import { COMMON_PROBLEMS, ETAG_HEADER, Prediction, problemResponse } from '../response-schemas.ts'
import { createRouter } from '../router.ts'
import { ConsistencyQuery, IdParams, PredictBody } from '../schemas.ts'
import { etag } from '../versions.ts'

const predict = createRoute({
  method: 'post',
  path: '/models/{id}/predict',
  summary: 'Predict for one row or many',
  security: [{ Bearer: [] }],
  request: {
    params: IdParams,
    query: ConsistencyQuery,
    body: { content: { 'application/json': { schema: PredictBody } }, required: true },
  },
  responses: {
    200: {
      description: 'predictions',
      headers: ETAG_HEADER,
      content: { 'application/json': { schema: Prediction } },
    },
    400: problemResponse('malformed JSON'),
    415: problemResponse('not application/json'),
    404: problemResponse('no such model'),
    413: problemResponse('body over MAX_BODY_BYTES'),
    422: problemResponse('rows of the wrong width, or over MAX_ROWS'),
    ...COMMON_PROBLEMS,
  },
})

/** Mounts the predict route on a router. */
export function predictRoutes() {
  const router = createRouter()

  router.openapi(predict, async (c) => {
    const { id } = c.req.valid('param')
    const { x } = c.req.valid('json')
    const { consistency } = c.req.valid('query')
    const limits = c.get('limits')
    assertRowsWithin(x, limits)
    const target = { env: c.env, tenant: c.get('tenant'), id, consistency }
    const out = await predictWith(target, inputRows(x), limits)
    c.header('ETag', etag(out.version))
    return c.json(out, 200)
  })

  return router
}
