/**
 * Starts `npm start`'s server for a test: on a free loopback port, with its
 * own state directory and token (the user's .dev.vars and .wrangler/state
 * are not touched), and stops it by its process group.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Describes a running local server. */
export interface LocalServer {
  base: string
  token: string
  output: () => string
  stop: () => Promise<void>
}

const ROOT = new URL('../..', import.meta.url).pathname

/** Finds a port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** Polls `url` until it answers 200, or fails after `timeoutMs`. */
async function waitUntilUp(url: string, timeoutMs: number, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${log()}`)
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) })
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${log()}`)
}

/** Stops the server's whole process group: npm, node, wrangler and workerd. */
function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.pid === undefined) return resolve()
    const force = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    process.kill(-child.pid, 'SIGTERM')
  })
}

/** Describes `npm start` running without a token of ours: what it prints decides. */
export type NpmStart = Omit<LocalServer, 'token'>

/**
 * Runs `npm start` on a free port, with its own state directory and the
 * settings in `env` (EDGEPROP_API_TOKENS is left out unless `env` names
 * it), and resolves once /healthz answers. The port goes in EDGEPROP_PORT,
 * or as `npm start -- --port N` when `portFlag` is set.
 */
export async function startNpmStart(
  env: Record<string, string>,
  timeoutMs = 90_000,
  portFlag = false,
): Promise<NpmStart> {
  const port = await freePort()
  const state = mkdtempSync(join(tmpdir(), 'edgeprop-e2e-'))
  const args = portFlag ? ['start', '--', '--port', String(port)] : ['start']
  const child = spawn('npm', args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      EDGEPROP_API_TOKENS: undefined,
      EDGEPROP_PORT: portFlag ? '1' : String(port),
      EDGEPROP_PERSIST_TO: state,
      ...env,
    },
  })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const base = `http://127.0.0.1:${port}`
  const stop = async () => {
    await stopGroup(child)
    rmSync(state, { recursive: true, force: true })
  }
  try {
    await waitUntilUp(`${base}/healthz`, timeoutMs, child, () => output)
  } catch (error) {
    await stop()
    throw error
  }
  return { base, output: () => output, stop }
}

/** Runs `npm start` on a free port with a fresh token for `tenant`. */
export async function startLocalServer(tenant = 'e2e', timeoutMs = 90_000): Promise<LocalServer> {
  const token = randomBytes(18).toString('base64url')
  const started = await startNpmStart({ EDGEPROP_API_TOKENS: `${tenant}:${token}` }, timeoutMs)
  return { ...started, token }
}
