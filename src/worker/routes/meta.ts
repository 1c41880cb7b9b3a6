/**
 * Routes that need no token: GET /healthz, GET /openapi.json, GET /docs.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi'
import { DOCS_PAGE } from '../docs-page.ts'
import type { AppEnv } from '../env.ts'
import { Health } from '../response-schemas.ts'

const health = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Say the Worker is up',
  responses: {
    200: { description: 'up', content: { 'application/json': { schema: Health } } },
  },
})

/** Mounts /healthz, /openapi.json and /docs on the app itself. */
export function mountMetaRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(health, (c) => c.json({ status: 'ok' as const }, 200))

  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'a token from API_TOKENS (npm start prints the local one)',
  })
  app.doc31('/openapi.json', (c) => ({
    openapi: '3.1.0',
    info: {
      title: 'edgeprop',
      version: '1',
      description:
        'Train small neural networks with small batches and query them. ' +
        'Errors are application/problem+json.',
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }))

  app.get('/docs', (c) => c.html(DOCS_PAGE))
}
