/**
 * The real-data fixtures (iris, digits) and their fixed train/test split.
 *
 * The split is stratified 75/25 and deterministic:
 * 1. classes are taken in the order they first appear in the CSV;
 * 2. each class's row indices, in file order, are shuffled by Fisher-Yates
 *    (last slot down) with one mulberry32 generator seeded by SPLIT_SEED and
 *    shared across the classes in that order;
 * 3. the first round(0.25 × class size) shuffled rows of a class go to the
 *    test set, the rest to training; both index lists are then sorted.
 * Row indices count data rows from 0 (the header is not a row).
 * test/fixtures/splits.json holds the result, so the Python oracle uses the
 * very same rows; test/core/real-data.test.ts checks the two agree.
 */
import { readFileSync } from 'node:fs'
import { mulberry32, shuffleInPlace } from './random.ts'

/** The seed of the committed split. */
export const SPLIT_SEED = 20_240_521

/** The share of each class held out for testing. */
export const TEST_FRACTION = 0.25

/** A labelled table: one row of numbers per sample and its class name. */
export interface Dataset {
  features: string[]
  x: number[][]
  labels: string[]
  classes: string[]
}

/** Row indices of a split, each list sorted ascending. */
export interface Split {
  train: number[]
  test: number[]
}

/** Parses a CSV whose last column is the label and the others are numbers. */
export function parseCsv(text: string, source = 'csv'): Dataset {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '')
  const header = lines[0].split(',')
  const x: number[][] = []
  const labels: string[] = []
  lines.slice(1).forEach((line, row) => {
    const cells = line.split(',')
    if (cells.length !== header.length) {
      throw new Error(
        `${source} row ${row} has ${cells.length} cells; the header has ` +
          `${header.length}: fix the file or its header`,
      )
    }
    const values = cells.slice(0, -1).map(Number)
    const bad = values.findIndex((value) => !Number.isFinite(value))
    if (bad >= 0) {
      throw new Error(`${source} row ${row} column ${bad} is "${cells[bad]}"; expected a number`)
    }
    x.push(values)
    labels.push(cells[cells.length - 1])
  })
  const classes = [...new Set(labels)]
  return { features: header.slice(0, -1), x, labels, classes }
}

/** Loads test/fixtures/<name>.csv. */
export function loadDataset(name: 'iris' | 'digits'): Dataset {
  const url = new URL(`../fixtures/${name}.csv`, import.meta.url)
  return parseCsv(readFileSync(url, 'utf8'), `${name}.csv`)
}

/** Splits row indices 75/25 per class, as the file's opening comment says. */
export function stratifiedSplit(labels: string[], seed = SPLIT_SEED): Split {
  const next = mulberry32(seed)
  const split: Split = { train: [], test: [] }
  for (const label of new Set(labels)) {
    const rows = labels.flatMap((other, index) => (other === label ? [index] : []))
    shuffleInPlace(rows, next)
    const held = Math.round(TEST_FRACTION * rows.length)
    split.test.push(...rows.slice(0, held))
    split.train.push(...rows.slice(held))
  }
  split.train.sort((a, b) => a - b)
  split.test.sort((a, b) => a - b)
  return split
}

/** Reads the committed splits (test/fixtures/splits.json). */
export function loadSplits(): Record<'iris' | 'digits', Split> & { seed: number } {
  const url = new URL('../fixtures/splits.json', import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8'))
}
