/**
 * Checks the targets `y` a caller passes and encodes them as f32 rows of
 * the model's output width: class labels and indices become one-hot rows,
 * rows and plain numbers are checked against what the output can reach.
 */
import { describe } from './errors.ts'
import { Problems, checkNumber, isRow, type Row } from './samples.ts'
import { classCountOf, outputCountOf, type Spec } from './spec.ts'

/** One target: a class label or index, a plain number, or a row of output values. */
export type Target = string | number | Row
/** What `y` may be: one target per row of x (or a single target for a single row). */
export type Targets = readonly Target[] | Target

/** What one target row may hold, derived once from the spec. */
export interface TargetRule {
  outputs: number
  /** Number of classes, or null for a regression model. */
  classes: number | null
  labels: readonly string[] | undefined
  /** The value a class's "no" takes: 0, or -1 for a sign perceptron. */
  off: number
  /** any finite value, a probability in [0, 1], or exactly `off` or 1. */
  values: 'any' | 'unit' | 'step'
  /** True for a softmax output, whose rows of probabilities sum to 1. */
  sumsToOne: boolean
  /** Names the output for messages: "a sigmoid output", "a sign perceptron". */
  name: string
}

/** Derives the target rule from a full spec. */
export function targetRule(spec: Spec): TargetRule {
  const base = { outputs: outputCountOf(spec), classes: classCountOf(spec), labels: spec.labels }
  if (spec.kind === 'perceptron') {
    const off = spec.activation === 'sign' ? -1 : 0
    const name = `a ${spec.activation} perceptron`
    return { ...base, off, values: 'step', sumsToOne: false, name }
  }
  const activation = spec.layers[spec.layers.length - 1].activation
  const unit = activation === 'sigmoid' || activation === 'softmax'
  const sumsToOne = activation === 'softmax'
  const name = `a ${activation} output`
  return { ...base, off: 0, values: unit ? 'unit' : 'any', sumsToOne, name }
}

/** Validates `y` (one target per row of x) and encodes it as rows×outputs f32. */
export function packTargets(y: unknown, rows: number, rule: TargetRule): Float32Array {
  const problems = new Problems()
  const out = new Float32Array(rows * rule.outputs)
  if (rows === 1 && !(isRow(y) && y.length === 1)) {
    packItem(y, ['y'], rule, out, 0, problems)
  } else if (!isRow(y)) {
    problems.add(['y'], `is ${describe(y)}; expected an array with one target per row of x`)
  } else if (y.length !== rows) {
    problems.add(['y'], `has ${y.length} targets but x has ${rows} rows; give one per row`)
  } else {
    for (let r = 0; r < rows && !problems.full; r++) {
      const item = y[r]
      const offset = r * rule.outputs
      // a number that packs cleanly needs no path; anything else goes
      // through packItem, which says what is wrong
      if (typeof item === 'number' && packCleanNumber(item, rule, out, offset)) continue
      packItem(item, ['y', r], rule, out, offset, problems)
    }
  }
  problems.throwIfAny()
  return out
}

function packItem(
  item: unknown,
  path: (string | number)[],
  rule: TargetRule,
  out: Float32Array,
  offset: number,
  problems: Problems,
): void {
  if (isRow(item)) return packRow(item, path, rule, out, offset, problems)
  if (typeof item === 'string') {
    const index = labelIndex(item, path, rule, problems)
    if (index >= 0) writeClass(index, rule, out, offset)
    return
  }
  if (typeof item === 'number') return packNumber(item, path, rule, out, offset, problems)
  const row = rule.outputs === 1 ? 'a number' : `a row of ${rule.outputs} numbers`
  const label = rule.classes === null ? '' : ', a class label'
  problems.add(path, `is ${describe(item)}; expected ${row}${label}`)
}

