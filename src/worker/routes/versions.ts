/**
 * A model's history: GET /v1/models/{id}/versions lists the kept versions,
 * and POST /v1/models/{id}/rollback makes one current again.
 */
import { createRoute, type z } from '@hono/zod-openapi'
import { cacheKey, modelCache } from '../model-cache.ts'
import { type ModelRecord, unwrap } from '../model-record.ts'
import {
  COMMON_PROBLEMS,
  Model,
  REPLAY_HEADERS,
  VersionList,
  problemResponse,
} from '../response-schemas.ts'
import { createRouter } from '../router.ts'
import { IdParams, IdempotentHeaders, RollbackBody } from '../schemas.ts'
import { trainerFor } from '../trainer-client.ts'
import { etag } from '../versions.ts'

const security = [{ Bearer: [] }]

const listVersions = createRoute({
  method: 'get',
  path: '/models/{id}/versions',
  summary: 'List the kept versions (the last KEEP_VERSIONS), newest first, with their stats',
  security,
  request: { params: IdParams },
  responses: {
    200: { description: 'the history', content: { 'application/json': { schema: VersionList } } },
    404: problemResponse('no such model'),
    ...COMMON_PROBLEMS,
  },
})

const rollback = createRoute({
  method: 'post',
  path: '/models/{id}/rollback',
  summary: 'Make a kept version current again, as a new version',
  security,
  request: {
    params: IdParams,
    headers: IdempotentHeaders,
    body: { content: { 'application/json': { schema: RollbackBody } }, required: true },
  },
  responses: {
    200: {
      description: 'the model at its new version, with the old version’s weights and stats',
      headers: REPLAY_HEADERS,
      content: { 'application/json': { schema: Model } },
    },
    400: problemResponse('malformed JSON'),
    415: problemResponse('not application/json'),
    404: problemResponse('no such model'),
    412: problemResponse('If-Match names another version'),
    422: problemResponse('version is not kept, or an Idempotency-Key reused with another body'),
    ...COMMON_PROBLEMS,
  },
})

/** Mounts the history routes on a router. */
export function versionRoutes() {
  const router = createRouter()

  router.openapi(listVersions, async (c) => {
    const { id } = c.req.valid('param')
    const tenant = c.get('tenant')
    return c.json(unwrap(await trainerFor(c.env, tenant, id).versions({ tenant, id })), 200)
  })

  router.openapi(rollback, async (c) => {
    const { id } = c.req.valid('param')
    const { version } = c.req.valid('json')
    const headers = c.req.valid('header')
    const tenant = c.get('tenant')
    const outcome = await trainerFor(c.env, tenant, id).rollback({
      tenant,
      id,
      version,
      ifMatch: headers['if-match'],
      idempotencyKey: headers['idempotency-key'],
    })
    modelCache.delete(cacheKey(tenant, id))
    const { value, replayed } = unwrap(outcome)
    c.header('ETag', etag(value.version))
    if (replayed) c.header('Idempotent-Replayed', 'true')
    return c.json(value as ModelRecord & z.infer<typeof Model>, 200)
  })

  return router
}
