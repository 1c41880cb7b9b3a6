// @ts-check
/**
 * The settings form: reads it into plain settings, checks them, writes a
 * loaded model's settings back, and keeps the hidden-layer list.
 */
import { DATASETS } from './datasets.js'
import { byId } from './elements.js'
import { describeOutput } from './model-spec.js'

const ACTIVATIONS = ['relu', 'leaky-relu', 'tanh', 'sigmoid', 'linear']
const MAX_LAYERS = 6
const MAX_UNITS = 64

/** @typedef {import('./model-spec.js').Hidden} Hidden */
/**
 * @typedef {import('./model-spec.js').ModelSettings & {
 *   dataset: string, points: number, noise: number, trainShare: number, batchSize: number
 * }} Settings
 */

/** Wraps the settings form; calls `onChange('reset' | 'batch')` when a field changes. */
export class Controls {
  /**
   * @param {HTMLFormElement} form
   * @param {(what: 'reset' | 'batch') => void} onChange
   */
  constructor(form, onChange) {
    this.form = form
    this.onChange = onChange
    this.list = /** @type {HTMLOListElement} */ (byId('layers'))
    const select = /** @type {HTMLSelectElement} */ (byId('dataset'))
    for (const [id, { name }] of Object.entries(DATASETS)) select.add(new Option(name, id))
    this.setLayers([{ units: 4, activation: 'tanh' }])
    this.#listen()
    this.refresh()
  }

  /** Returns the settings as the form shows them (not yet checked). */
  read() {
    const value = (/** @type {string} */ name) => this.#field(name).value
    const number = (/** @type {string} */ name) => Number(value(name))
    const hidden = [...this.list.children].map((item) => ({
      units: Number(/** @type {HTMLInputElement} */ (item.querySelector('input')).value),
      activation: /** @type {HTMLSelectElement} */ (item.querySelector('select')).value,
    }))
    return /** @type {Settings} */ ({
      dataset: value('dataset'), points: number('points'), noise: number('noise'),
      trainShare: number('trainShare'), seed: number('seed'),
      kind: value('kind'), hidden, loss: value('loss'), optimizer: value('optimizer'),
      threshold: value('threshold'), learningRate: number('learningRate'),
      batchSize: number('batchSize'),
    })
  }

  /**
   * Lists what is wrong with the settings, one sentence per field; marks those fields.
   * @param {Settings} s
   * @returns {string[]}
   */
  check(s) {
    const problems = []
    const rules = [
      ['points', 'Points', Number.isInteger(s.points) && s.points >= 20 && s.points <= 2000,
        'a whole number from 20 to 2000'],
      ['seed', 'Seed', Number.isInteger(s.seed) && s.seed >= 0 && s.seed < 2 ** 32,
        'a whole number from 0 to 4294967295'],
      ['learningRate', 'Learning rate', s.learningRate > 0 && s.learningRate <= 10,
        'a number above 0 and at most 10, such as 0.03'],
      ['batchSize', 'Batch size', Number.isInteger(s.batchSize) && s.batchSize >= 1,
        'a whole number of at least 1'],
    ]
    for (const [name, label, ok, expected] of rules) {
      const field = this.#field(/** @type {string} */ (name))
      field.setAttribute('aria-invalid', String(!ok))
      if (!ok) problems.push(`${label} is "${field.value}"; expected ${expected}.`)
    }
    this.list.querySelectorAll('input').forEach((input, i) => {
      const units = Number(input.value)
      const ok = Number.isInteger(units) && units >= 1 && units <= MAX_UNITS
      input.setAttribute('aria-invalid', String(!ok))
      const expected = `expected a whole number from 1 to ${MAX_UNITS}`
      if (!ok) problems.push(`Layer ${i + 1} units is "${input.value}"; ${expected}.`)
    })
    return problems
  }

  /**
   * Shows settings (from a loaded model) without calling onChange.
   * @param {Partial<Settings>} s
   */
  apply(s) {
    for (const [name, value] of Object.entries(s)) {
      if (name === 'hidden') this.setLayers(/** @type {Hidden[]} */ (value))
      else if (this.form.elements.namedItem(name)) this.#field(name).value = String(value)
    }
    this.refresh()
  }