function packRow(
  row: ArrayLike<unknown>,
  path: (string | number)[],
  rule: TargetRule,
  out: Float32Array,
  offset: number,
  problems: Problems,
): void {
  if (row.length !== rule.outputs) {
    problems.add(path, `has ${row.length} values; the model has ${rule.outputs} outputs`)
    return
  }
  const before = problems.list.length
  let sum = 0
  for (let c = 0; c < rule.outputs; c++) {
    const value = checkNumber(row[c], [...path, c], problems)
    if (!reachable(value, rule)) {
      problems.add([...path, c], `is ${value}; ${rule.name} takes ${reach(rule)}`)
    }
    out[offset + c] = value
    sum += value
  }
  // δ = a − y, the softmax and cross-entropy gradient, holds only then
  if (rule.sumsToOne && problems.list.length === before && Math.abs(sum - 1) > SUM_TOLERANCE) {
    problems.add(path, `sums to ${sum}; ${rule.name}'s target row must sum to 1 ` +
      '(one-hot, or class probabilities); or give the class label or index')
  }
}

/** Allows the rounding of a row of probabilities written in decimal. */
const SUM_TOLERANCE = 1e-4

function packNumber(
  value: number,
  path: (string | number)[],
  rule: TargetRule,
  out: Float32Array,
  offset: number,
  problems: Problems,
): void {
  const before = problems.list.length
  value = checkNumber(value, path, problems)
  if (problems.list.length > before) return
  if (rule.classes === null) {
    if (rule.outputs === 1) out[offset] = value
    else problems.add(path, `is one number; the model has ${rule.outputs} outputs, so give a row`)
    return
  }
  if (rule.outputs === 1 && reachable(value, rule)) {
    out[offset] = value
    return
  }
  if (Number.isInteger(value) && value >= 0 && value < rule.classes) {
    writeClass(value, rule, out, offset)
    return
  }
  const direct = rule.outputs === 1 ? ` (or ${reach(rule)})` : ''
  problems.add(path, `is ${value}; expected ${classHint(rule)}${direct}`)
}

// packNumber's accepting paths alone: false, with nothing written, where
// packNumber would record a problem
function packCleanNumber(
  value: number, rule: TargetRule, out: Float32Array, offset: number,
): boolean {
  if (!Number.isFinite(Math.fround(value))) return false
  if (rule.outputs === 1 && (rule.classes === null || reachable(value, rule))) {
    out[offset] = value
    return true
  }
  if (rule.classes === null || !Number.isInteger(value)) return false
  if (value < 0 || value >= rule.classes) return false
  writeClass(value, rule, out, offset)
  return true
}

function labelIndex(
  name: string,
  path: (string | number)[],
  rule: TargetRule,
  problems: Problems,
): number {
  if (rule.classes === null) {
    const numbers = rule.outputs === 1 ? 'a number' : `a row of ${rule.outputs} numbers`
    problems.add(path, `is ${describe(name)}; this model has no classes (${rule.name}), ` +
      `so each target is ${numbers}`)
    return -1
  }
  const index = rule.labels === undefined ? -1 : rule.labels.indexOf(name)
  if (index < 0) problems.add(path, `is ${describe(name)}; expected ${classHint(rule)}`)
  return index
}

function writeClass(index: number, rule: TargetRule, out: Float32Array, offset: number) {
  if (rule.outputs === 1) {
    out[offset] = index === 1 ? 1 : rule.off
    return
  }
  out.fill(rule.off, offset, offset + rule.outputs)
  out[offset + index] = 1
}

function reachable(value: number, rule: TargetRule): boolean {
  if (rule.values === 'unit') return value >= 0 && value <= 1
  if (rule.values === 'step') return value === rule.off || value === 1
  return true
}

function reach(rule: TargetRule): string {
  if (rule.values === 'unit') return 'a probability in [0, 1]'
  return rule.off === -1 ? 'targets -1 or +1' : 'targets 0 or 1'
}

function classHint(rule: TargetRule): string {
  const classes = rule.classes ?? 0
  const index = `a class index from 0 to ${classes - 1}`
  if (rule.labels === undefined) return index
  const names = rule.labels.slice(0, 10).map((l) => JSON.stringify(l)).join(', ')
  const more = rule.labels.length > 10 ? ', …' : ''
  return `one of the labels ${names}${more} (or ${index})`
}
