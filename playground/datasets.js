// @ts-check
/**
 * The playground's 2-D datasets, each drawn from a seed so the same
 * settings always give the same points. Points lie in about [-1, 1]²;
 * `noise` is the standard deviation of Gaussian jitter added to both
 * coordinates, in those units.
 */
import { mulberry32, normal, shuffle } from './random.js'

/** @typedef {{ x: number[][], y: number[] }} Points */
/** @typedef {{ uniform: () => number, gauss: () => number }} Draw */

/**
 * Lists the datasets by id: a name for menus and the number of classes.
 * @type {Record<string, { name: string, classes: number, make: (n: number, d: Draw) => Points }>}
 */
export const DATASETS = {
  xor: { name: 'XOR', classes: 2, make: xor },
  circles: { name: 'Two circles', classes: 2, make: circles },
  moons: { name: 'Two moons', classes: 2, make: moons },
  spirals: { name: 'Two spirals', classes: 2, make: spirals },
  blobs: { name: 'Gaussian blobs (3 classes)', classes: 3, make: blobs },
}

/**
 * Draws a dataset and splits it into training and test points.
 * @param {{ dataset: string, points: number, noise: number, trainShare: number, seed: number }} o
 * @returns {{ train: Points, test: Points, classes: number }}
 */
export function makeDataset(o) {
  const kind = DATASETS[o.dataset]
  if (kind === undefined) {
    throw new Error(`dataset is '${o.dataset}'; expected one of ${Object.keys(DATASETS)}`)
  }
  const uniform = mulberry32(o.seed)
  const gauss = normal(uniform)
  const clean = kind.make(o.points, { uniform, gauss })
  const x = clean.x.map(([a, b]) => [a + o.noise * gauss(), b + o.noise * gauss()])
  const order = shuffle([...x.keys()], uniform)
  const cut = Math.min(x.length - 1, Math.max(1, Math.round(x.length * o.trainShare)))
  const pick = (/** @type {number[]} */ rows) => ({
    x: rows.map((i) => x[i]),
    y: rows.map((i) => clean.y[i]),
  })
  return { train: pick(order.slice(0, cut)), test: pick(order.slice(cut)), classes: kind.classes }
}

/**
 * Returns a dataset id with this many classes: `current` if it has them, else the first.
 * @param {number} classes
 * @param {string} current
 * @returns {string | undefined}
 */
export function datasetWithClasses(classes, current) {
  if (DATASETS[current]?.classes === classes) return current
  return Object.keys(DATASETS).find((id) => DATASETS[id].classes === classes)
}

/**
 * Fills the four quadrants, away from the axes; class 1 where x·y < 0.
 * @param {number} n
 * @param {Draw} d
 * @returns {Points}
 */
function xor(n, { uniform }) {
  const gap = 0.1
  const away = () => (uniform() < 0.5 ? -1 : 1) * (gap + (1 - gap) * uniform())
  const x = Array.from({ length: n }, () => [away(), away()])
  return { x, y: x.map(([a, b]) => (a * b < 0 ? 1 : 0)) }
}

/**
 * Puts class 0 in a disc of radius 0.5 and class 1 in a ring from 0.7 to 1.
 * @param {number} n
 * @param {Draw} d
 * @returns {Points}
 */
function circles(n, { uniform }) {
  const x = []
  const y = []
  for (let i = 0; i < n; i++) {
    const outer = i % 2
    const radius = outer ? 0.7 + 0.3 * uniform() : 0.5 * Math.sqrt(uniform())
    const angle = 2 * Math.PI * uniform()
    x.push([radius * Math.cos(angle), radius * Math.sin(angle)])
    y.push(outer)
  }
  return { x, y }
}

/**
 * Draws two interleaved half circles, scaled into [-1, 1] × [-0.5, 0.5].
 * @param {number} n
 * @param {Draw} d
 * @returns {Points}
 */
function moons(n, { uniform }) {
  const x = []
  const y = []
  for (let i = 0; i < n; i++) {
    const lower = i % 2
    const t = Math.PI * uniform()
    const [a, b] = lower ? [1 - Math.cos(t), 0.5 - Math.sin(t)] : [Math.cos(t), Math.sin(t)]
    x.push([(a - 0.5) / 1.5, (b - 0.25) / 1.5])
    y.push(lower)
  }
  return { x, y }
}

/**
 * Winds two arms one and a half turns out from the centre, each the other turned by π.
 * @param {number} n
 * @param {Draw} d
 * @returns {Points}
 */
function spirals(n, { uniform }) {
  const x = []
  const y = []
  for (let i = 0; i < n; i++) {
    const arm = i % 2
    const along = uniform()
    const radius = 0.08 + 0.87 * along
    const angle = 3 * Math.PI * along + arm * Math.PI
    x.push([radius * Math.cos(angle), radius * Math.sin(angle)])
    y.push(arm)
  }
  return { x, y }
}

/**
 * Scatters three Gaussian clouds (σ = 0.2) around a circle of radius 0.55.
 * @param {number} n
 * @param {Draw} d
 * @returns {Points}
 */
function blobs(n, { gauss }) {
  const x = []
  const y = []
  for (let i = 0; i < n; i++) {
    const blob = i % 3
    const angle = Math.PI / 2 + (2 * Math.PI * blob) / 3
    x.push([0.55 * Math.cos(angle) + 0.2 * gauss(), 0.55 * Math.sin(angle) + 0.2 * gauss()])
    y.push(blob)
  }
  return { x, y }
}
