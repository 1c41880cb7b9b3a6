/**
 * Starts Debian's Chromium headless through playwright-core, in a fresh
 * profile of its own, and collects every console error a page (or its
 * workers) reports, so a test can insist there were none.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

/** Names the browser `.ci/run` installs (Debian's chromium package). */
export const CHROMIUM = process.env.EDGEPROP_CHROMIUM ?? '/usr/bin/chromium'

/** Names the folder tests write screenshots to (gitignored). */
export const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Describes a running browser and what its pages said. */
export interface Browser {
  context: BrowserContext
  /** Console errors, uncaught exceptions and failed requests, as text. */
  errors: string[]
  /** Opens a page whose errors land in `errors`. */
  newPage: () => Promise<Page>
  close: () => Promise<void>
}

/** Launches Chromium headless with a new temporary profile. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no browser at ${CHROMIUM}; install Debian's chromium ` +
        '(apt-get install -y --no-install-recommends chromium) or set EDGEPROP_CHROMIUM',
    )
  }
  const profile = mkdtempSync(join(tmpdir(), 'edgeprop-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1366, height: 800 },
    timeout: 60_000,
  })
  context.setDefaultTimeout(20_000)
  const errors: string[] = []
  const watch = (page: Page) => {
    page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`))
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`))
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`))
    page.on('worker', (worker) => {
      worker.on('console', (m) => m.type() === 'error' && errors.push(`worker: ${m.text()}`))
    })
  }
  context.pages().forEach(watch)
  context.on('page', watch)
  const close = async () => {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  }
  return { context, errors, newPage: () => context.newPage(), close }
}

/** Settles as `work` does, or rejects once `ms` pass; page.evaluate has no timeout of its own. */
export function bounded<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)
  })
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}

/** Returns the path of a new screenshot file in test/artifacts/. */
export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true })
  return join(ARTIFACTS, name)
}
