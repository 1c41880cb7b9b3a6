/**
 * Checks the input rows `x` a caller passes and packs them into f32,
 * collecting every problem with the row it sits in before refusing.
 */
import { EdgepropError, describe, formatPath, type ErrorDetail } from './errors.ts'

/** Stops collecting after this many problems; the rest are counted in the summary. */
const MAX_REPORTED = 20

/** Gathers problems found in one call, with paths such as ['x', 3, 1]. */
export class Problems {
  readonly list: ErrorDetail[] = []
  private skipped = 0

  /** Records one problem; `text` follows the field name, as in "x[3] has 5 values". */
  add(path: (string | number)[], text: string): void {
    if (this.list.length >= MAX_REPORTED) {
      this.skipped += 1
      return
    }
    this.list.push({ path, message: `${formatPath(path)} ${text}` })
  }

  get full(): boolean {
    return this.list.length >= MAX_REPORTED
  }

  /** Throws one EdgepropError with everything found, when anything was. */
  throwIfAny(): void {
    if (this.list.length === 0) return
    if (this.skipped > 0) {
      this.list.push({ path: [], message: `and ${this.skipped} more problems like these` })
    }
    throw new EdgepropError('invalid-data', this.list)
  }
}

/** One input row: plain numbers or a typed array. */
export type Row = readonly number[] | Float32Array | Float64Array
/** What `x` may be: rows, or a single row. */
export type Rows = readonly Row[] | Row

/** The rows of `x`, packed row-major as f32. */
export interface PackedInputs {
  rows: number
  data: Float32Array
  /** True when x was a single row given as a flat list of numbers. */
  single: boolean
  /** False when f32 rows were copied whole: whoever uses data checks it is finite. */
  checked: boolean
}

/** Tells whether a value can serve as one row: an array or a numeric typed array. */
export function isRow(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))
}

/**
 * Checks that a value is a number that f32 holds exactly as finite, and
 * returns it; records a problem (and returns 0) otherwise.
 */
export function checkNumber(value: unknown, path: (string | number)[], problems: Problems) {
  if (typeof value !== 'number') {
    problems.add(path, `is ${describe(value)}; expected a finite number`)
    return 0
  }
  if (!Number.isFinite(value)) {
    problems.add(path, `is ${describe(value)}; expected a finite number`)
    return 0
  }
  if (!Number.isFinite(Math.fround(value))) {
    problems.add(path, `is ${value}, outside the f32 range (about ±3.4e38); rescale the data`)
    return 0
  }
  return value
}

/**
 * Converts `x` to f32 without knowing the model: one row gives one
 * Float32Array, rows give Float32Array views of one buffer, which a
 * structured clone (postMessage, Workers RPC) copies in one piece.
 * Returns null unless `x` is one row or rows of one width whose every
 * value f32 holds as finite; pass such an `x` on as it is, and the
 * network's own checks say what is wrong with it and where.
 */
export function toF32Rows(x: unknown): Float32Array | Float32Array[] | null {
  if (!Array.isArray(x) || x.length === 0) return null
  if (!Array.isArray(x[0])) {
    const row = new Float32Array(x.length)
    return fillRow(x, row, 0) ? row : null
  }
  const width = (x[0] as unknown[]).length
  if (width === 0) return null
  const data = new Float32Array(x.length * width)
  const rows: Float32Array[] = []
  for (let r = 0; r < x.length; r++) {
    const row: unknown = x[r]
    if (!Array.isArray(row) || row.length !== width) return null
    if (!fillRow(row, data, r * width)) return null
    rows.push(data.subarray(r * width, (r + 1) * width))
  }
  return rows
}

// writes a row of numbers as f32; false at the first value that is not
// a number f32 holds as finite
function fillRow(row: readonly unknown[], out: Float32Array, offset: number): boolean {
  for (let c = 0; c < row.length; c++) {
    const value = row[c]
    if (typeof value !== 'number') return false
    const rounded = Math.fround(value)
    if (rounded - rounded !== 0) return false
    out[offset + c] = rounded
  }
  return true
}

