/**
 * Bearer-token auth: the secret API_TOKENS maps tokens to tenants, and
 * every model route runs as the tenant its token names.
 */
import type { MiddlewareHandler } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import type { AppEnv } from './env.ts'
import { problem, problemBody, problemResponse } from './problem.ts'

/** Pairs a tenant with one of its tokens. */
export interface TenantToken {
  tenant: string
  token: string
}

const TENANT = /^[A-Za-z0-9_-]{1,64}$/
/** Bounds a token's length: short tokens can be guessed. */
export const MIN_TOKEN = 16
const MAX_TOKEN = 256
const TOKEN = /^[A-Za-z0-9._~+/-]+$/
const HOW_TO =
  'Set the secret API_TOKENS to comma-separated tenant:token pairs ' +
  '(`wrangler secret put API_TOKENS`; for `wrangler dev`, a line ' +
  'API_TOKENS=local:<token> in .dev.vars, which `npm start` writes).'

/**
 * Parses API_TOKENS ("acme:tok1,beta:tok2"); throws a 503 problem when it is
 * missing or malformed, naming the bad entry by position, never the token.
 */
export function parseTokens(value: string | undefined): TenantToken[] {
  if (value === undefined || value.trim() === '') {
    throw problem('not-configured', `No API tokens are configured. ${HOW_TO}`)
  }
  return value.split(',').map((entry, index) => parseEntry(entry, index + 1))
}

/** Parses entry `position` of API_TOKENS; the 503 names what is wrong, never the token. */
function parseEntry(entry: string, position: number): TenantToken {
  const cut = entry.indexOf(':')
  const tenant = entry.slice(0, cut).trim()
  const token = entry.slice(cut + 1).trim()
  const refuse = (what: string) => {
    throw problem('not-configured', `API_TOKENS entry ${position} ${what}. ${HOW_TO}`)
  }
  if (cut < 0 || !TENANT.test(tenant)) {
    refuse('is not tenant:token, with a tenant of letters, digits, "_" or "-" (at most 64)')
  }
  if (token.length < MIN_TOKEN || token.length > MAX_TOKEN) {
    refuse(
      `(tenant "${tenant}") has a token of ${token.length} characters; a token ` +
        `must have ${MIN_TOKEN} to ${MAX_TOKEN}, such as 32 random base64url characters`,
    )
  }
  if (!TOKEN.test(token)) {
    refuse(`(tenant "${tenant}") has a token with characters other than A-Z a-z 0-9 . _ ~ + / -`)
  }
  return { tenant, token }
}

const parsed = new Map<string, TenantToken[]>()

/** Returns the tenant/token pairs of this deployment, parsed once per value. */
export function readTokens(value: string | undefined): TenantToken[] {
  const known = parsed.get(value ?? '')
  if (known) return known
  const pairs = parseTokens(value)
  parsed.set(value ?? '', pairs)
  return pairs
}

/** Returns the SHA-256 digest of a token's UTF-8 bytes. */
async function digestOf(token: string): Promise<Uint8Array> {
  const bytes = new TextEncoder().encode(token)
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
}

const digests = new WeakMap<readonly TenantToken[], Promise<Uint8Array[]>>()

/** Tells whether two digests are equal, looking at every byte whatever they hold. */
function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length
  for (let i = 0; i < a.length && i < b.length; i++) difference |= a[i] ^ b[i]
  return difference === 0
}

/**
 * Finds the tenant that owns `token`. Compares SHA-256 digests, of every
 * configured token (computed once per API_TOKENS value) against the one
 * presented, byte by byte to the end, so the time taken reveals neither
 * a near match nor a token's length: equal digests mean equal tokens.
 */
export async function findTenant(
  pairs: readonly TenantToken[],
  token: string,
): Promise<string | undefined> {
  let known = digests.get(pairs)
  if (!known) {
    known = Promise.all(pairs.map((pair) => digestOf(pair.token)))
    digests.set(pairs, known)
  }
  const presented = await digestOf(token)
  let found: string | undefined
  const list = await known
  for (let i = 0; i < list.length; i++) {
    if (sameDigest(list[i], presented) && found === undefined) found = pairs[i].tenant
  }
  return found
}

function unauthorized(detail: string) {
  const errors = [{ path: ['headers', 'authorization'], message: detail }]
  return () => problemResponse(problemBody('unauthorized', detail, errors))
}

/** Requires a valid bearer token and sets `tenant` on the context. */
export function requireTenant(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const pairs = readTokens(c.env.API_TOKENS)
    const guard = bearerAuth<AppEnv>({
      realm: 'edgeprop',
      verifyToken: async (token, ctx) => {
        const tenant = await findTenant(pairs, token)
        if (tenant !== undefined) ctx.set('tenant', tenant)
        return tenant !== undefined
      },
      noAuthenticationHeader: {
        message: unauthorized('Send the header "Authorization: Bearer <token>".'),
      },
      invalidAuthenticationHeader: {
        message: unauthorized(
          'The Authorization header is not "Bearer <token>" with a token of ' +
            'letters, digits and . _ ~ + / -.',
        ),
      },
      invalidToken: {
        message: unauthorized('The bearer token is not one this API knows.'),
      },
    })
    return guard(c, next)
  }
}