  /**
   * Rebuilds the hidden-layer list.
   * @param {Hidden[]} layers
   */
  setLayers(layers) {
    this.list.replaceChildren(...layers.map((layer, i) => layerItem(layer, i)))
    this.refresh()
  }

  /** Updates what follows from other fields: range read-outs, visible parts, the output. */
  refresh() {
    const s = this.read()
    const classes = DATASETS[s.dataset]?.classes ?? 2
    byId('noise-value').textContent = s.noise.toFixed(2)
    byId('trainShare-value').textContent = `${Math.round(s.trainShare * 100)}%`
    byId('mlp-settings').hidden = s.kind !== 'mlp'
    byId('perceptron-settings').hidden = s.kind !== 'perceptron'
    const binary = /** @type {HTMLOptionElement} */ (this.form.querySelector(
      'option[value="binary-cross-entropy"]'))
    binary.disabled = classes > 2
    if (classes > 2 && s.loss === 'binary-cross-entropy') {
      this.#field('loss').value = 'cross-entropy'
    }
    byId('output-layer').textContent = describeOutput(this.read(), classes)
    const add = /** @type {HTMLButtonElement} */ (byId('add-layer'))
    add.disabled = this.list.children.length >= MAX_LAYERS
  }

  #listen() {
    this.form.addEventListener('input', (event) => {
      const target = /** @type {HTMLInputElement} */ (event.target)
      if (target.type === 'range') this.refresh()
    })
    this.form.addEventListener('change', (event) => {
      const target = /** @type {HTMLInputElement} */ (event.target)
      this.refresh()
      this.onChange(target.name === 'batchSize' ? 'batch' : 'reset')
    })
    this.form.addEventListener('submit', (event) => event.preventDefault())
    this.form.addEventListener('click', (event) => this.#onClick(event))
  }

  /**
   * Adds or removes a hidden layer for the buttons in the list.
   * @param {MouseEvent} event
   */
  #onClick(event) {
    const button = /** @type {HTMLElement} */ (event.target).closest('button')
    if (button === null) return
    const layers = this.read().hidden
    if (button.id === 'add-layer') {
      layers.push({ ...(layers.at(-1) ?? { units: 4, activation: 'tanh' }) })
    } else if (button.dataset.remove !== undefined) {
      layers.splice(Number(button.dataset.remove), 1)
    } else {
      return
    }
    this.setLayers(layers)
    const added = button.id === 'add-layer'
    const focus = added ? this.list.lastElementChild?.querySelector('input') : byId('add-layer')
    focus?.focus()
    this.onChange('reset')
  }

  /**
   * Returns a named control of the form.
   * @param {string} name
   */
  #field(name) {
    return /** @type {HTMLInputElement} */ (this.form.elements.namedItem(name))
  }
}

/**
 * Builds one row of the hidden-layer list, with labelled fields.
 * @param {Hidden} layer
 * @param {number} index
 */
function layerItem(layer, index) {
  const n = index + 1
  const item = document.createElement('li')
  const units = Object.assign(document.createElement('input'), {
    type: 'number', min: '1', max: String(MAX_UNITS), step: '1', value: String(layer.units),
    id: `layer-${n}-units`, name: `layer-${n}-units`, inputMode: 'numeric',
  })
  const activation = Object.assign(document.createElement('select'), {
    id: `layer-${n}-activation`, name: `layer-${n}-activation`,
  })
  for (const name of ACTIVATIONS) activation.add(new Option(name, name))
  activation.value = ACTIVATIONS.includes(layer.activation) ? layer.activation : 'relu'
  const remove = Object.assign(document.createElement('button'), {
    type: 'button', className: 'small remove', textContent: '×',
  })
  remove.dataset.remove = String(index)
  remove.setAttribute('aria-label', `Remove layer ${n}`)
  units.setAttribute('aria-label', `Layer ${n} units`)
  activation.setAttribute('aria-label', `Layer ${n} activation`)
  const number = Object.assign(document.createElement('span'), {
    className: 'layer-number', textContent: String(n),
  })
  number.setAttribute('aria-hidden', 'true')
  item.append(number, units, activation, remove)
  return item
}
