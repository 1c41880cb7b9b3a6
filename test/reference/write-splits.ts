/**
 * Writes test/fixtures/splits.json from the fixtures and SPLIT_SEED.
 * Run it with `npx node test/reference/write-splits.ts` after a change to
 * the split method, then rerun test/oracle/sklearn_mlp.py.
 */
import { writeFileSync } from 'node:fs'
import { loadDataset, SPLIT_SEED, stratifiedSplit, TEST_FRACTION } from './data.ts'

const splits: Record<string, unknown> = {
  method:
    'stratified per class in order of first appearance; mulberry32(seed) Fisher-Yates; ' +
    'first round(testFraction × class size) shuffled rows to test; indices sorted',
  seed: SPLIT_SEED,
  testFraction: TEST_FRACTION,
}
for (const name of ['iris', 'digits'] as const) {
  splits[name] = stratifiedSplit(loadDataset(name).labels)
}

const url = new URL('../fixtures/splits.json', import.meta.url)
writeFileSync(url, JSON.stringify(splits) + '\n')
console.log(`wrote ${url.pathname}`)
