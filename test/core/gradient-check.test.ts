/**
 * Gradient checks: the core's analytic gradients (net.gradients) against
 * central differences of the f64 reference's loss, at the very weights the
 * core holds (net.getWeights()), for every hidden activation and every
 * output/loss pair.
 *
 * Relative error of one parameter: |g − d| / max(|g| + |d|, 1e-3·G), where
 * g is the core's value, d the difference quotient and G the largest |d| of
 * the network. The floor keeps parameters whose gradient is a thousandth of
 * the largest from turning f32 noise into a large ratio; below it the check
 * is on absolute error against 1e-3·G, still far under the 1e-2 bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCore } from '../../src/core/index.ts'
import { HIDDEN_ACTIVATIONS, OUTPUT_PAIRS, shapeOf } from '../reference/cases.ts'
import { drawData, twins, worstRelativeError } from '../reference/compare.ts'
import { finiteDifferences, type LayerGradient } from '../reference/mlp.ts'
import { mulberry32 } from '../reference/random.ts'

/** The worst relative error of one case, and where it was. */
interface CaseResult {
  name: string
  error: number
  where: string
}

/** Returns the worst relative error, floored at 1e-3 of the largest |d|. */
function worstError(core: { W: Float32Array; b: Float32Array }[], numeric: LayerGradient[]) {
  let largest = 0
  for (const layer of numeric) {
    for (const value of [...layer.W, ...layer.b]) largest = Math.max(largest, Math.abs(value))
  }
  return worstRelativeError(core, numeric, 1e-3 * largest)
}

const results: CaseResult[] = []

beforeAll(async () => {
  await loadCore()
})

afterAll(() => {
  const worst = results.reduce((a, b) => (b.error > a.error ? b : a), results[0])
  if (worst === undefined) return
  console.log(
    `gradient check: ${results.length} cases; worst relative error ` +
      `${worst.error.toExponential(2)} (${worst.name}, ${worst.where})`,
  )
})

/** Two small nets per case: two hidden layers and 3 outputs, or one and 1–2. */
const NETS = [
  { name: '3-5-4-3', inputs: 3, hidden: [5, 4], outputs: 3, rows: 7 },
  { name: '4-6-k', inputs: 4, hidden: [6], outputs: 1, rows: 5 },
]

describe('the core gradients against central differences', () => {
  const cases = HIDDEN_ACTIVATIONS.flatMap((hidden) =>
    OUTPUT_PAIRS.flatMap((pair) => NETS.map((net) => ({ hidden, ...pair, net }))),
  )

  it.each(cases)(
    'agree within 1e-2 for $hidden hidden, $activation + $loss ($net.name)',
    async ({ hidden, activation, loss, net: size }) => {
      const next = mulberry32(hidden.length * 31 + activation.length * 7 + loss.length)
      const outputs = activation === 'softmax' ? Math.max(2, size.outputs) : size.outputs
      const layers = size.hidden.map((units): [number, typeof hidden] => [units, hidden])
      const shape = shapeOf(size.inputs, [...layers, [outputs, activation]], loss)
      const { net, reference } = await twins(shape, next, undefined, 11)
      // Inputs keep every relu 1e-2 from its kink and every probability 1e-2
      // from the log clamp, so the differences never straddle either.
      const { x, y } = drawData(reference, shape, size.rows, next, 1e-2)

      const core = net.gradients(x, y)
      const result = worstError(core.layers, finiteDifferences(reference, x, y))
      results.push({ name: `${hidden}/${activation}+${loss} ${size.name}`, ...result })
      expect(result.error, result.where).toBeLessThan(1e-2)
    },
  )
})
