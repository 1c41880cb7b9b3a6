// Types for './edgeprop.js', which `npm run build` copies beside the page:
// the library's own source, so `tsc -p playground` checks the page against it.
export * from '../src/core/index.ts'
