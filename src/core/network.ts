/**
 * The Network class: one network in its own instance of core.wasm.
 *
 * This is the only code that reads or writes wasm memory. Every view over
 * `memory.buffer` is made right before it is used and dropped before the
 * next call into the core, since any call may grow (and so move) memory.
 * Every argument is checked and packed before the core is touched, so a
 * refused call leaves the network exactly as it was.
 */
import type { CoreExports } from './core-abi.ts'
import { instantiateCore } from './core-loader.ts'
import { Status } from './enums.ts'
import { decodeModel, encodeModel, type TrainingStats } from './model-format.ts'
import {
  layerShapes,
  packWeights,
  parseTrainOptions,
  splitLayers,
  type LayerValues,
  type LayerWeights,
  type TrainOptions,
} from './options.ts'
import {
  perceptronScore,
  perceptronScores,
  readPrediction,
  type Evaluation,
  type Gradients,
  type Prediction,
  type TrainResult,
} from './results.ts'
import { packInputs, type PackedInputs, type Rows } from './samples.ts'
import {
  classCountOf,
  parameterCountOf,
  parseSpec,
  type Spec,
  type SpecInput,
} from './spec.ts'
import { packTargets, targetRule, type TargetRule, type Targets } from './targets.ts'
import {
  divergence,
  expectLoss,
  expectOk,
  noGradient,
  tooManyRows,
  type Counters,
} from './core-status.ts'
import { deepFreeze, defineCore, stateLengths } from './core-setup.ts'
import { checkStoredArrays, parseStoredSpec } from './model-state.ts'

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
    const { header, arrays } = decodeModel(bytes)
    const spec = parseStoredSpec(header.spec)
    const net = new Network(await instantiateCore(), spec)
    const core = net.#core
    core.initialize(spec.seed)
    const state = checkStoredArrays(arrays, stateLengths(core, spec))
    net.#write(core.parametersPointer(), state.parameters)
    net.#write(core.optimizerStatePointer(), state.optimizerState)
    net.#write(core.scalingPointer(), state.scaling)
    net.#restoreCounters(header)
    net.#version = header.version
    net.#stats = { ...header.stats }
    return net
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
    const inputs = packInputs(x, this.spec.inputs)
    const targets = packTargets(y, inputs.rows, this.#rule)
    this.#loadSamples(inputs, targets)
    const rows = inputs.rows
    const run = this.spec.kind === 'perceptron'
      ? this.#trainPerceptron(inputs, targets, epochs, shuffle)
      : this.#trainMlp(rows, epochs, Math.min(batchSize, rows), shuffle)

    this.#version += 1
    this.#stats.samplesSeen += rows * run.epochs
    this.#stats.steps += run.steps
    this.#stats.epochs += run.epochs
    return { ...run, samplesSeen: this.#stats.samplesSeen, version: this.#version }
  }

  #trainMlp(rows: number, epochs: number, batchSize: number, shuffle: boolean) {
    const core = this.#core
    const lossBefore = expectLoss(core.evaluate(rows), 'evaluate', rows)
    const saved = this.#saveCounters()
    const status = core.train(rows, epochs, batchSize, shuffle ? 1 : 0)
    if (status === Status.nonFinite) {
      this.#restoreCounters(saved)
      throw divergence(this.spec)
    }
    expectOk(status, 'train')
    const steps = core.lastSteps()
    const { loss, accuracy } = this.#evaluateLoaded(rows)
    return { lossBefore, lossAfter: loss, accuracy, steps, epochs }
  }

  #trainPerceptron(inputs: PackedInputs, targets: Float32Array, epochs: number, shuffle: boolean) {
    const core = this.#core
    const rows = inputs.rows
    const before = perceptronScore(this.#forward(rows), targets, rows)
    const saved = this.#saveCounters()
    const parameters = this.#read(core.parametersPointer(), this.parameterCount)
    const rate = this.spec.kind === 'perceptron' ? this.spec.learningRate : 0
    const status = core.perceptronTrain(rows, epochs, shuffle ? 1 : 0, rate)
    if (status === Status.nonFinite) {
      this.#write(core.parametersPointer(), parameters)
      this.#restoreCounters(saved)
      throw divergence(this.spec)
    }
    expectOk(status, 'perceptronTrain')
    const run = core.lastEpochs()
    const after = perceptronScore(this.#forward(rows), targets, rows)
    return {
      lossBefore: before.loss,
      lossAfter: after.loss,
      accuracy: after.accuracy,
      steps: rows * run,
      epochs: run,
    }
  }

  /** Runs the network forward; classifiers also get labels (and probabilities). */
  predict(x: Rows): Prediction {
    const inputs = packInputs(x, this.spec.inputs)
    this.#loadSamples(inputs)
    const outputs = this.#forward(inputs.rows)
    let scores: Float32Array | undefined
    if (this.spec.kind === 'perceptron' && this.spec.outputs > 1) {
      const parameters = this.#read(this.#core.parametersPointer(), this.parameterCount)
      scores = perceptronScores(
        inputs.data, parameters, inputs.rows, this.spec.inputs, this.spec.outputs,
      )
    }
    return readPrediction(this.spec, this.classes, outputs, inputs.rows, scores)
  }

  /** Returns the mean loss on the rows given (and accuracy for classifiers); changes nothing. */
  evaluate(x: Rows, y: Targets): Evaluation {
    const inputs = packInputs(x, this.spec.inputs)
    const targets = packTargets(y, inputs.rows, this.#rule)
    this.#loadSamples(inputs, targets)
    if (this.spec.kind === 'perceptron') {
      return perceptronScore(this.#forward(inputs.rows), targets, inputs.rows)
    }
    return this.#evaluateLoaded(inputs.rows)
  }

  #evaluateLoaded(rows: number): Evaluation {
    const loss = expectLoss(this.#core.evaluate(rows), 'evaluate', rows)
    if (!this.isClassifier) return { loss }
    return { loss, accuracy: this.#core.lastCorrect() / rows }
  }

  /** Returns ∂C/∂W and ∂C/∂b averaged over the rows (L2 excluded); changes nothing. */
  gradients(x: Rows, y: Targets): Gradients {
    if (this.spec.kind === 'perceptron') {
      throw noGradient()
    }
    const inputs = packInputs(x, this.spec.inputs)
    const targets = packTargets(y, inputs.rows, this.#rule)
    this.#loadSamples(inputs, targets)
    const rows = inputs.rows
    const loss = expectLoss(this.#core.computeGradients(rows), 'computeGradients', rows)
    const values = this.#read(this.#core.gradientsPointer(), this.parameterCount)
    return { loss, layers: splitLayers(values, this.#shapes) }
  }

  /** Returns a copy of every layer's W (inputs×units, row-major) and b. */
  getWeights(): LayerWeights[] {
    const values = this.#read(this.#core.parametersPointer(), this.parameterCount)
    return splitLayers(values, this.#shapes)
  }

  /** Replaces every layer's W and b after checking shapes; optimizer state is kept. */
  setWeights(layers: readonly LayerValues[]): void {
    const values = packWeights(layers, this.#shapes, this.parameterCount)
    this.#write(this.#core.parametersPointer(), values)
    this.#version += 1
  }

  /** Writes the whole model (spec, counters, weights, optimizer and scaling state) as bytes. */
  toBytes(): Uint8Array {
    const core = this.#core
    const lengths = stateLengths(core, this.spec)
    const header = {
      spec: this.spec,
      version: this.#version,
      stats: this.stats,
      optimizerSteps: core.optimizerSteps(),
      scalingCount: core.scalingCount(),
      randomState: core.randomState() >>> 0,
    }
    return encodeModel(header, {
      parameters: this.#read(core.parametersPointer(), lengths.parameters),
      optimizerState: this.#read(core.optimizerStatePointer(), lengths.optimizerState),
      scaling: this.#read(core.scalingPointer(), lengths.scaling),
    })
  }

  // --- the core -------------------------------------------------------------

  #loadSamples(inputs: PackedInputs, targets?: Float32Array): void {
    const status = this.#core.reserveSamples(inputs.rows)
    if (status === Status.outOfMemory) throw tooManyRows(inputs.rows)
    expectOk(status, 'reserveSamples')
    this.#write(this.#core.samplesInputsPointer(), inputs.data)
    if (targets !== undefined) this.#write(this.#core.samplesTargetsPointer(), targets)
  }

  #forward(rows: number): Float32Array {
    expectOk(this.#core.predict(rows), 'predict')
    return this.#read(this.#core.outputsPointer(), rows * this.#rule.outputs)
  }

  #saveCounters(): Counters {
    const core = this.#core
    return {
      optimizerSteps: core.optimizerSteps(),
      scalingCount: core.scalingCount(),
      randomState: core.randomState(),
    }
  }

  #restoreCounters(saved: Counters): void {
    this.#core.setOptimizerSteps(saved.optimizerSteps)
    this.#core.setScalingCount(saved.scalingCount)
    this.#core.setRandomState(saved.randomState)
  }

  #read(pointer: number, length: number): Float32Array {
    return new Float32Array(this.#core.memory.buffer, pointer, length).slice()
  }

  #write(pointer: number, values: Float32Array): void {
    new Float32Array(this.#core.memory.buffer, pointer, values.length).set(values)
  }
}
