/**
 * Bundles the library (src/core/index.ts) into build/edgeprop.js, one ES
 * module with zod inside that runs in browsers, Web Workers, Workers and
 * Node with no bundler, finding core.wasm beside itself; then writes its
 * type declarations: build/types/*.d.ts behind build/edgeprop.d.ts.
 *
 * Run by `npm run build` after asc has written build/core.wasm:
 *   node scripts/build-bundle.ts
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = `${root}build/`
const source = `${root}src/core/`

/** The path core-loader.ts uses from src/core, and the one the bundle uses. */
const WASM_FROM_SOURCE = "'../../build/core.wasm'"
const WASM_FROM_BUNDLE = "'./core.wasm'"

/** Points the loader at core.wasm beside the bundle instead of in build/. */
const wasmBesideBundle: Plugin = {
  name: 'wasm-beside-bundle',
  setup(plugin) {
    plugin.onLoad({ filter: /core-loader\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8')
      if (!text.includes(WASM_FROM_SOURCE)) {
        throw new Error(
          `${args.path} no longer names ${WASM_FROM_SOURCE}; update WASM_FROM_SOURCE ` +
            'in scripts/build-bundle.ts to the path it uses now',
        )
      }
      return { contents: text.replace(WASM_FROM_SOURCE, WASM_FROM_BUNDLE), loader: 'ts' }
    })
  },
}

async function bundle(): Promise<void> {
  await build({
    entryPoints: [`${source}index.ts`],
    outfile: `${out}edgeprop.js`,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    sourcemap: true,
    legalComments: 'eof',
    plugins: [wasmBesideBundle],
    minify: true,
    keepNames: true,
    logLevel: 'warning',
  })
}

/** Emits one .d.ts per source file, with imports that name .js as published files do. */
function declarations(): void {
  const types = `${out}types/`
  rmSync(types, { recursive: true, force: true })
  const tsc = fileURLToPath(import.meta.resolve('typescript/bin/tsc'))
  execFileSync(process.execPath, [
    tsc, `${source}index.ts`,
    '--declaration', '--emitDeclarationOnly', '--outDir', types,
    '--allowImportingTsExtensions', '--module', 'esnext', '--moduleResolution', 'bundler',
    '--target', 'es2022', '--lib', 'es2022,dom', '--strict', '--skipLibCheck',
    '--types', 'node',
  ], { stdio: 'inherit' })

  for (const name of readdirSync(types)) {
    const path = `${types}${name}`
    const text = readFileSync(path, 'utf8').replace(/(from '\.\/[\w-]+)\.ts'/g, "$1.js'")
    writeFileSync(path, text)
  }
  writeFileSync(`${out}edgeprop.d.ts`, "export * from './types/index.js'\n")
}

await bundle()
declarations()
