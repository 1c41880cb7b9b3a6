/**
 * Helpers that set the core and the reference side by side: twin networks
 * with the same weights, data both can be judged on, and element-by-element
 * comparisons that keep the worst case for the report.
 */
import { Network } from '../../src/core/index.ts'
import { isSmooth, randomTargets } from './cases.ts'
import { buildNet, type LayerGradient, type MlpShape, type RefNet } from './mlp.ts'
import type { OptimizerConfig } from './optimizers.ts'
import { randomMatrix, toF32 } from './random.ts'

/** Returns the core spec of an MLP shape, with no input scaling. */
export function coreSpec(
  shape: MlpShape,
  optimizer: Partial<OptimizerConfig> = { name: 'sgd', learningRate: 0.1 },
  seed = 1,
) {
  return {
    kind: 'mlp' as const,
    inputs: shape.inputs,
    layers: shape.layers,
    loss: shape.loss,
    optimizer,
    inputScaling: 'none' as const,
    seed,
  }
}

/**
 * Creates a core net (its own initial W, random biases in ±0.1) and the
 * reference net with the very same weights. The core must be loaded.
 */
export async function twins(
  shape: MlpShape,
  next: () => number,
  optimizer?: Partial<OptimizerConfig>,
  seed = 5,
): Promise<{ net: Network; reference: RefNet }> {
  const net = await Network.create(coreSpec(shape, optimizer, seed))
  const layers = net.getWeights().map(({ W, b }) => ({
    W,
    b: b.map(() => Math.fround((next() - 0.5) * 0.2)),
  }))
  net.setWeights(layers)
  return { net, reference: buildNet(shape, net.getWeights()) }
}

/**
 * Draws f32 inputs in ±1 until every relu-like z is `margin` from its kink
 * and every logged probability `margin` from the clamp, then targets.
 */
export function drawData(
  reference: RefNet,
  shape: MlpShape,
  rows: number,
  next: () => number,
  margin = 1e-5,
): { x: number[][]; y: number[][] } {
  for (let attempt = 0; attempt < 500; attempt++) {
    const x = toF32(randomMatrix(next, rows, shape.inputs))
    if (isSmooth(reference, x, margin)) return { x, y: toF32(randomTargets(next, shape, rows)) }
  }
  throw new Error(`no inputs in 500 draws keep ${margin} from a kink: lower the margin`)
}

/** Returns float arrays rounded to f32, as the core would store them. */
export function toF32Layers(layers: LayerGradient[]): { W: Float32Array; b: Float32Array }[] {
  return layers.map(({ W, b }) => ({ W: Float32Array.from(W), b: Float32Array.from(b) }))
}

/** One element where two computations disagree the most, for the report. */
export interface Worst {
  ratio: number
  where: string
  got: number
  expected: number
  allowed: number
}

/** Returns a Worst with nothing recorded yet. */
export function noWorst(): Worst {
  return { ratio: 0, where: '', got: 0, expected: 0, allowed: 0 }
}

/**
 * Compares `got` with `expected` element by element against `allowed`,
 * keeping in `worst` the largest |got − expected| / allowed seen.
 */
export function compareArrays(
  got: ArrayLike<number>,
  expected: ArrayLike<number>,
  allowed: ArrayLike<number>,
  where: string,
  worst: Worst,
): void {
  if (got.length !== expected.length) {
    throw new Error(`${where} has ${got.length} values; the reference has ${expected.length}`)
  }
  for (let i = 0; i < got.length; i++) {
    const error = Math.abs(got[i] - expected[i])
    const ratio = error === 0 ? 0 : error / allowed[i]
    if (!(ratio <= worst.ratio)) {
      const at = `${where}[${i}]`
      Object.assign(worst, { ratio, where: at, got: got[i], expected: expected[i] })
      worst.allowed = allowed[i]
    }
  }
}

/** Describes a Worst in one line: where, got, expected and the allowance. */
export function describeWorst(worst: Worst): string {
  const { ratio, where, got, expected, allowed } = worst
  return `${where}: got ${got}, expected ${expected}, allowed ±${allowed.toExponential(2)}` +
    ` (error/allowed = ${ratio.toExponential(2)})`
}

/** Compares each layer's W and b, as compareArrays does, against `allowed`. */
export function compareLayers(
  got: { W: ArrayLike<number>; b: ArrayLike<number> }[],
  expected: { W: ArrayLike<number>; b: ArrayLike<number> }[],
  allowed: { W: ArrayLike<number>; b: ArrayLike<number> }[],
  where: string,
  worst: Worst,
): void {
  expected.forEach((layer, l) => {
    compareArrays(got[l].W, layer.W, allowed[l].W, `${where} layers[${l}].W`, worst)
    compareArrays(got[l].b, layer.b, allowed[l].b, `${where} layers[${l}].b`, worst)
  })
}

/** Copies `candidate` into `overall` when it is the worse of the two. */
export function keepWorst(overall: Worst, candidate: Worst): void {
  if (!(candidate.ratio <= overall.ratio)) Object.assign(overall, candidate)
}

/**
 * Returns the largest |g − d| / max(|g| + |d|, floor) over every parameter,
 * with g from `got` and d from `expected`, and names where it was.
 */
export function worstRelativeError(
  got: { W: ArrayLike<number>; b: ArrayLike<number> }[],
  expected: LayerGradient[],
  floor: number,
): { error: number; where: string } {
  let worst = { error: 0, where: '' }
  expected.forEach((layer, l) => {
    for (const key of ['W', 'b'] as const) {
      layer[key].forEach((d, i) => {
        const g = got[l][key][i]
        const error = Math.abs(g - d) / Math.max(Math.abs(g) + Math.abs(d), floor)
        if (!(error <= worst.error)) worst = { error, where: `layers[${l}].${key}[${i}]` }
      })
    }
  })
  return worst
}
