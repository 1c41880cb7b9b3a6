/**
 * The README's curl walkthrough, run as printed against `npm start`'s
 * server (only the port differs, and .dev.vars lives in a temp folder).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalServer, startLocalServer } from './local-server.ts'

let server: LocalServer
const folder = mkdtempSync(join(tmpdir(), 'edgeprop-readme-'))

beforeAll(async () => {
  server = await startLocalServer('local')
  writeFileSync(join(folder, '.dev.vars'), `API_TOKENS=local:${server.token}\n`)
})

afterAll(async () => {
  await server?.stop()
  rmSync(folder, { recursive: true, force: true })
})

/** Returns the first ```sh block after the walkthrough heading. */
function walkthrough(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const section = readme.slice(readme.indexOf('### Walkthrough'))
  const block = /```sh\n([\s\S]*?)```/.exec(section)
  if (!block) throw new Error('README.md has no ```sh block under "### Walkthrough"')
  return block[1]
}

/** Splits output made of JSON documents written back to back. */
function jsonDocuments(text: string): unknown[] {
  const documents: unknown[] = []
  let depth = 0
  let start = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (inString) {
      if (char === '\\') i++
      else if (char === '"') inString = false
    } else if (char === '"') inString = true
    else if (char === '{') depth += depth === 0 ? ((start = i), 1) : 1
    else if (char === '}' && --depth === 0) documents.push(JSON.parse(text.slice(start, i + 1)))
  }
  return documents
}

describe('README walkthrough', () => {
  it('creates, trains and predicts as printed', () => {
    const script = walkthrough().replaceAll('http://127.0.0.1:8787', server.base)
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: folder,
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(run.status, run.stderr).toBe(0)
    const [created, trained, predicted] = jsonDocuments(run.stdout) as Record<string, unknown>[]
    expect(created).toMatchObject({ id: 'iris', version: 0 })
    expect(trained).toMatchObject({ id: 'iris', version: 1, accuracy: 1 })
    expect(predicted).toMatchObject({ labels: ['setosa', 'versicolor', 'virginica'] })
  })
})
