// @ts-check
/**
 * The playground page: wires the settings form, the run buttons, the views
 * and the save/load panel to the training worker (train-worker.js).
 */
import { BoundaryView, CLASS_COLOURS } from './boundary-view.js'
import { Controls } from './controls.js'
import { datasetWithClasses, makeDataset } from './datasets.js'
import { byId, canvasById } from './elements.js'
import { settingsFrom, specFor } from './model-spec.js'
import { PlotView } from './plot-view.js'
import { wireStorePanel } from './store-panel.js'

const worker = new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module' })
const boundary = new BoundaryView(canvasById('boundary'))
const lossPlot = new PlotView(canvasById('loss-plot'), { title: 'Loss' })
const accuracyPlot = new PlotView(canvasById('accuracy-plot'), { title: 'Accuracy', fixedMax: 1 })
const controls = new Controls(/** @type {HTMLFormElement} */ (byId('settings')), onSettings)
/** @type {Map<number, { resolve: (m: any) => void, reject: (e: Error) => void }>} */
const pending = new Map()
let nextId = 1
/** @type {ReturnType<typeof makeDataset> | null} */
let data = null
/** Tells whether the worker said it is training, which decides what Start does. */
let running = false

/**
 * Sends the worker a request and resolves with its answer.
 * @param {string} type
 * @param {object} [payload]
 * @param {Transferable[]} [transfer]
 * @returns {Promise<any>}
 */
function request(type, payload = {}, transfer = []) {
  const id = nextId++
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject })
    worker.postMessage({ type, id, ...payload }, transfer)
  })
}

/** Draws fresh data from the settings and gives the worker a new network. */
function reset() {
  const settings = controls.read()
  const problems = controls.check(settings)
  if (problems.length > 0) return say(problems.join(' '))
  say('')
  useData(makeDataset(settings))
  worker.postMessage({
    type: 'create', spec: specFor(settings, data?.classes ?? 2), data,
    batchSize: settings.batchSize, seed: settings.seed,
  })
}

/**
 * Shows new points and clears the history drawn for the old ones.
 * @param {ReturnType<typeof makeDataset>} next
 * @param {string[]} [labels] the model's class names, if it has them
 */
function useData(next, labels) {
  data = next
  boundary.data = next
  boundary.draw()
  lossPlot.clear()
  accuracyPlot.clear()
  byId('class-keys').replaceChildren(...classKeys(next.classes, labels))
}

/**
 * Reacts to a settings change: a new batch size applies at once, the rest resets.
 * @param {'reset' | 'batch'} what
 */
function onSettings(what) {
  const settings = controls.read()
  const problems = controls.check(settings)
  if (problems.length > 0) return say(problems.join(' '))
  if (what === 'batch') {
    worker.postMessage({ type: 'options', batchSize: settings.batchSize })
    return say(`Batch size is now ${settings.batchSize}.`)
  }
  reset()
}

/** @param {MessageEvent} event */
worker.onmessage = (event) => {
  const message = event.data
  const waiting = pending.get(message.id)
  if (waiting !== undefined) {
    pending.delete(message.id)
    if (message.type === 'error') waiting.reject(new Error(message.message))
    else waiting.resolve(message)
    return
  }
  if (message.type === 'frame') showFrame(message)
  else if (message.type === 'running') showRunning(message.running)
  else if (message.type === 'created') showCreated(message)
  else if (message.type === 'error') showRunning(message.running, message.message)
}

/** @param {ErrorEvent} event */
worker.onerror = (event) => {
  event.preventDefault()
  say(`The training worker failed to start (${event.message || 'no detail'}); reload the page.`)
}

/**
 * Draws one frame from the worker: map, plots, numbers.
 * @param {any} frame
 */
