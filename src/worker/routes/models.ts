/**
 * Create, list, read and delete models: POST/GET /v1/models and
 * GET/DELETE /v1/models/{id}.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { Network } from '../../core/index.ts'
import { ensureCore } from '../core-loader.ts'
import { assertSpecWithin } from '../limit-checks.ts'
import { cacheKey, modelCache } from '../model-cache.ts'
import { readRecord } from '../model-reads.ts'
import { type ModelRecord, unwrap } from '../model-record.ts'
import { ModelStore } from '../model-store.ts'
import {
  COMMON_PROBLEMS,
  ETAG_HEADER,
  Model,
  ModelList,
  problemResponse,
} from '../response-schemas.ts'
import { createRouter } from '../router.ts'
import {
  ConsistencyQuery,
  CreateModelBody,
  IdParams,
  IfMatchHeaders,
  ListQuery,
} from '../schemas.ts'
import { trainerFor } from '../trainer-client.ts'
import { etag } from '../versions.ts'

const security = [{ Bearer: [] }]

const createModel = createRoute({
  method: 'post',
  path: '/models',
  summary: 'Create a model from a spec',
  security,
  request: {
    body: { content: { 'application/json': { schema: CreateModelBody } }, required: true },
  },
  responses: {
    201: { description: 'created', content: { 'application/json': { schema: Model } } },
    400: problemResponse('malformed JSON'),
    415: problemResponse('not application/json'),
    409: problemResponse('the id is taken'),
    413: problemResponse('body or spec over its limit'),
    422: problemResponse('invalid spec, or over MAX_PARAMETERS'),
    ...COMMON_PROBLEMS,
  },
})

const listModels = createRoute({
  method: 'get',
  path: '/models',
  summary: 'List models, a page at a time',
  security,
  request: { query: ListQuery },
  responses: {
    200: { description: 'one page', content: { 'application/json': { schema: ModelList } } },
    422: problemResponse('bad limit or cursor'),
    ...COMMON_PROBLEMS,
  },
})

const getModel = createRoute({
  method: 'get',
  path: '/models/{id}',
  summary: 'Read a model: spec, version (also as ETag), training stats',
  security,
  request: { params: IdParams, query: ConsistencyQuery },
  responses: {
    200: {
      description: 'the model',
      headers: ETAG_HEADER,
      content: { 'application/json': { schema: Model } },
    },
    404: problemResponse('no such model'),
    ...COMMON_PROBLEMS,
  },
})

const deleteModel = createRoute({
  method: 'delete',
  path: '/models/{id}',
  summary: 'Delete a model: its trainer state, its history and its KV keys',
  security,
  request: { params: IdParams, headers: IfMatchHeaders },
  responses: {
    204: { description: 'deleted' },
    404: problemResponse('no such model'),
    412: problemResponse('If-Match names another version'),
    ...COMMON_PROBLEMS,
  },
})

/** Builds a network from a validated spec (the library's refusals become 422s). */
async function buildNetwork(spec: unknown): Promise<Network> {
  await ensureCore()
  return Network.create(spec)
}

/** Mounts the model routes on a router. */
export function modelRoutes() {
  const router = createRouter()

  router.openapi(createModel, async (c) => {
    const { id = crypto.randomUUID(), spec } = c.req.valid('json')
    const tenant = c.get('tenant')
    assertSpecWithin(spec, c.get('limits'))
    const net = await buildNetwork(spec)
    const trainer = trainerFor(c.env, tenant, id)
    const record = unwrap(await trainer.create({ tenant, id, blob: net.toBytes() }))
    modelCache.delete(cacheKey(tenant, id))
    c.header('Location', `/v1/models/${encodeURIComponent(id)}`)
    c.header('ETag', etag(record.version))
    return c.json(record as ModelRecord & z.infer<typeof Model>, 201)
  })

  router.openapi(listModels, async (c) => {
    const { limit = 50, cursor } = c.req.valid('query')
    const store = new ModelStore(c.env.MODELS, c.get('tenant'))
    return c.json(await store.list(limit, cursor), 200)
  })

  router.openapi(getModel, async (c) => {
    const { id } = c.req.valid('param')
    const { consistency } = c.req.valid('query')
    const record = await readRecord({ env: c.env, tenant: c.get('tenant'), id, consistency })
    c.header('ETag', etag(record.version))
    return c.json(record as ModelRecord & z.infer<typeof Model>, 200)
  })

  router.openapi(deleteModel, async (c) => {
    const { id } = c.req.valid('param')
    const tenant = c.get('tenant')
    const ifMatch = c.req.valid('header')['if-match']
    unwrap(await trainerFor(c.env, tenant, id).remove({ tenant, id, ifMatch }))
    modelCache.delete(cacheKey(tenant, id))
    return c.body(null, 204)
  })

  return router
}
