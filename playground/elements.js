// @ts-check
/**
 * Finds the page's elements by id, failing loudly when index.html and the
 * scripts disagree about one.
 */

/**
 * Returns the element with this id, which the page must have.
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const element = document.getElementById(id)
  if (element === null) {
    throw new Error(`the page has no #${id}; index.html and the scripts name different ids`)
  }
  return element
}

/**
 * Returns the canvas with this id.
 * @param {string} id
 * @returns {HTMLCanvasElement}
 */
export function canvasById(id) {
  const element = byId(id)
  if (!(element instanceof HTMLCanvasElement)) {
    throw new Error(`#${id} is a <${element.tagName.toLowerCase()}>; the page needs a <canvas>`)
  }
  return element
}
