/**
 * The model spec: the zod schema that validates it and fills its defaults,
 * and the rules that tie its fields together (see DESIGN.md, "The model").
 */
import {
  array,
  boolean,
  discriminatedUnion,
  enum as oneOf,
  literal,
  strictObject,
  string,
  type RefinementCtx,
  type input as Input,
  type output as Output,
} from 'zod'
import { Activation, Optimizer, type ActivationName } from './enums.ts'
import { EdgepropError, describe, zodIssues } from './errors.ts'
import {
  clipNorm, epsilon, expected, fraction, l2, learningRate, seed, wholeNumber,
} from './spec-numbers.ts'

/** Caps sizes, so one spec cannot ask for more than wasm memory holds. */
export const LIMITS = {
  inputs: 65_536,
  units: 65_536,
  layers: 64,
  parameters: 16_777_216,
  labelLength: 200,
} as const

const STEP_MESSAGE =
  'a step function has no gradient, so backpropagation cannot train it; ' +
  "use sigmoid, tanh, relu or leaky-relu (or kind 'perceptron' for a threshold unit)"

const activationNames = Object.keys(Activation) as [ActivationName, ...ActivationName[]]
const activation = oneOf(activationNames, {
  error: expected(`one of ${activationNames.map((a) => `'${a}'`).join(', ')}`),
})

const label = string({ error: expected('a class name (a string)') })
  .min(1, { error: expected('a non-empty class name') })
  .max(LIMITS.labelLength, { error: expected(`a name of at most ${LIMITS.labelLength} chars`) })
const labels = array(label, { error: expected('an array of class names') })
  .refine((names) => new Set(names).size === names.length, {
    error: (issue) => `must not repeat a name; ${repeated(issue.input as string[])} appears twice`,
  })

function repeated(names: string[]): string {
  const seen = new Set<string>()
  for (const name of names) {
    if (seen.has(name)) return JSON.stringify(name)
    seen.add(name)
  }
  return 'a name'
}

const layer = strictObject({
  units: wholeNumber(LIMITS.units, 'the units in this layer'),
  activation: activation.refine((a) => a !== 'heaviside' && a !== 'sign', {
    error: (issue) => `is '${String(issue.input)}': ${STEP_MESSAGE}`,
  }),
  alpha: fraction('0.01').optional(),
}).transform((l) => (l.activation === 'leaky-relu' ? { ...l, alpha: l.alpha ?? 0.01 } : l))

const optimizer = strictObject({
  name: oneOf(Object.keys(Optimizer) as ['sgd', 'momentum', 'adam'], {
    error: expected("one of 'sgd', 'momentum', 'adam'"),
  }),
  learningRate,
  momentum: fraction('0.9').default(0.9),
  nesterov: boolean({ error: expected('true or false') }).default(false),
  beta1: fraction('0.9').default(0.9),
  beta2: fraction('0.999').default(0.999),
  epsilon: epsilon.default(1e-8),
  l2: l2.default(0),
  clipNorm: clipNorm.optional(),
})

const mlpObject = strictObject({
  kind: literal('mlp'),
  inputs: wholeNumber(LIMITS.inputs, 'the values in one input row'),
  layers: array(layer, { error: expected('an array of layers like { units, activation }') })
    .min(1, { error: 'must list at least the output layer, e.g. [{ units: 1, ... }]' })
    .max(LIMITS.layers, { error: expected(`at most ${LIMITS.layers} layers`) }),
  loss: oneOf(['mse', 'binary-cross-entropy', 'cross-entropy'], {
    error: expected("one of 'mse', 'binary-cross-entropy', 'cross-entropy'"),
  }),
  optimizer,
  labels: labels.optional(),
  inputScaling: oneOf(['standardize', 'none'], { error: expected("'standardize' or 'none'") })
    .default('none'),
  seed: seed.optional(),
})

const perceptronObject = strictObject({
  kind: literal('perceptron'),
  inputs: wholeNumber(LIMITS.inputs, 'the values in one input row'),
  outputs: wholeNumber(LIMITS.units, 'the threshold units'),
  activation: oneOf(['heaviside', 'sign'], {
    error: expected("'heaviside' or 'sign' (a perceptron is a threshold unit)"),
  }),
  learningRate,
  labels: labels.optional(),
  seed: seed.optional(),
})

/** Validates a spec and fills its defaults (all but the seed); the Worker uses it too. */
export const specSchema = discriminatedUnion(
  'kind',
  [mlpObject.superRefine(checkMlp), perceptronObject.superRefine(checkPerceptron)],
  {
    error: (issue) => {
      const input = issue.input
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        return `must be a spec object like { kind: 'mlp', ... }; got ${describe(input)}`
      }
      const kind = (input as { kind?: unknown }).kind
      return `must be 'mlp' or 'perceptron'; got ${describe(kind)}`
    },
  },
)

/** A spec as a user may write it. */
export type SpecInput = Input<typeof specSchema>
/** A multilayer perceptron's spec with every default filled in. */
export type MlpSpec = Output<typeof mlpObject> & { seed: number }
/** A perceptron's spec with every default filled in. */
export type PerceptronSpec = Output<typeof perceptronObject> & { seed: number }
/** A full spec: what `net.spec` returns and what a model file stores. */
export type Spec = MlpSpec | PerceptronSpec
type Context = RefinementCtx

