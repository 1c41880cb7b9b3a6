/**
 * POST /v1/models/{id}/predict: outputs for each row and, for classifiers,
 * the label and class probabilities. Reads KV through the isolate's cache.
 */
import { createRoute } from '@hono/zod-openapi'
import { assertRowsWithin } from '../limit-checks.ts'
import { networkFor } from '../model-cache.ts'
import { ModelStore } from '../model-store.ts'
import { COMMON_PROBLEMS, Prediction, problemResponse } from '../response-schemas.ts'
import { createRouter } from '../router.ts'
import { IdParams, PredictBody } from '../schemas.ts'
import { etag } from '../versions.ts'

const predict = createRoute({
  method: 'post',
  path: '/models/{id}/predict',
  summary: 'Predict for one row or many',
  security: [{ Bearer: [] }],
  request: {
    params: IdParams,
    body: { content: { 'application/json': { schema: PredictBody } }, required: true },
  },
  responses: {
    200: {
      description: 'predictions',
      content: { 'application/json': { schema: Prediction } },
    },
    400: problemResponse('malformed JSON or not JSON'),
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
    const limits = c.get('limits')
    assertRowsWithin(x, limits)
    const store = new ModelStore(c.env.MODELS, c.get('tenant'))
    const maxAgeMs = limits.modelCacheSeconds * 1000
    const { net, version } = await networkFor(store, c.get('tenant'), id, maxAgeMs)
    const out = net.predict(x)
    c.header('ETag', etag(version))
    return c.json({ id, version, ...out }, 200)
  })

  return router
}
