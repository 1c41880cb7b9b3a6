// @ts-check
/**
 * Turns the playground's settings into an edgeprop spec, and a loaded
 * spec back into settings. The output layer follows from the data and the
 * loss: one sigmoid unit for two classes, softmax units otherwise.
 */

/** @typedef {{ units: number, activation: string }} Hidden */
/**
 * @typedef {{
 *   kind: 'mlp' | 'perceptron', hidden: Hidden[], loss: string, optimizer: string,
 *   learningRate: number, threshold: string, seed: number
 * }} ModelSettings
 */

/**
 * Returns the output layer an MLP gets for `classes` classes and a loss.
 * @param {number} classes
 * @param {string} loss
 * @returns {Hidden}
 */
export function outputLayer(classes, loss) {
  if (loss === 'cross-entropy' || classes > 2) return { units: classes, activation: 'softmax' }
  return { units: 1, activation: 'sigmoid' }
}

/**
 * Builds the spec for the settings, on 2 inputs and `classes` classes.
 * @param {ModelSettings} s
 * @param {number} classes
 * @returns {object}
 */
export function specFor(s, classes) {
  if (s.kind === 'perceptron') {
    return {
      kind: 'perceptron', inputs: 2, outputs: classes > 2 ? classes : 1,
      activation: s.threshold, learningRate: s.learningRate, seed: s.seed,
    }
  }
  return {
    kind: 'mlp', inputs: 2,
    layers: [...s.hidden, outputLayer(classes, s.loss)],
    loss: s.loss,
    optimizer: { name: s.optimizer, learningRate: s.learningRate },
    seed: s.seed,
  }
}

/**
 * Reads the settings back from a spec; null where the form cannot show it.
 * @param {any} spec
 * @returns {Partial<ModelSettings>}
 */
export function settingsFrom(spec) {
  if (spec.kind === 'perceptron') {
    return { kind: 'perceptron', threshold: spec.activation, learningRate: spec.learningRate }
  }
  const hidden = spec.layers.slice(0, -1).map((/** @type {Hidden} */ l) => ({
    units: l.units, activation: l.activation,
  }))
  return {
    kind: 'mlp', hidden, loss: spec.loss,
    optimizer: spec.optimizer.name, learningRate: spec.optimizer.learningRate,
  }
}

/**
 * Describes the output layer in words, for the form.
 * @param {ModelSettings} s
 * @param {number} classes
 * @returns {string}
 */
export function describeOutput(s, classes) {
  if (s.kind === 'perceptron') {
    const units = classes > 2 ? classes : 1
    const lines = units === 1 ? 'one straight line' : `${units} lines, highest score wins`
    return `${units} ${s.threshold} unit${units === 1 ? '' : 's'}: ${lines}`
  }
  const out = outputLayer(classes, s.loss)
  return `${out.units} ${out.activation} unit${out.units === 1 ? '' : 's'}`
}
