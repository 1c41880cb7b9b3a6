/**
 * What a request that matches no route gets: 405 with an `Allow` header
 * when its path is a route's but its method is not, else 404. The methods
 * come from the app's own route table, so they cannot drift from it.
 */
import type { Context, Hono } from 'hono'
import { problemBody, problemResponse } from './problem.ts'

/** Lists the methods the app's routes answer at `path` (HEAD with GET). */
export function allowedMethods(routes: Hono['routes'], path: string): string[] {
  const methods = new Set<string>()
  for (const route of routes) {
    if (route.method === 'ALL') continue
    if (patternOf(route.path).test(path)) methods.add(route.method)
  }
  if (methods.has('GET')) methods.add('HEAD')
  return [...methods].sort()
}

const patterns = new Map<string, RegExp>()

/** Turns a route path such as `/v1/models/:id` into a whole-path regex. */
function patternOf(path: string): RegExp {
  let pattern = patterns.get(path)
  if (!pattern) {
    const parts = path.split(/:[A-Za-z_]+/).map(escapeRegExp)
    pattern = new RegExp(`^${parts.join('[^/]+')}$`)
    patterns.set(path, pattern)
  }
  return pattern
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Builds the app's not-found handler: 405 for a known path, 404 otherwise. */
export function answerUnmatched(app: Hono<any>) {
  return (c: Context): Response => {
    const allow = allowedMethods(app.routes, c.req.path)
    if (allow.length > 0) {
      const detail =
        `${c.req.method} is not allowed on ${c.req.path}; use ${allow.join(', ')}.`
      const body = problemBody('method-not-allowed', detail, [
        { path: ['method'], message: `expected one of ${allow.join(', ')}` },
      ])
      return problemResponse(body, { Allow: allow.join(', ') })
    }
    const detail = `No route matches ${c.req.path}; GET /openapi.json lists them all.`
    return problemResponse(problemBody('not-found', detail, [{ path: ['path'], message: detail }]))
  }
}
