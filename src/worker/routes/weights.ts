/**
 * GET and PUT /v1/models/{id}/weights: the binary model format, so a model
 * trained in a browser or in Node can be uploaded and a served one saved.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { inspectModel, rewriteModel } from '../../core/index.ts'
import { assertParametersWithin, assertSpecBytesWithin } from '../limit-checks.ts'
import { cacheKey, modelCache } from '../model-cache.ts'
import { readWeights } from '../model-reads.ts'
import { type ModelRecord, unwrap } from '../model-record.ts'
import { COMMON_PROBLEMS, ETAG_HEADER, Model, problemResponse } from '../response-schemas.ts'
import { createRouter } from '../router.ts'
import { ConsistencyQuery, IdParams, IfMatchHeaders } from '../schemas.ts'
import { trainerFor } from '../trainer-client.ts'
import { etag } from '../versions.ts'
import { problem } from '../problem.ts'

const BINARY = 'application/octet-stream'
const modelJson = { 'application/json': { schema: Model } }
const Binary = z.string().openapi({ format: 'binary' })

const getWeights = createRoute({
  method: 'get',
  path: '/models/{id}/weights',
  summary: 'Download the model in the binary format',
  security: [{ Bearer: [] }],
  request: { params: IdParams, query: ConsistencyQuery },
  responses: {
    200: {
      description: 'the model file',
      headers: ETAG_HEADER,
      content: { [BINARY]: { schema: Binary } },
    },
    404: problemResponse('no such model'),
    ...COMMON_PROBLEMS,
  },
})

const putWeights = createRoute({
  method: 'put',
  path: '/models/{id}/weights',
  summary: 'Upload a model file: replaces the model, or creates it',
  security: [{ Bearer: [] }],
  request: {
    params: IdParams,
    headers: IfMatchHeaders,
    body: { content: { [BINARY]: { schema: Binary } }, required: true },
  },
  responses: {
    200: { description: 'replaced', headers: ETAG_HEADER, content: modelJson },
    201: { description: 'created', headers: ETAG_HEADER, content: modelJson },
    415: problemResponse('not application/octet-stream'),
    412: problemResponse('If-Match names another version, or there is no model yet'),
    413: problemResponse('over MAX_WEIGHTS_BYTES, or its spec over MAX_SPEC_BYTES'),
    422: problemResponse('not a model file, or over MAX_PARAMETERS'),
    ...COMMON_PROBLEMS,
  },
})

function assertBinary(contentType: string | undefined): void {
  const type = contentType?.split(';')[0]?.trim().toLowerCase()
  if (type === BINARY) return
  const detail =
    `Content-Type is ${contentType ?? 'missing'}; send the model file as ` +
    `"Content-Type: ${BINARY}".`
  throw problem('unsupported-media-type', detail, [
    { path: ['headers', 'content-type'], message: `expected ${BINARY}` },
  ])
}

/** Mounts the weights routes on a router. */
export function weightsRoutes() {
  const router = createRouter()

  router.openapi(getWeights, async (c) => {
    const { id } = c.req.valid('param')
    const { consistency } = c.req.valid('query')
    const blob = await readWeights({ env: c.env, tenant: c.get('tenant'), id, consistency })
    c.header('Content-Type', BINARY)
    c.header('Content-Disposition', `attachment; filename="${id}.edgeprop"`)
    c.header('ETag', etag(blob.version))
    return c.body(blob.bytes as Uint8Array<ArrayBuffer>, 200)
  })

  router.openapi(putWeights, async (c) => {
    const { id } = c.req.valid('param')
    const tenant = c.get('tenant')
    assertBinary(c.req.header('Content-Type'))
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    // checked whole, and held to the limits, before any core memory is set
    // aside for it (the library's refusals become 422s)
    const upload = inspectModel(bytes)
    const limits = c.get('limits')
    assertSpecBytesWithin(upload.spec, limits, ['body', 'header', 'spec'])
    assertParametersWithin(upload.parameterCount, limits, ['body'])
    const ifMatch = c.req.valid('header')['if-match']
    const trainer = trainerFor(c.env, tenant, id)
    // what is stored is what was checked, written as edgeprop writes it
    const blob = rewriteModel(upload)
    const { record, created } = unwrap(await trainer.replace({ tenant, id, blob, ifMatch }))
    modelCache.delete(cacheKey(tenant, id))
    c.header('ETag', etag(record.version))
    const body = record as ModelRecord & z.infer<typeof Model>
    return created ? c.json(body, 201) : c.json(body, 200)
  })

  return router
}
