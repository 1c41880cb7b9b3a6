/**
 * `npm start` with no token given (scripts/start.mjs): the first run writes
 * .dev.vars with API_TOKENS=local:<random token>, readable by its owner
 * only, and prints the token and a curl line that the server accepts as
 * pasted; a later run reads the file and keeps the token. The file lives
 * in a temp folder (EDGEPROP_DEV_VARS), so the project's own is untouched.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type NpmStart, startNpmStart } from './local-server.ts'

const folder = mkdtempSync(join(tmpdir(), 'edgeprop-start-'))
const devVars = join(folder, '.dev.vars')
const project = new URL('../../.dev.vars', import.meta.url)
const projectBefore = existsSync(project) ? readFileSync(project, 'utf8') : null

afterAll(() => {
  rmSync(folder, { recursive: true, force: true })
})

/** Runs the curl line the server printed, as pasted into a shell; returns status and body. */
function pasteCurl(server: NpmStart) {
  const line = /^Try: (curl .*)$/m.exec(server.output())?.[1]
  if (line === undefined) throw new Error(`no curl line printed:\n${server.output()}`)
  const run = spawnSync('sh', ['-c', `${line} -w '\\n%{http_code}'`], { encoding: 'utf8' })
  const cut = run.stdout.lastIndexOf('\n')
  return { status: Number(run.stdout.slice(cut + 1)), body: run.stdout.slice(0, cut) }
}

/** Answers the status of GET /v1/models with `token`. */
async function statusWith(server: NpmStart, token: string) {
  const headers = { Authorization: `Bearer ${token}` }
  return (await fetch(`${server.base}/v1/models`, { headers })).status
}

describe('npm start without a token', () => {
  let token = ''

  it('writes .dev.vars and prints its token and a curl line the server accepts', async () => {
    expect(existsSync(devVars)).toBe(false)
    const server = await startNpmStart({ EDGEPROP_DEV_VARS: devVars })
    try {
      const text = readFileSync(devVars, 'utf8')
      // 24 random bytes in base64url are 32 characters
      const written = /^API_TOKENS=local:([A-Za-z0-9_-]{32})\n$/.exec(text)
      expect(written, text).not.toBeNull()
      token = written![1]
      expect(statSync(devVars).mode & 0o777).toBe(0o600)

      const output = server.output()
      expect(output).toContain(`Wrote ${devVars} with a new local token`)
      expect(output).toContain(`Bearer token: ${token}\n`)
      const curl = `curl -s ${server.base}/v1/models -H "Authorization: Bearer ${token}"`
      expect(output).toContain(`Try: ${curl}\n`)
      expect(pasteCurl(server)).toEqual({ status: 200, body: '{"models":[],"cursor":null}' })
      // the server checks tokens: one character off is refused
      const near = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')
      expect(await statusWith(server, near)).toBe(401)
    } finally {
      await server.stop()
    }
  })

  it('keeps the token of the file on the next start, on the port --port names', async () => {
    expect(token).not.toBe('')
    // EDGEPROP_PORT is set to 1 here: --port must win over it
    const server = await startNpmStart({ EDGEPROP_DEV_VARS: devVars }, 90_000, true)
    try {
      expect(readFileSync(devVars, 'utf8')).toBe(`API_TOKENS=local:${token}\n`)
      expect(server.output()).not.toContain('Wrote ')
      expect(server.output()).toContain(`Bearer token: ${token}\n`)
      expect(server.output()).toContain(`edgeprop API on ${server.base} `)
      expect(pasteCurl(server).status).toBe(200)
    } finally {
      await server.stop()
    }
  })

  it("leaves the project's own .dev.vars as it was", () => {
    const now = existsSync(project) ? readFileSync(project, 'utf8') : null
    expect(now).toBe(projectBefore)
  })
})
