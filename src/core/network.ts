/**
 * The Network class: one network in its own instance of core.wasm.
 *
 * Wasm memory is read and written only through core-state.ts, whose views
 * live for one copy. Every argument is checked and packed before the core
 * is touched, and every forward result is checked to be finite before it
 * is returned; a call refused after the core ran puts the state back, so a
 * refused call leaves the network exactly as it was.
 */
import type { CoreExports } from './core-abi.ts'
import { instantiateCore } from './core-loader.ts'
import { deepFreeze, defineCore, stateLengths } from './core-setup.ts'
import {
  readArrays, readCounters, readFloats,
  writeArrays, writeCounters, writeFloats, writeRows, type StateLengths,
} from './core-state.ts'
import { divergence, expectLoss, expectOk, noGradient, tooManyRows } from './core-status.ts'
import { checkCounterRoom, checkTrainRoom } from './counters.ts'
import { explainDivergence } from './divergence.ts'
import { Status } from './enums.ts'
import { EdgepropError } from './errors.ts'
import { firstNonFiniteRow, forwardOverflow, perceptronOverflowRow } from './finite-checks.ts'
import { encodeModel, type TrainingStats } from './model-format.ts'
import { inspectModel } from './model-state.ts'
import {
  layerShapes, packWeights, parseTrainOptions, splitLayers,
  type LayerValues, type LayerWeights, type TrainOptions,
} from './options.ts'
import {
  perceptronScore, perceptronScores, readPrediction,
  type Evaluation, type Gradients, type Prediction, type TrainResult,
} from './results.ts'
import { f32RowsOf, packInputs, type PackedInputs, type Rows } from './samples.ts'
import {
  classCountOf, parameterCountOf, parseSpec,
  type PerceptronSpec, type Spec, type SpecInput,
} from './spec.ts'
import { packTargets, targetRule, type TargetRule, type Targets } from './targets.ts'

/** A dense network or perceptron that trains and predicts in WebAssembly. */
export class Network {
  /** The full spec: defaults filled in and the seed used. Frozen. */
  readonly spec: Spec
  /** Counts the values in every W and b. */
  readonly parameterCount: number
  /** Tells whether predict returns labels: softmax, one sigmoid unit, or a perceptron. */
  readonly isClassifier: boolean
  /** Lists the class labels (or indices 0..k-1); null for regression. */
  readonly classes: readonly (string | number)[] | null
  #core: CoreExports
  #rule: TargetRule
  #shapes: { inputs: number; units: number }[]
  #lengths: StateLengths
  #version = 0
  #stats: TrainingStats = { samplesSeen: 0, steps: 0, epochs: 0 }

  private constructor(core: CoreExports, spec: Spec) {
    this.spec = deepFreeze(structuredClone(spec))
    this.parameterCount = parameterCountOf(spec)
    const classes = classCountOf(spec)
    this.isClassifier = classes !== null
    this.classes =
      classes === null ? null : Object.freeze(this.spec.labels ?? [...Array(classes).keys()])
    this.#core = core
    this.#rule = targetRule(spec)
    this.#shapes = layerShapes(spec)
    defineCore(core, spec)
    this.#lengths = stateLengths(spec)
  }

  /** Creates a network from a spec: validates it, fills defaults, initializes weights. */
  static async create(spec: SpecInput): Promise<Network>
  /** Creates a network from a spec of unknown shape, such as parsed JSON; validates it. */
  static async create(spec: unknown): Promise<Network>
  static async create(spec: unknown): Promise<Network> {
    const full = parseSpec(spec)
    const net = new Network(await instantiateCore(), full)
    net.#core.initialize(full.seed)
    return net
  }

