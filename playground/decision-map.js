// @ts-check
/**
 * Computes the decision map the page colours: for each cell of a square
 * grid over the plane, the class the model predicts there (from the core's
 * predict) and how sure it is, in [0, 1].
 */

/** Full colour this far (in data units) from a perceptron's line, paler nearer. */
const PERCEPTRON_FADE = 0.12

/** @typedef {import('./edgeprop.js').Network} Network */

/** Holds the grid's cell centres and paints a network's map over them. */
export class DecisionMap {
  /**
   * @param {number} size cells per side
   * @param {number} extent half-width of the square, centred on the origin
   */
  constructor(size, extent) {
    this.size = size
    this.extent = extent
    /** @type {number[][]} */
    this.rows = []
    const cell = (2 * extent) / size
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        this.rows.push([-extent + (c + 0.5) * cell, extent - (r + 0.5) * cell])
      }
    }
  }

  /**
   * Returns (class index, confidence) pairs, one per cell, top row first.
   * @param {Network} net
   */
  paint(net) {
    const prediction = net.predict(this.rows)
    const classes = net.classes ?? [0, 1]
    const out = new Float32Array(this.rows.length * 2)
    const margin = net.spec.kind === 'perceptron' ? perceptronMargin(net) : null
    for (let i = 0; i < this.rows.length; i++) {
      const p = prediction.probabilities?.[i]
      if (p !== undefined) {
        const best = p.indexOf(Math.max(...p))
        out[2 * i] = best
        out[2 * i + 1] = (p[best] - 1 / p.length) / (1 - 1 / p.length)
      } else if (prediction.labels !== undefined) {
        const best = classes.indexOf(prediction.labels[i])
        out[2 * i] = best
        out[2 * i + 1] = margin === null ? 1 : margin(this.rows[i], best)
      } else {
        const value = prediction.outputs[i][0]
        out[2 * i] = value >= 0.5 ? 1 : 0
        out[2 * i + 1] = Math.min(1, Math.abs(value - 0.5) * 2)
      }
    }
    return out
  }
}

/**
 * Returns a shading for a perceptron: how far a point lies from the line
 * that would change its class, so each threshold unit's line shows sharp.
 * @param {Network} net
 * @returns {(point: number[], best: number) => number}
 */
function perceptronMargin(net) {
  const [{ W, b }] = net.getWeights()
  const units = b.length
  const z = (/** @type {number[]} */ [x0, x1], /** @type {number} */ j) =>
    x0 * W[j] + x1 * W[units + j] + b[j]
  /** @param {number} j @param {number} k */
  const gap = (j, k) => Math.hypot(W[j] - W[k], W[units + j] - W[units + k])
  return (point, best) => {
    let distance = Infinity
    if (units === 1) {
      distance = Math.abs(z(point, 0)) / Math.hypot(W[0], W[1])
    } else {
      for (let k = 0; k < units; k++) {
        if (k !== best) distance = Math.min(distance, (z(point, best) - z(point, k)) / gap(best, k))
      }
    }
    return Number.isFinite(distance) ? Math.min(1, Math.abs(distance) / PERCEPTRON_FADE) : 1
  }
}