/**
 * Returns x's rows when every one is a Float32Array of `width` values (x
 * itself may be one such row), else null: rows a caller may copy straight
 * into wasm memory, leaving the search for NaN and ±Infinity to the core.
 */
export function f32RowsOf(
  x: unknown,
  width: number,
): { rows: readonly Float32Array[]; single: boolean } | null {
  if (x instanceof Float32Array) return x.length === width ? { rows: [x], single: true } : null
  if (!Array.isArray(x) || x.length === 0) return null
  for (const row of x) {
    if (!(row instanceof Float32Array) || row.length !== width) return null
  }
  return { rows: x as Float32Array[], single: false }
}

/**
 * Validates `x` against the model's input width and packs it as f32.
 * With `check` false, rows that are Float32Arrays of the right width are
 * copied whole and not looked into: the caller must then find any NaN or
 * ±Infinity in `data` (the core does, four values at a time) and call
 * again with `check` true to have them named.
 */
export function packInputs(x: unknown, inputs: number, check = true): PackedInputs {
  const problems = new Problems()
  if (!isRow(x)) {
    problems.add(['x'], `is ${describe(x)}; expected an array of rows of ${inputs} numbers`)
    problems.throwIfAny()
  }
  const list = x as ArrayLike<unknown>
  if (list.length === 0) {
    problems.add(['x'], `has no rows; give at least one row of ${inputs} numbers`)
    problems.throwIfAny()
  }
  // a typed array holds numbers only, so it is one row; walking it with
  // `some` cost more than packing it
  const single = ArrayBuffer.isView(list) || !Array.prototype.some.call(list, isRow)
  const rows = single ? [list] : list
  const data = new Float32Array(rows.length * inputs)

  let checked = true
  for (let r = 0; r < rows.length && !problems.full; r++) {
    const row = rows[r]
    // a clean f32 row needs no path; any other goes through packRow
    if (row instanceof Float32Array && row.length === inputs) {
      if (!check) {
        data.set(row, r * inputs)
        checked = false
        continue
      }
      if (copyFinite(row, data, r * inputs)) continue
    }
    packRow(row, single ? ['x'] : ['x', r], inputs, data, r * inputs, problems)
  }
  problems.throwIfAny()
  return { rows: rows.length, data, single, checked }
}

function packRow(
  row: unknown,
  path: (string | number)[],
  width: number,
  out: Float32Array,
  offset: number,
  problems: Problems,
): void {
  if (!isRow(row)) {
    problems.add(path, `is ${describe(row)}; expected a row of ${width} numbers`)
    return
  }
  if (row.length !== width) {
    const values = row.length === 1 ? 'value' : 'values'
    // a flat list for a one-input model is most likely rows of one value
    const hint = width === 1 && path.length === 1
      ? `; to send ${row.length} rows of one value, give x as [[${row[0]}], …]`
      : ''
    problems.add(path, `has ${row.length} ${values}; the model takes ${width}${hint}`)
    return
  }
  for (let c = 0; c < width; c++) {
    const value = row[c]
    // the common case, a number f32 holds as finite, needs no path; any
    // other value goes through checkNumber, which says what is wrong
    if (typeof value === 'number' && Number.isFinite(Math.fround(value))) {
      out[offset + c] = value
    } else {
      out[offset + c] = checkNumber(value, [...path, c], problems)
    }
  }
}

// copies an f32 row whole and tells whether every value is finite; when
// one is not, the value-by-value loop runs again to say which
function copyFinite(row: Float32Array, out: Float32Array, offset: number): boolean {
  let finite = true
  for (let c = 0; c < row.length; c++) {
    const value = row[c]
    out[offset + c] = value
    finite &&= value - value === 0
  }
  return finite
}
