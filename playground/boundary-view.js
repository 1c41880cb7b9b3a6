// @ts-check
/**
 * Draws the decision map as a colour field (the class each cell falls in,
 * paler where the model is less sure) with the data points over it.
 */

/** Gives each class its colour, as [red, green, blue]. */
export const CLASS_COLOURS = [[230, 126, 34], [41, 121, 190], [46, 158, 84]]

const PAPER = [251, 251, 250]
const POINT_RADIUS = 4.5

/** @typedef {{ x: number[][], y: number[] }} Points */

/** Paints one canvas: the map, the axes and the points. */
export class BoundaryView {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.canvas = canvas
    this.field = document.createElement('canvas')
    this.extent = 1.6
    /** @type {{ train: Points, test: Points } | null} */
    this.data = null
    this.showTest = true
    this.hasMap = false
    new ResizeObserver(() => this.draw()).observe(canvas)
  }

  /**
   * Takes a new map: (class, confidence) pairs for size×size cells, top row first.
   * @param {Float32Array} cells
   * @param {number} size
   * @param {number} extent half-width of the square the map covers
   */
  setMap(cells, size, extent) {
    this.extent = extent
    this.field.width = size
    this.field.height = size
    const image = new ImageData(size, size)
    for (let i = 0; i < size * size; i++) {
      const colour = CLASS_COLOURS[cells[2 * i]] ?? PAPER
      const weight = 0.14 + 0.56 * Math.max(0, Math.min(1, cells[2 * i + 1]))
      for (let c = 0; c < 3; c++) {
        image.data[4 * i + c] = PAPER[c] + (colour[c] - PAPER[c]) * weight
      }
      image.data[4 * i + 3] = 255
    }
    this.field.getContext('2d')?.putImageData(image, 0, 0)
    this.hasMap = true
    this.draw()
  }

  /** Redraws everything at the canvas's current size. */
  draw() {
    const context = this.#fit()
    if (context === null) return
    const side = this.canvas.width
    context.fillStyle = `rgb(${PAPER})`
    context.fillRect(0, 0, side, side)
    if (this.hasMap) {
      context.imageSmoothingEnabled = true
      context.imageSmoothingQuality = 'high'
      context.drawImage(this.field, 0, 0, side, side)
    }
    this.#axes(context, side)
    if (this.data === null) return
    const ratio = side / this.canvas.clientWidth
    if (this.showTest) this.#points(context, this.data.test, side, false, ratio)
    this.#points(context, this.data.train, side, true, ratio)
  }

  /** Sizes the backing store to the element and the screen's pixel ratio. */
  #fit() {
    const context = this.canvas.getContext('2d')
    const size = Math.round(this.canvas.clientWidth * (globalThis.devicePixelRatio || 1))
    if (size > 0 && this.canvas.width !== size) {
      this.canvas.width = size
      this.canvas.height = size
    }
    return size > 0 ? context : null
  }

  /**
   * Draws faint lines at -1, 0 and 1 on both axes.
   * @param {CanvasRenderingContext2D} context
   * @param {number} side
   */
  #axes(context, side) {
    context.strokeStyle = 'rgba(40, 44, 52, 0.16)'
    context.lineWidth = Math.max(1, side / 480)
    context.beginPath()
    for (const at of [-1, 0, 1]) {
      const p = this.#toPixel(at, side)
      context.moveTo(p, 0)
      context.lineTo(p, side)
      context.moveTo(0, side - p)
      context.lineTo(side, side - p)
    }
    context.stroke()
  }

  /**
   * Draws points: training ones filled, test ones as rings.
   * @param {CanvasRenderingContext2D} context
   * @param {Points} points
   * @param {number} side
   * @param {boolean} filled
   * @param {number} ratio device pixels per CSS pixel
   */
  #points(context, points, side, filled, ratio) {
    const radius = POINT_RADIUS * ratio
    context.lineWidth = (filled ? 1.5 : 2.2) * ratio
    points.x.forEach(([a, b], i) => {
      const colour = `rgb(${CLASS_COLOURS[points.y[i]] ?? PAPER})`
      context.beginPath()
      context.arc(this.#toPixel(a, side), side - this.#toPixel(b, side), radius, 0, 2 * Math.PI)
      context.fillStyle = filled ? colour : 'white'
      context.strokeStyle = filled ? 'white' : colour
      context.fill()
      context.stroke()
    })
  }

  /**
   * Maps a coordinate in [-extent, extent] to a pixel from the left (or bottom).
   * @param {number} value
   * @param {number} side
   */
  #toPixel(value, side) {
    return ((value + this.extent) / (2 * this.extent)) * side
  }
}
