/**
 * The bound on every counter a model keeps (version, training stats, the
 * optimizer's steps and the scaling count). The same bound holds when a
 * counter is written (train, setWeights) and when a model file is read, so
 * a model this library stores is always one it can load again.
 */
import { EdgepropError, formatPath, type ErrorDetail } from './errors.ts'
import type { Spec } from './spec.ts'

/**
 * Caps each counter at 2^48 (about 2.8e14): a model that saw ten million
 * samples a second would take 325 days to reach it, and every value up to
 * it stays an exact integer in f64 with room left for one more call.
 */
export const MAX_COUNT = 2 ** 48

/** Names each counter by its path in a model file's header. */
export const COUNTER_PATHS = {
  version: ['version'],
  samplesSeen: ['stats', 'samplesSeen'],
  steps: ['stats', 'steps'],
  epochs: ['stats', 'epochs'],
  optimizerSteps: ['optimizerSteps'],
  scalingCount: ['scalingCount'],
} as const

/** Names one counter. */
export type CounterName = keyof typeof COUNTER_PATHS

/** Describes the accepted range of a counter, for messages. */
export const COUNT_RANGE = `a whole number from 0 to 2^48 (${MAX_COUNT})`

/**
 * Throws before a call that would take any counter past MAX_COUNT, naming
 * the counter and the value it would reach; `call` names the method.
 */
export function checkCounterRoom(
  call: string,
  next: Partial<Record<CounterName, number>>,
): void {
  const details: ErrorDetail[] = []
  for (const [name, value] of Object.entries(next) as [CounterName, number][]) {
    if (value <= MAX_COUNT) continue
    const path = [...COUNTER_PATHS[name]]
    details.push({
      path,
      message:
        `${call} would take the model's ${formatPath(path)} to ${value}, past 2^48 ` +
        `(${MAX_COUNT}), the most a model counts; nothing was changed: train fewer ` +
        'rows or epochs, or carry the weights into a new model with getWeights/setWeights',
    })
  }
  if (details.length > 0) throw new EdgepropError('invalid-data', details)
}

/**
 * Throws before a train call whose most steps and samples would take a
 * counter past MAX_COUNT; `now` holds the model's counters before it.
 */
export function checkTrainRoom(
  spec: Spec,
  now: Record<CounterName, number>,
  call: { rows: number; epochs: number; batch: number },
): void {
  const { rows, epochs, batch } = call
  const mlp = spec.kind === 'mlp'
  const steps = mlp ? Math.ceil(rows / batch) * epochs : rows * epochs
  const scaled = mlp && spec.inputScaling === 'standardize' ? rows : 0
  checkCounterRoom('train', {
    version: now.version + 1,
    samplesSeen: now.samplesSeen + rows * epochs,
    steps: now.steps + steps,
    epochs: now.epochs + epochs,
    optimizerSteps: now.optimizerSteps + (mlp ? steps : 0),
    scalingCount: now.scalingCount + scaled,
  })
}
