// @ts-check
/**
 * The playground's Web Worker: owns the Network (on the wasm core), the
 * data and the training loop, so the page never waits on training. It
 * answers each message from main.js and sends a frame (metrics, new epochs
 * and the decision map) whenever the picture should change.
 */
import { DecisionMap } from './decision-map.js'
import { Network } from './edgeprop.js'
import { mulberry32, shuffle } from './random.js'

/** How long one burst of training runs before the worker sends a frame, in ms. */
const BURST_MS = 30
/** The least time between two decision maps while training runs, in ms. */
const MAP_INTERVAL_MS = 40

/** @typedef {{ x: number[][], y: number[] }} Points */
/** @typedef {{ train: Points, test: Points, classes: number }} Data */

/** @type {Network | null} */
let net = null
/** @type {Data | null} */
let data = null
let batchSize = 10
/** Epochs per second while running; 0 means as fast as the core goes. */
let rate = 60
/** @type {number[]} */
let order = []
let cursor = 0
let epoch = 0
let running = false
let uniform = mulberry32(1)
/** @type {object[]} */
let newEpochs = []
let lastMap = -Infinity
const map = new DecisionMap(100, 1.3)

const handlers = {
  /** @param {{ spec: object, data: Data, batchSize: number, seed: number }} m */
  async create(m) {
    running = false
    net = await Network.create(m.spec)
    useData(m.data, m.seed)
    batchSize = m.batchSize
    post({ type: 'created', spec: net.spec, parameterCount: net.parameterCount })
    sendFrame()
  },
  /** @param {{ id: number, bytes: ArrayBuffer }} m */
  async load(m) {
    running = false
    const loaded = await Network.fromBytes(m.bytes)
    if (loaded.spec.inputs !== 2) {
      throw new Error(`the model takes ${loaded.spec.inputs} inputs; the playground's ` +
        'points have 2, so load a model made with "inputs": 2')
    }
    net = loaded
    const { spec, version, stats, parameterCount } = net
    const classes = net.classes?.length ?? 2
    post({ type: 'loaded', id: m.id, spec, version, stats, parameterCount, classes })
  },
  /** @param {{ data: Data, seed: number }} m */
  data(m) {
    useData(m.data, m.seed)
    sendFrame()
  },
  start() {
    if (running) return
    running = true
    post({ type: 'running', running })
    setTimeout(burst, 0)
  },
  pause() {
    running = false
    post({ type: 'running', running })
    sendFrame()
  },
  step() {
    running = false
    trainBatch()
    sendFrame()
  },
  /** @param {{ batchSize?: number, epochsPerSecond?: number }} m */
  options(m) {
    batchSize = m.batchSize ?? batchSize
    rate = m.epochsPerSecond ?? rate
  },
  /** @param {{ id: number }} m */
  save(m) {
    const bytes = ready().net.toBytes()
    post({ type: 'bytes', id: m.id, bytes }, [bytes.buffer])
  },
  /** @param {{ id: number, x: number[][] }} m */
  predict(m) {
    post({ type: 'prediction', id: m.id, result: ready().net.predict(m.x) })
  },
}

/** Chains the handlers, so a message waits for the one before it to finish. */
let queue = Promise.resolve()

self.onmessage = (event) => {
  const message = event.data
  const handler = handlers[/** @type {keyof handlers} */ (message.type)]
  queue = queue.then(() => handler(message)).catch((error) => fail(error, message.id))
}

/**
 * Stops training and tells the page what went wrong.
 * @param {unknown} error
 * @param {number} [id] the request it answers, if any
 */
function fail(error, id) {
  running = false
  const e = /** @type {Error & { code?: string }} */ (error)
  post({ type: 'error', id, message: e.message ?? String(error), code: e.code, running })
}

/**
 * Posts a message to the page.
 * @param {object} message
 * @param {Transferable[]} [transfer]
 */
function post(message, transfer = []) {
  // the (message, transfer) form is the one every browser's workers take
  /** @type {any} */ (self).postMessage(message, transfer)
}

/** Returns the network and data, or says what to do first. */
function ready() {
  if (net === null || data === null) {
    throw new Error('there is no network yet; press Reset or load a model first')
  }
  return { net, data }
}

/**
 * Switches to new points and starts the epoch count again.
 * @param {Data} next
 * @param {number} seed
 */
function useData(next, seed) {
  data = next
  order = [...next.train.x.keys()]
  cursor = 0
  epoch = 0
  uniform = mulberry32(seed)
  newEpochs = []
}

/**
 * Trains for one burst (up to one epoch when the rate is capped), sends a
 * frame, and queues the next burst so that epochs keep to the rate.
 */
function burst() {
  if (!running) return
  const started = performance.now()
  const target = epoch + 1
  try {
    do trainBatch()
    while (running && performance.now() - started < BURST_MS && (rate === 0 || epoch < target))
  } catch (error) {
    fail(error)
  }
  sendFrame()
  const wait = rate === 0 ? 0 : 1000 / rate - (performance.now() - started)
  if (running) setTimeout(burst, Math.max(0, wait))
}

/** Trains on the next batch of a shuffled pass; records the epoch when a pass ends. */
function trainBatch() {
  const { net, data } = ready()
  if (cursor === 0) shuffle(order, uniform)
  const rows = order.slice(cursor, cursor + batchSize)
  const x = rows.map((i) => data.train.x[i])
  const y = rows.map((i) => data.train.y[i])
  net.train(x, y, { epochs: 1, batchSize: rows.length, shuffle: false })
  cursor += rows.length
  if (cursor < order.length) return
  cursor = 0
  epoch += 1
  newEpochs.push({ epoch, ...measure() })
}

/** Returns loss and accuracy on the training and the test points. */
function measure() {
  const { net, data } = ready()
  const train = net.evaluate(data.train.x, data.train.y)
  const test = net.evaluate(data.test.x, data.test.y)
  return {
    trainLoss: train.loss, trainAccuracy: train.accuracy,
    testLoss: test.loss, testAccuracy: test.accuracy,
  }
}

/**
 * Sends the metrics and the epochs finished since the last frame; and the
 * decision map, unless training runs and the last one is too recent.
 */
function sendFrame() {
  if (net === null || data === null) return
  const now = performance.now()
  const due = !running || now - lastMap >= MAP_INTERVAL_MS
  const grid = due ? map.paint(net) : null
  if (due) lastMap = now
  const frame = {
    type: 'frame', epoch, running, version: net.version, metrics: measure(),
    epochs: newEpochs, grid, gridSize: map.size, extent: map.extent,
  }
  newEpochs = []
  post(frame, grid === null ? [] : [grid.buffer])
}