function checkMlp(spec: Output<typeof mlpObject>, ctx: Context): void {
  // zod runs this even when a size check failed; with no layers there is nothing to tie
  if (spec.layers.length === 0) return
  const last = spec.layers.length - 1
  const out = spec.layers[last]
  spec.layers.forEach((l, i) => {
    if (l.activation === 'softmax' && i < last) {
      ctx.addIssue({
        code: 'custom',
        path: ['layers', i, 'activation'],
        message: "is 'softmax', which only the output layer may use; " +
          'use relu, tanh or sigmoid in hidden layers',
      })
    }
    if (l.activation !== 'leaky-relu' && 'alpha' in l && l.alpha !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['layers', i, 'alpha'],
        message: `is set, but only 'leaky-relu' takes a slope; remove it or use leaky-relu`,
      })
    }
  })
  if (out.activation === 'softmax' && out.units < 2) {
    ctx.addIssue({
      code: 'custom',
      path: ['layers', last, 'units'],
      message: 'is 1, but a softmax output needs at least 2 units (one per class); ' +
        'for two classes use 1 sigmoid unit or 2 softmax units',
    })
  }
  checkLoss(spec, ctx)
  checkSize(spec, ctx)
  checkLabels(spec, ctx)
}

function checkLoss(spec: Output<typeof mlpObject>, ctx: Context): void {
  const out = spec.layers[spec.layers.length - 1].activation
  if (spec.loss === 'cross-entropy' && out !== 'softmax') {
    ctx.addIssue({
      code: 'custom',
      path: ['loss'],
      message: `is 'cross-entropy', which needs a softmax output layer; the output is '${out}'` +
        " (use softmax there, or 'binary-cross-entropy' with one sigmoid unit)",
    })
  }
  if (spec.loss === 'binary-cross-entropy' && out !== 'sigmoid') {
    ctx.addIssue({
      code: 'custom',
      path: ['loss'],
      message: `is 'binary-cross-entropy', which needs a sigmoid output layer; ` +
        `the output is '${out}' (use sigmoid there, or 'cross-entropy' with softmax)`,
    })
  }
}

function checkPerceptron(spec: Output<typeof perceptronObject>, ctx: Context): void {
  checkSize(spec, ctx)
  checkLabels(spec, ctx)
}

function checkSize(spec: AnySpec, ctx: Context): void {
  const count = parameterCountOf(spec)
  if (count <= LIMITS.parameters) return
  const most = `a model may have at most ${LIMITS.parameters}`
  ctx.addIssue(spec.kind === 'mlp'
    ? {
      code: 'custom',
      path: ['layers'],
      message: `need ${count} parameters; ${most} (use fewer or smaller layers)`,
    }
    : {
      code: 'custom',
      path: ['outputs'],
      message: `and inputs need ${count} parameters, (inputs + 1) × outputs; ${most} ` +
        '(use fewer inputs or outputs)',
    })
}

function checkLabels(spec: Output<typeof mlpObject | typeof perceptronObject>, ctx: Context) {
  if (spec.labels === undefined) return
  const classes = classCountOf(spec)
  if (classes === null) {
    ctx.addIssue({
      code: 'custom',
      path: ['labels'],
      message: 'are given, but the model is not a classifier; labels need a softmax output, ' +
        'one sigmoid output unit, or kind perceptron (or remove labels for regression)',
    })
  } else if (spec.labels.length !== classes) {
    ctx.addIssue({
      code: 'custom',
      path: ['labels'],
      message: `has ${spec.labels.length} names, but the model has ${classes} classes; ` +
        'give one name per class',
    })
  }
}

type AnySpec = Output<typeof mlpObject> | Output<typeof perceptronObject>

/** Counts the values W and b hold across all layers. */
export function parameterCountOf(spec: AnySpec): number {
  if (spec.kind === 'perceptron') return (spec.inputs + 1) * spec.outputs
  let inputs = spec.inputs
  let count = 0
  for (const l of spec.layers) {
    count += (inputs + 1) * l.units
    inputs = l.units
  }
  return count
}

/** Counts output values per row. */
export function outputCountOf(spec: AnySpec): number {
  return spec.kind === 'perceptron' ? spec.outputs : spec.layers[spec.layers.length - 1].units
}

/** Counts classes: softmax units, 2 for one sigmoid or threshold unit, null for regression. */
export function classCountOf(spec: AnySpec): number | null {
  if (spec.kind === 'perceptron') return spec.outputs > 1 ? spec.outputs : 2
  const out = spec.layers[spec.layers.length - 1]
  if (out.activation === 'softmax') return out.units
  if (out.activation === 'sigmoid' && out.units === 1) return 2
  return null
}

/** Validates a spec, fills its defaults and draws a seed when none is given. */
export function parseSpec(input: unknown): Spec {
  const result = specSchema.safeParse(input)
  if (!result.success) throw new EdgepropError('invalid-spec', zodIssues(result.error))
  const spec = result.data
  return { ...spec, seed: spec.seed ?? drawSeed() } as Spec
}

function drawSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]
}
