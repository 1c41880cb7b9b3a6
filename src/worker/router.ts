/**
 * Routers share one validation hook: a request that fails its zod schema
 * never reaches the handler and answers a 422 problem naming each field.
 */
import { OpenAPIHono } from '@hono/zod-openapi'
import type { ZodError } from 'zod'
import type { AppEnv } from './env.ts'
import { fromZodError } from './error-mapping.ts'

/** Creates a router whose validation failures become problems. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw fromZodError(result.error as ZodError, result.target)
    },
  })
}

