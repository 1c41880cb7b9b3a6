/**
 * The Hono app: middleware in the order a request meets it, the routes,
 * and the one error handler that turns every failure into a problem.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import { requireTenant } from './auth.ts'
import type { AppEnv } from './env.ts'
import { answerUnmatched } from './fallback.ts'
import { fromEdgepropError, fromHttpException, isEdgepropError } from './error-mapping.ts'
import { ConfigError, readLimits } from './limits.ts'
import { ApiProblem, problem, problemBody, problemResponse } from './problem.ts'
import { requestLog } from './request-log.ts'
import { createRouter } from './router.ts'
import { mountMetaRoutes } from './routes/meta.ts'
import { modelRoutes } from './routes/models.ts'
import { predictRoutes } from './routes/predict.ts'
import { trainingRoutes } from './routes/training.ts'
import { versionRoutes } from './routes/versions.ts'
import { weightsRoutes } from './routes/weights.ts'

/** Answers the CORS origin for a request, from the CORS_ORIGINS var. */
export function allowedOrigin(origin: string, setting: string | undefined): string | null {
  const allowed = (setting ?? '*').split(',').map((entry) => entry.trim())
  if (allowed.includes('*')) return '*'
  return allowed.includes(origin) ? origin : null
}

/** Sets the parsed limits on the context; a bad var is a ConfigError. */
const withLimits: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('limits', readLimits(c.env))
  await next()
}

/** Caps the body: MAX_WEIGHTS_BYTES for model uploads, MAX_BODY_BYTES otherwise. */
const limitBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const limits = c.get('limits')
  const upload = c.req.method === 'PUT' && c.req.path.endsWith('/weights')
  const [name, maxSize] = upload
    ? ['MAX_WEIGHTS_BYTES', limits.maxWeightsBytes]
    : ['MAX_BODY_BYTES', limits.maxBodyBytes]
  const onError = () => {
    const detail = `The body is over ${name} = ${maxSize} bytes; send less per call.`
    throw problem('payload-too-large', detail, [{ path: ['body'], message: detail }])
  }
  return bodyLimit({ maxSize, onError })(c, next)
}

/** Lists the routes that take a JSON body, all POST. */
const JSON_ROUTES = [
  '/v1/models',
  '/v1/models/:id/train-small-batch',
  '/v1/models/:id/predict',
  '/v1/models/:id/rollback',
]

/** Refuses a request to a JSON route that has no body, before zod calls it empty. */
const requireBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.raw.body === null) {
    const detail = 'The request has no body; send a JSON object with ' +
      '"Content-Type: application/json".'
    throw problem('missing-body', detail, [{ path: ['body'], message: 'expected a JSON object' }])
  }
  await next()
}

/** Turns anything thrown into a response; logs only the unexpected. */
export function handleError(error: unknown, c: Context<AppEnv>): Response {
  if (error instanceof ApiProblem) return problemResponse(error.body)
  if (error instanceof HTTPException) {
    const mapped = fromHttpException(error)
    return mapped instanceof ApiProblem ? problemResponse(mapped.body) : mapped
  }
  if (isEdgepropError(error)) return problemResponse(fromEdgepropError(error).body)
  const id = c.get('requestId')
  const config = error instanceof ConfigError
  console.error(JSON.stringify({
    level: 'error', id, method: c.req.method, path: c.req.path,
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    stack: error instanceof Error ? error.stack : undefined,
  }))
  if (config) return problemResponse(problemBody('not-configured', error.message))
  return problemResponse(problemBody(
    'internal',
    `Something failed on our side. Quote request id ${id} when you report it.`,
  ))
}

/** Builds the app: middleware, routes, docs and error handling. */
export function createApp() {
  const app = createRouter()
  app.use('*', requestId())
  app.use('*', requestLog())
  app.use('*', secureHeaders())
  app.use('*', cors({
    origin: (origin, c) => allowedOrigin(origin, c.env.CORS_ORIGINS),
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key'],
    exposeHeaders: ['ETag', 'Location', 'X-Request-Id', 'Idempotent-Replayed'],
    maxAge: 600,
  }))
  app.use('/v1/*', withLimits, requireTenant(), limitBody)
  app.on('POST', JSON_ROUTES, requireBody)
  const groups = [modelRoutes, trainingRoutes, predictRoutes, weightsRoutes, versionRoutes]
  for (const routes of groups) {
    app.route('/v1', routes())
  }
  mountMetaRoutes(app)
  app.notFound(answerUnmatched(app))
  app.onError(handleError)
  return app
}
