/**
 * Lays out build/site/, the static files the Worker serves beside the API
 * (wrangler.toml [assets]): the playground page from playground/, and the
 * browser bundle with core.wasm beside it, as the page imports them.
 *
 * Run by `npm run build` after scripts/build-bundle.ts:
 *   node scripts/build-site.ts
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const page = `${root}playground/`
const build = `${root}build/`
const site = `${build}site/`

/** Names the page's own files: everything in playground/ a browser fetches. */
const PAGE_FILE = /\.(html|css|js|svg)$/

/** Names what the page needs from `npm run build`'s other steps. */
const FROM_BUILD = ['edgeprop.js', 'edgeprop.js.map', 'core.wasm']

/** Copies one file, or explains which build step should have made it. */
function copy(from: string, to: string): void {
  if (!existsSync(from)) {
    throw new Error(
      `${from} is missing; run the whole \`npm run build\` (asc, then ` +
        'scripts/build-bundle.ts) before scripts/build-site.ts',
    )
  }
  copyFileSync(from, to)
}

rmSync(site, { recursive: true, force: true })
mkdirSync(site, { recursive: true })
const pageFiles = readdirSync(page).filter((name) => PAGE_FILE.test(name))
for (const name of pageFiles) copy(`${page}${name}`, `${site}${name}`)
for (const name of FROM_BUILD) copy(`${build}${name}`, `${site}${name}`)
