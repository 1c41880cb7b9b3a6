/**
 * `npm run load` in a reduced mode (200 predicts, 40 trains from 32
 * clients): it starts its own server, reports latency per route, finds no
 * error and no lost update, and exits 0; a bad option exits 2 at once.
 */
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'

const ROOT = new URL('../..', import.meta.url).pathname
const RUN_TIMEOUT_MS = 240_000

/** Runs `npm run load` with `args` in its own process group; kills the group on timeout. */
function runLoad(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'load', '--', ...args], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL')
      reject(new Error(`npm run load took over ${RUN_TIMEOUT_MS} ms:\n${output}`))
    }, RUN_TIMEOUT_MS)
    child.once('error', reject)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

describe('npm run load', () => {
  it('sends every call, loses no update and exits 0', async () => {
    const args = ['--predicts', '200', '--trains', '40', '--deadline', '180']
    const { code, output } = await runLoad(args)
    expect(code, output).toBe(0)
    expect(output).toMatch(/^predict\s+200\s+0\s/m)
    expect(output).toMatch(/^train\s+40\s+0\s/m)
    expect(output).toContain('errors: 0; lost updates: 0')
    console.log(output.slice(output.indexOf('route')).trim())
  })

  it('refuses a count that is not a whole number before starting a server', async () => {
    const { code, output } = await runLoad(['--clients', '0'])
    expect(code).toBe(2)
    expect(output).toContain('--clients is "0"; expected a whole number ≥ 1')
    expect(output).not.toContain('starting npm start')
  })
})
