// @ts-check
/**
 * Draws one measure (loss or accuracy) per epoch, training as a solid line
 * and test as a dashed one, on a small canvas.
 */

const INK = '#2b2f36'
const TEST = '#c0601a'
const FONT = '11px system-ui, -apple-system, "Segoe UI", sans-serif'
const MARGIN = { left: 46, right: 10, top: 20, bottom: 18 }

/** @typedef {{ epoch: number, train: number, test: number }} PlotPoint */

/** Keeps one series pair and paints it. */
export class PlotView {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{ title: string, fixedMax?: number }} options fixedMax pins the top of the y axis
   */
  constructor(canvas, options) {
    this.canvas = canvas
    this.title = options.title
    this.fixedMax = options.fixedMax
    /** @type {PlotPoint[]} */
    this.points = []
    new ResizeObserver(() => this.draw()).observe(canvas)
  }

  /** Forgets every point. */
  clear() {
    this.points = []
    this.draw()
  }

  /**
   * Appends points (one per finished epoch) and redraws.
   * @param {PlotPoint[]} points
   */
  add(points) {
    if (points.length === 0) return
    this.points.push(...points)
    this.draw()
  }

  /** Redraws at the canvas's current size. */
  draw() {
    const ratio = globalThis.devicePixelRatio || 1
    const width = this.canvas.clientWidth
    const height = this.canvas.clientHeight
    if (width === 0 || height === 0) return
    // resizing clears and reallocates the canvas, so only when the size changed
    const [pixelsWide, pixelsHigh] = [Math.round(width * ratio), Math.round(height * ratio)]
    if (this.canvas.width !== pixelsWide) this.canvas.width = pixelsWide
    if (this.canvas.height !== pixelsHigh) this.canvas.height = pixelsHigh
    const context = this.canvas.getContext('2d')
    if (context === null) return
    context.setTransform(ratio, 0, 0, ratio, 0, 0)
    const top = this.#top()
    this.#frame(context, width, height, top)
    const box = {
      x: MARGIN.left, y: MARGIN.top,
      w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom,
    }
    this.#line(context, box, top, 'train', INK, [])
    this.#line(context, box, top, 'test', TEST, [5, 4])
  }

  /** Returns the top of the y axis: the fixed one, or a round number above the data. */
  #top() {
    if (this.fixedMax !== undefined) return this.fixedMax
    const finite = this.points.flatMap((p) => [p.train, p.test]).filter(Number.isFinite)
    if (finite.length === 0) return 1
    const max = finite.reduce((a, b) => Math.max(a, b), 1e-3)
    const step = 10 ** Math.floor(Math.log10(max))
    return Math.ceil(max / step) * step
  }

  /**
   * Draws the title, the y labels and the guide lines.
   * @param {CanvasRenderingContext2D} context
   * @param {number} width
   * @param {number} height
   * @param {number} top
   */
  #frame(context, width, height, top) {
    const bottom = height - MARGIN.bottom
    const last = this.points.at(-1)?.epoch ?? 0
    context.clearRect(0, 0, width, height)
    context.font = FONT
    context.fillStyle = INK
    context.textBaseline = 'alphabetic'
    context.fillText(this.title, MARGIN.left, 12)
    context.textAlign = 'right'
    context.fillText(`epoch ${last}`, width - MARGIN.right, height - 4)
    context.strokeStyle = '#e3e5e8'
    context.lineWidth = 1
    for (const share of [0, 0.5, 1]) {
      const y = Math.round(bottom - share * (bottom - MARGIN.top)) + 0.5
      context.beginPath()
      context.moveTo(MARGIN.left, y)
      context.lineTo(width - MARGIN.right, y)
      context.stroke()
      context.textBaseline = 'middle'
      context.fillText(format(share * top), MARGIN.left - 6, y)
    }
    context.textAlign = 'left'
  }

  /**
   * Draws one series, one vertex per pixel column at most.
   * @param {CanvasRenderingContext2D} context
   * @param {{ x: number, y: number, w: number, h: number }} box
   * @param {number} top
   * @param {'train' | 'test'} key
   * @param {string} colour
   * @param {number[]} dash
   */
  #line(context, box, top, key, colour, dash) {
    const n = this.points.length
    if (n === 0) return
    const stride = Math.max(1, Math.ceil(n / box.w))
    const span = Math.max(1, this.points[n - 1].epoch)
    context.strokeStyle = colour
    context.lineWidth = 1.6
    context.setLineDash(dash)
    context.beginPath()
    for (let i = 0; i < n; i += i + stride < n ? stride : Math.max(1, n - 1 - i)) {
      const p = this.points[i]
      const value = Math.min(top, Math.max(0, p[key]))
      const x = box.x + (box.w * p.epoch) / span
      const y = box.y + box.h * (1 - value / top)
      if (i === 0) context.moveTo(x, y)
      else context.lineTo(x, y)
    }
    context.stroke()
    context.setLineDash([])
  }
}

/**
 * Formats an axis value with at most three significant digits.
 * @param {number} value
 */
function format(value) {
  return Number(value.toPrecision(3)).toString()
}