  /** Loads a network from the bytes `toBytes` wrote (this or any earlier format version). */
  static async fromBytes(bytes: Uint8Array | ArrayBuffer): Promise<Network> {
    // every check runs before the core sets memory aside for the spec
    const { header, spec, state } = inspectModel(bytes)
    const net = new Network(await instantiateCore(), spec)
    net.#core.initialize(spec.seed)
    writeArrays(net.#core, state)
    writeCounters(net.#core, header)
    net.#version = header.version
    net.#stats = { ...header.stats }
    return net
  }

  /**
   * Returns the bytes of wasm memory this network's core holds: it grows to
   * fit the largest call so far and never shrinks, until the network is
   * dropped.
   */
  get memoryBytes(): number {
    return this.#core.memory.buffer.byteLength
  }

  /** Counts changes: +1 for each successful train or setWeights. */
  get version(): number {
    return this.#version
  }

  /** Returns a copy of the training counters. */
  get stats(): TrainingStats {
    return { ...this.#stats }
  }

  /** Trains on the rows given; refuses bad data or a diverging step without changing anything. */
  train(x: Rows, y: Targets, options?: TrainOptions): TrainResult {
    const { epochs, batchSize, shuffle } = parseTrainOptions(options)
    const inputs = this.#loadInputs(x)
    const targets = packTargets(y, inputs.rows, this.#rule)
    const rows = inputs.rows
    const batch = Math.min(batchSize, rows)
    const counters = { version: this.#version, ...this.#stats, ...readCounters(this.#core) }
    checkTrainRoom(this.spec, counters, { rows, epochs, batch })
    this.#loadTargets(targets)
    const run = this.spec.kind === 'perceptron'
      ? this.#trainPerceptron(inputs, targets, epochs, shuffle)
      : this.#trainMlp(inputs, targets, epochs, batch, shuffle)

    this.#version += 1
    this.#stats.samplesSeen += rows * run.epochs
    this.#stats.steps += run.steps
    this.#stats.epochs += run.epochs
    return { ...run, samplesSeen: this.#stats.samplesSeen, version: this.#version }
  }

  #trainMlp(
    inputs: PackedInputs,
    targets: Float32Array,
    epochs: number,
    batch: number,
    shuffle: boolean,
  ) {
    const core = this.#core
    const lossBefore = this.#evaluateLoaded(inputs).loss
    const counters = readCounters(core)
    const status = core.train(inputs.rows, epochs, batch, shuffle ? 1 : 0)
    if (status === Status.nonFinite) {
      writeCounters(core, counters)
      throw explainDivergence(core, this.spec, { inputs, targets, batch }, counters)
    }
    expectOk(status, 'train')
    const steps = core.lastSteps()
    try {
      const { loss, accuracy } = this.#evaluateLoaded(inputs)
      const scored = accuracy === undefined ? {} : { accuracy }
      return { lossBefore, lossAfter: loss, ...scored, steps, epochs }
    } catch (error) {
      core.restoreState()
      throw grownTooLarge(this.spec, error)
    }
  }

  #trainPerceptron(inputs: PackedInputs, targets: Float32Array, epochs: number, shuffle: boolean) {
    const core = this.#core
    const rows = inputs.rows
    const spec = this.spec as PerceptronSpec
    const score = () =>
      perceptronScore(this.#perceptronForward(inputs, false).outputs, targets, rows)
    const lossBefore = score().loss
    const counters = readCounters(core)
    const order = shuffle ? 1 : 0
    const status = core.perceptronTrain(rows, epochs, order, spec.learningRate)
    if (status === Status.nonFinite) {
      core.restoreState()
      throw divergence(spec)
    }
    expectOk(status, 'perceptronTrain')
    const run = core.lastEpochs()
    try {
      const { loss: lossAfter, accuracy } = score()
      return { lossBefore, lossAfter, accuracy, steps: rows * run, epochs: run }
    } catch (error) {
      core.restoreState()
      throw grownTooLarge(spec, error)
    }
  }

  /** Runs the network forward; classifiers also get labels (and probabilities). */
  predict(x: Rows): Prediction {
    const inputs = this.#loadInputs(x)
    const spec = this.spec
    if (spec.kind === 'perceptron') {
      const { outputs, scores } = this.#perceptronForward(inputs, spec.outputs > 1)
      return readPrediction(spec, this.classes, outputs, inputs.rows, scores)
    }
    const outputs = this.#forward(inputs.rows)
    const row = firstNonFiniteRow(outputs, this.#rule.outputs)
    if (row >= 0) throw forwardOverflow(this.spec, inputs, row, 'outputs')
    return readPrediction(this.spec, this.classes, outputs, inputs.rows)
  }

  /** Returns the mean loss on the rows given (and accuracy for classifiers); changes nothing. */
  evaluate(x: Rows, y: Targets): Evaluation {
    const inputs = this.#loadInputs(x)
    const targets = packTargets(y, inputs.rows, this.#rule)
    this.#loadTargets(targets)
    if (this.spec.kind === 'perceptron') {
      const { outputs } = this.#perceptronForward(inputs, false)
      return perceptronScore(outputs, targets, inputs.rows)
    }
    return this.#evaluateLoaded(inputs)
  }

  #evaluateLoaded(inputs: PackedInputs): Evaluation {
    const rows = inputs.rows
    const loss = expectLoss(this.#core.evaluate(rows), 'evaluate', rows)
    if (!Number.isFinite(loss)) throw this.#lossOverflow(inputs)
    if (!this.isClassifier) return { loss }
    return { loss, accuracy: this.#core.lastCorrect() / rows }
  }

  /** Returns ∂C/∂W and ∂C/∂b averaged over the rows (L2 excluded); changes nothing. */
  gradients(x: Rows, y: Targets): Gradients {
    if (this.spec.kind === 'perceptron') {
      throw noGradient()
    }
    const inputs = this.#loadInputs(x)
    this.#loadTargets(packTargets(y, inputs.rows, this.#rule))
    const core = this.#core
    const rows = inputs.rows
    const loss = expectLoss(core.computeGradients(rows), 'computeGradients', rows)
    if (!Number.isFinite(loss)) throw this.#lossOverflow(inputs)
    const values = readFloats(core, core.gradientsPointer(), this.parameterCount)
    if (!values.every(Number.isFinite)) {
      throw forwardOverflow(this.spec, inputs, -1, 'gradients')
    }
    return { loss, layers: splitLayers(values, this.#shapes) }
  }

  /** Returns a copy of every layer's W (inputs×units, row-major) and b. */
  getWeights(): LayerWeights[] {
    return splitLayers(this.#parameters(), this.#shapes)
  }

  /** Replaces every layer's W and b after checking shapes; optimizer state is kept. */
  setWeights(layers: readonly LayerValues[]): void {
    const values = packWeights(layers, this.#shapes, this.parameterCount)
    checkCounterRoom('setWeights', { version: this.#version + 1 })
    writeFloats(this.#core, this.#core.parametersPointer(), values)
    this.#version += 1
  }

  /** Writes the whole model (spec, counters, weights, optimizer and scaling state) as bytes. */
  toBytes(): Uint8Array {
    const core = this.#core
    const header = {
      spec: this.spec,
      version: this.#version,
      stats: this.stats,
      ...readCounters(core),
    }
    return encodeModel(header, { ...readArrays(core, this.#lengths) })
  }

  // --- the core -------------------------------------------------------------

  // checks and packs x, sizes the samples for its rows and writes them;
  // rows that are Float32Arrays go straight into wasm memory when they
  // hold DIRECT_VALUES values or more (fewer were faster packed first:
  // 0.37 against 0.6 µs for one row of two)
  #loadInputs(x: Rows): PackedInputs {
    const width = this.spec.inputs
    const direct = f32RowsOf(x, width)
    if (direct === null || direct.rows.length * width < DIRECT_VALUES) {
      const inputs = packInputs(x, width, false)
      const pointer = this.#reserveSamples(inputs.rows)
      writeFloats(this.#core, pointer, inputs.data)
      if (!inputs.checked) this.#refuseNonFinite(x, pointer, inputs.data.length)
      return inputs
    }
    const count = direct.rows.length
    const pointer = this.#reserveSamples(count)
    writeRows(this.#core, pointer, direct.rows, width)
    this.#refuseNonFinite(x, pointer, count * width)
    return new LoadedRows(x, width, count, direct.single)
  }

  // makes room for `rows` samples; returns where their inputs go
  #reserveSamples(rows: number): number {
    const status = this.#core.reserveSamples(rows)
    if (status === Status.outOfMemory) throw tooManyRows(rows)
    expectOk(status, 'reserveSamples')
    return this.#core.samplesInputsPointer()
  }

  // f32 rows were copied unread: a checking pack names the value at fault
  #refuseNonFinite(x: Rows, pointer: number, count: number): void {
    if (this.#core.firstNonFinite(pointer, count) < 0) return
    packInputs(x, this.spec.inputs)
    throw new Error('core.firstNonFinite found a value that packInputs accepts')
  }

  #loadTargets(targets: Float32Array): void {
    writeFloats(this.#core, this.#core.samplesTargetsPointer(), targets)
  }

  #forward(rows: number): Float32Array {
    const core = this.#core
    expectOk(core.predict(rows), 'predict')
    return readFloats(core, core.outputsPointer(), rows * this.#rule.outputs)
  }

  #parameters(): Float32Array {
    const core = this.#core
    return readFloats(core, core.parametersPointer(), this.parameterCount)
  }

  // names the first row whose outputs leave f32, after a loss that did
  #lossOverflow(inputs: PackedInputs): EdgepropError {
    const outputs = this.#forward(inputs.rows)
    const row = firstNonFiniteRow(outputs, this.#rule.outputs)
    return forwardOverflow(this.spec, inputs, row, row < 0 ? 'loss' : 'outputs')
  }

  // runs a perceptron forward, refusing rows whose sums z = x·W + b leave f32
  #perceptronForward(inputs: PackedInputs, withScores: boolean) {
    const { inputs: width, outputs: units } = this.spec as PerceptronSpec
    const outputs = this.#forward(inputs.rows)
    const parameters = this.#parameters()
    const x = inputs.data
    const scores = withScores
      ? perceptronScores(x, parameters, inputs.rows, width, units)
      : undefined
    const row = scores
      ? firstNonFiniteRow(scores, units)
      : perceptronOverflowRow(x, parameters, inputs.rows, width, units)
    if (row >= 0) throw forwardOverflow(this.spec, inputs, row, 'weighted sums')
    return { outputs, scores }
  }
}

/** Counts the input values from which f32 rows skip the packed copy. */
const DIRECT_VALUES = 256

/**
 * Inputs copied straight into wasm memory: their packed copy, which only
 * error messages read, is made when first asked for.
 */
class LoadedRows implements PackedInputs {
  readonly rows: number
  readonly single: boolean
  readonly checked = true
  #x: Rows
  #width: number
  #data: Float32Array | undefined

  constructor(x: Rows, width: number, rows: number, single: boolean) {
    this.#x = x
    this.#width = width
    this.rows = rows
    this.single = single
  }

  get data(): Float32Array {
    return (this.#data ??= packInputs(this.#x, this.#width).data)
  }
}

/**
 * Blames the steps, not the rows, when rows that went through the network
 * before a train call overflow it after: the weights grew too large.
 */
function grownTooLarge(spec: Spec, error: unknown): unknown {
  if (!(error instanceof EdgepropError) || error.code !== 'invalid-data') return error
  return divergence(spec, 'the weights grew until the outputs passed the f32 range')
}
