// Runs the API locally: `npm start`.
//
// Builds build/core.wasm when it is missing, makes sure there is a bearer
// token (writing .dev.vars with API_TOKENS=local:<random> the first time),
// prints it with a curl line to paste, then runs `wrangler dev` on
// 127.0.0.1 with KV and Durable Object state kept on disk. Works offline.
//
// Settings, for tests and for running a second copy beside the first:
//   --port N, or EDGEPROP_PORT=N   port to listen on (8787)
//   EDGEPROP_PERSIST_TO   where local state lives (.wrangler/state)
//   EDGEPROP_DEV_VARS     the file that holds the local token (.dev.vars);
//                         written when missing, and handed to wrangler
//   EDGEPROP_API_TOKENS   tokens to use instead of .dev.vars, which is then
//                         neither read nor written
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const port = portOf()
const persistTo = process.env.EDGEPROP_PERSIST_TO ?? '.wrangler/state'
const devVars = resolve(root, process.env.EDGEPROP_DEV_VARS ?? '.dev.vars')
// how messages name it: relative to the project when it is inside
const devVarsName = relative(root, devVars).startsWith('..') ? devVars : relative(root, devVars)

/** Reads the port from `--port N` (npm start -- --port N), EDGEPROP_PORT or 8787. */
function portOf() {
  let values
  try {
    ;({ values } = parseArgs({ options: { port: { type: 'string' } } }))
  } catch (error) {
    console.error(`npm start: ${error.message}; the one option is --port <number>`)
    process.exit(1)
  }
  const port = values.port ?? process.env.EDGEPROP_PORT ?? '8787'
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    console.error(`npm start: the port is "${port}"; give a whole number from 1 to 65535`)
    process.exit(1)
  }
  return port
}

/** Builds the wasm core when it has not been built yet. */
function ensureCore() {
  if (existsSync(join(root, 'build', 'core.wasm'))) return
  console.log('build/core.wasm is missing; running `npm run build` first')
  const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
  if (built.status !== 0) {
    console.error('`npm run build` failed; fix the error above, then run `npm start` again')
    process.exit(built.status ?? 1)
  }
}

/** Returns the first token in an API_TOKENS value. */
function firstToken(tokens) {
  const pair = tokens.split(',')[0] ?? ''
  return pair.slice(pair.indexOf(':') + 1).trim()
}

/** Reads the local token from .dev.vars, writing the file first if needed. */
function localToken() {
  if (!existsSync(devVars)) {
    const token = randomBytes(24).toString('base64url')
    writeFileSync(devVars, `API_TOKENS=local:${token}\n`, { mode: 0o600 })
    console.log(`Wrote ${devVarsName} with a new local token (.dev.vars is gitignored).`)
    return token
  }
  const line = readFileSync(devVars, 'utf8')
    .split('\n')
    .find((text) => text.startsWith('API_TOKENS='))
  if (!line) {
    console.error(
      `${devVarsName} has no API_TOKENS= line; add API_TOKENS=local:<token> or delete it`,
    )
    process.exit(1)
  }
  const tokens = line.slice('API_TOKENS='.length).replace(/^["']|["']$/g, '')
  checkTokens(tokens, devVarsName)
  return firstToken(tokens)
}

/**
 * Stops with a clear message when an API_TOKENS value would make the Worker
 * refuse every model route (503): an entry without a tenant, or a token
 * shorter than 16 characters. Names the entry by position, never the token.
 */
function checkTokens(tokens, source) {
  tokens.split(',').forEach((entry, index) => {
    const cut = entry.indexOf(':')
    const token = entry.slice(cut + 1).trim()
    let problem = null
    if (cut < 1) problem = 'is not tenant:token'
    else if (token.length < 16) {
      problem = `has a token of ${token.length} characters; tokens need at least 16`
    } else if (!/^[A-Za-z0-9._~+/-]{16,256}$/.test(token)) {
      problem = 'has a token over 256 characters or with characters outside A-Za-z0-9._~+/-'
    }
    if (problem === null) return
    console.error(
      `${source}: API_TOKENS entry ${index + 1} ${problem}. The API would answer 503 ` +
        `to every model route. Use a longer token (delete ${devVarsName} to get a random one).`,
    )
    process.exit(1)
  })
}

/** Starts wrangler dev and passes signals on to it. */
function runWrangler(extraArgs) {
  const args = ['dev', '--ip', '127.0.0.1', '--port', port, '--persist-to', persistTo]
  const child = spawn('wrangler', [...args, ...extraArgs], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  })
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => child.kill(signal))
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

ensureCore()
const given = process.env.EDGEPROP_API_TOKENS
if (given) checkTokens(given, 'EDGEPROP_API_TOKENS')
const token = given ? firstToken(given) : localToken()
const base = `http://127.0.0.1:${port}`
console.log(`\nedgeprop API on ${base}  (docs: ${base}/docs)`)
console.log(`Bearer token: ${token}`)
console.log(`Try: curl -s ${base}/v1/models -H "Authorization: Bearer ${token}"\n`)
// wrangler reads the very file the token came from, wherever it lives
runWrangler(given ? ['--var', `API_TOKENS:${given}`] : ['--env-file', devVars])
