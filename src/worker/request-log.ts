/**
 * One structured JSON line per request, written when the response is ready:
 * request id, method, route pattern, status, milliseconds, tenant.
 */
import type { MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import type { AppEnv } from './env.ts'

/** Describes one finished request. */
export interface RequestLogLine {
  id: string
  method: string
  route: string
  status: number
  ms: number
  tenant?: string
}

/** Logs each request once and makes sure the response carries X-Request-Id. */
export function requestLog(
  write: (line: string) => void = console.log,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now()
    await next()
    const id = c.get('requestId')
    if (!c.res.headers.has('X-Request-Id')) c.header('X-Request-Id', id)
    const route = routePath(c, -1)
    const line: RequestLogLine = {
      id,
      method: c.req.method,
      route: route.endsWith('*') ? 'unmatched' : route,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      tenant: c.get('tenant'),
    }
    write(JSON.stringify(line))
  }
}
