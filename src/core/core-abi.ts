/**
 * The exports of build/core.wasm, declared once.
 *
 * Conventions across the boundary:
 * - a pointer is a byte offset into `memory`, 16-byte aligned;
 * - every buffer holds row-major little-endian f32 values;
 * - a size named `rows`, `m`, `k` or `n` counts values, never bytes;
 * - functions that can fail return a Status (src/core/enums.ts); those
 *   that return an f64 result (evaluate, computeGradients) return −Status;
 * - pointers stay below 2 GiB, so they are never negative;
 * - any call may grow memory, so a typed-array view over `memory.buffer`
 *   must be made after the call that sized the region and dropped before
 *   the next call.
 *
 * One instance holds one network. The memory map (assembly/arena.ts) places,
 * in order: the state (parameters, optimizer state, scaling state), a backup
 * of the state, the gradients, the samples (inputs, targets, outputs for up
 * to `reserveSamples(rows)` rows), then per-layer batch buffers and scratch.
 *
 * The backup is a copy of the state region and its counters. `train` and
 * `perceptronTrain` fill it as they start and nothing else writes it, so
 * after either returns `restoreState()` puts back the state from before
 * that call; the library does so when it refuses a finished call.
 */
export interface CoreExports {
  memory: WebAssembly.Memory

  // --- network definition -------------------------------------------------

  /** Starts a new network description and forgets the previous one. */
  defineNetwork(
    inputs: number, // features per sample, ≥ 1
    loss: number, // Loss
  ): number
  /** Appends a dense layer; the last one added is the output layer. */
  addLayer(
    units: number, // ≥ 1
    activation: number, // Activation
    alpha: number, // leaky-relu slope; ignored by other activations
  ): number
  /** Lays out the memory map for the layers added and zeroes all state. */
  commitNetwork(): number
  /** Sets the optimizer used by `train`; clipNorm ≤ 0 means no clipping. */
  setOptimizer(
    kind: number, // Optimizer
    learningRate: number,
    momentum: number,
    nesterov: number, // 0 or 1
    beta1: number,
    beta2: number,
    epsilon: number,
    l2: number, // penalty ½·l2·Σw² on weights, not biases
    clipNorm: number, // global gradient norm limit
  ): void
  /** Turns input standardization on (1) or off (0). */
  setScaling(enabled: number): void
  /**
   * Seeds the PRNG, then fills each layer's weights from it (Glorot uniform
   * for linear, sigmoid, tanh and softmax layers; He uniform for relu and
   * leaky-relu; zeros for heaviside and sign) and zeroes biases, optimizer
   * state and scaling state.
   */
  initialize(seed: number): void

  // --- state ----------------------------------------------------------------

  /** Counts parameters: per layer, W (inputs×units) then b (units). */
  parameterCount(): number
  /**
   * Points at the parameters. Writing them through it is allowed, so the
   * call marks the row panels a small predict reads as stale: ask for the
   * pointer anew before each write (assembly/panels.ts).
   */
  parametersPointer(): number
  /** Points at ∂C/∂θ from the last `computeGradients`, laid out as parameters. */
  gradientsPointer(): number
  /** Counts optimizer-state values: 0 (sgd), P (momentum), 2P (adam). */
  optimizerStateLength(): number
  optimizerStatePointer(): number
  /** Optimizer steps taken (Adam's t), as f64. */
  optimizerSteps(): number
  setOptimizerSteps(steps: number): void
  /** Points at the running mean (inputs values) then variance (inputs values). */
  scalingPointer(): number
  /** Samples merged into the running mean and variance, as f64. */
  scalingCount(): number
  setScalingCount(count: number): void
  /**
   * Puts back the state and its counters (optimizer steps, scaling count,
   * PRNG state) as they were when the last `train` or `perceptronTrain` began.
   */
  restoreState(): void
  /** Reads the PRNG state (u32; JS reads it back with `>>> 0`). */
  randomState(): number
  setRandomState(state: number): void

  // --- samples and work -----------------------------------------------------