function showFrame(frame) {
  if (frame.grid !== null) boundary.setMap(frame.grid, frame.gridSize, frame.extent)
  const epochs = /** @type {any[]} */ (frame.epochs)
  lossPlot.add(epochs.map((e) => ({ epoch: e.epoch, train: e.trainLoss, test: e.testLoss })))
  accuracyPlot.add(epochs.map((e) => ({
    epoch: e.epoch, train: e.trainAccuracy ?? NaN, test: e.testAccuracy ?? NaN,
  })))
  const m = frame.metrics
  showNumber('train-loss', m.trainLoss, (v) => v.toFixed(4))
  showNumber('test-loss', m.testLoss, (v) => v.toFixed(4))
  showNumber('train-accuracy', m.trainAccuracy, (v) => `${(v * 100).toFixed(1)}%`)
  showNumber('test-accuracy', m.testAccuracy, (v) => `${(v * 100).toFixed(1)}%`)
  byId('epoch').textContent = String(frame.epoch)
  showRunning(frame.running)
}

/**
 * Writes a number into a read-out, keeping the exact value in data-value.
 * @param {string} id
 * @param {number | undefined} value
 * @param {(value: number) => string} format
 */
function showNumber(id, value, format) {
  const element = byId(id)
  element.textContent = value === undefined ? '–' : format(value)
  element.dataset.value = value === undefined ? '' : String(value)
}

/**
 * Shows whether training runs, and an error if it stopped on one.
 * @param {boolean} now
 * @param {string} [error]
 */
function showRunning(now, error) {
  running = now
  byId('start').textContent = running ? 'Pause' : 'Start'
  if (error !== undefined) {
    say(`Training stopped: ${error.replace(/\.$/, '')}. Change a setting or press Reset.`)
  }
}

/**
 * Reports a new network.
 * @param {{ parameterCount: number }} message
 */
function showCreated(message) {
  byId('parameters').textContent = `${message.parameterCount} weights and biases`
}

/**
 * Builds the legend's swatches, one per class.
 * @param {number} classes
 * @param {string[]} [labels]
 */
function classKeys(classes, labels) {
  return CLASS_COLOURS.slice(0, classes).map((colour, i) => {
    const key = document.createElement('span')
    const swatch = document.createElement('i')
    swatch.className = 'swatch'
    swatch.style.background = `rgb(${colour})`
    key.append(swatch, ` ${labels?.[i] ?? `class ${i}`}`)
    return key
  })
}

/**
 * Puts a sentence in the status line (read out by screen readers).
 * @param {string} text
 */
function say(text) {
  byId('status').textContent = text
}

byId('start').addEventListener('click', () => {
  worker.postMessage({ type: running ? 'pause' : 'start' })
})
byId('step').addEventListener('click', () => worker.postMessage({ type: 'step' }))
byId('reset').addEventListener('click', () => {
  reset()
  say('Reset: new data and new starting weights.')
})
byId('speed').addEventListener('change', (event) => {
  const speed = Number(/** @type {HTMLSelectElement} */ (event.target).value)
  worker.postMessage({ type: 'options', epochsPerSecond: speed })
})
byId('show-test').addEventListener('change', (event) => {
  boundary.showTest = /** @type {HTMLInputElement} */ (event.target).checked
  boundary.draw()
})

/**
 * Shows a model the store panel loaded: its settings, and data it can take.
 * @param {any} loaded what the worker answered to 'load'
 */
function showLoaded(loaded) {
  const dataset = datasetWithClasses(loaded.classes, controls.read().dataset)
  if (dataset === undefined) {
    reset()
    throw new Error(`the model has ${loaded.classes} classes; the datasets here have 2 or 3`)
  }
  controls.apply({ ...settingsFrom(loaded.spec), dataset })
  const settings = controls.read()
  useData(makeDataset(settings), loaded.spec.labels)
  worker.postMessage({ type: 'data', data, seed: settings.seed })
  worker.postMessage({ type: 'options', batchSize: settings.batchSize })
  byId('parameters').textContent = `${loaded.parameterCount} weights and biases`
}

wireStorePanel({ ask: request, onLoaded: showLoaded })

/** Lets the console (and tests) ask the worker's model for predictions. */
Object.assign(globalThis, {
  playground: {
    predict: async (/** @type {number[][]} */ x) => (await request('predict', { x })).result,
  },
})

reset()