  /** Makes room for `rows` samples, growing memory; contents are not kept. */
  reserveSamples(rows: number): number
  /** Points at the sample inputs: rows×inputs, raw (unscaled). */
  samplesInputsPointer(): number
  /** Points at the sample targets: rows×outputs. */
  samplesTargetsPointer(): number
  /** Points at the outputs written by `predict`: rows×outputs. */
  outputsPointer(): number

  /**
   * Trains an MLP on the first `rows` samples: merges them into the scaling
   * statistics (when on), then for each epoch shuffles (when asked) and steps
   * the optimizer once per minibatch of `batchSize`. When any state value
   * becomes non-finite, restores the state as it was before the call and
   * returns Status.nonFinite.
   */
  train(rows: number, epochs: number, batchSize: number, shuffle: number): number
  /** Counts optimizer steps taken by the last `train` call. */
  lastSteps(): number
  /**
   * Returns the mean loss over the first `rows` samples (f64), or −Status.
   * A step-function output layer reports the fraction of wrong
   * (sample, output) pairs instead.
   */
  evaluate(rows: number): number
  /**
   * Counts samples classified right by the last `evaluate`: softmax rows by
   * argmax; sigmoid rows when every output agrees with y at 0.5; step rows
   * when every output equals y; other rows of one output at 0.5 (tanh: 0),
   * of several outputs by argmax.
   */
  lastCorrect(): number
  /** Runs the network forward on the first `rows` samples into outputs. */
  predict(rows: number): number
  /**
   * Writes the batch-averaged gradient ∂C/∂θ over `rows` samples (without
   * L2 or clipping, which only `train` applies); returns the loss, or −Status.
   */
  computeGradients(rows: number): number
  /**
   * Trains a single-layer perceptron sample by sample with Rosenblatt's rule
   * w_ij ← w_ij + η(y_j − ŷ_j)x_i, b_j ← b_j + η(y_j − ŷ_j); stops early
   * after an epoch without mistakes.
   */
  perceptronTrain(
    rows: number,
    epochs: number,
    shuffle: number,
    learningRate: number,
  ): number
  /** Counts epochs run by the last `perceptronTrain`. */
  lastEpochs(): number
  /** Counts mistakes (samples with any output wrong) in its last epoch. */
  lastMistakes(): number

  // --- raw kernels, for tests and benchmarks ----------------------------------
  // Each does nothing (lossValue: returns NaN) for a negative size, an unknown
  // code or a buffer that runs past memory. A scratch region stays valid until
  // the next call that can grow memory.

  /** Returns a 16-byte-aligned scratch region of `bytes` (0 if memory is full). */
  scratch(bytes: number): number
  /** out = a·b: a m×k, b k×n, out m×n; out only written; no aliasing. */
  matmul(m: number, k: number, n: number, a: number, b: number, out: number): void
  /** out = aᵀ: a rows×cols, out cols×rows; no aliasing. */
  transpose(rows: number, cols: number, a: number, out: number): void
  /**
   * a = φ(z) over `count` values (softmax: rows of `width`; a row holding
   * +Infinity shares its mass among its largest logits, all −Infinity
   * spreads it evenly).
   */
  activationForward(
    activation: number, rows: number, width: number,
    z: number, out: number, alpha: number,
  ): void
  /** out = upstream ⊙ φ'(z) (softmax: the Jacobian-vector product per row). */
  activationBackward(
    activation: number, rows: number, width: number,
    z: number, a: number, upstream: number, out: number, alpha: number,
  ): void
  /** Returns the loss of outputs a against targets y, both rows×width (f64). */
  lossValue(loss: number, rows: number, width: number, a: number, y: number): number
  /** out = ∂C/∂a for outputs a and targets y, both rows×width. */
  lossGradient(
    loss: number, rows: number, width: number, a: number, y: number, out: number,
  ): void
  /** Returns the index of the first NaN or ±Infinity of `count` f32 values, or −1. */
  firstNonFinite(
    values: number, // pointer to count f32 values
    count: number, // ≥ 0
  ): number
}
