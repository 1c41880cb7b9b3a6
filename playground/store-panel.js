// @ts-check
/**
 * The save/load form: Save sends the worker's model to the API, Load
 * brings one back for the page to show; the form's status line says how
 * each went.
 */
import { byId } from './elements.js'
import { loadModel, saveModel } from './model-store.js'

/** @typedef {(type: string, payload?: object, transfer?: Transferable[]) => Promise<any>} Ask */

/**
 * Wires the form to the worker (through `ask`) and to the page (`onLoaded`).
 * @param {{ ask: Ask, onLoaded: (loaded: any) => void }} hooks
 */
export function wireStorePanel({ ask, onLoaded }) {
  const api = /** @type {HTMLInputElement} */ (byId('api'))
  api.value = location.origin

  /** Saves the worker's model to the API. */
  async function save() {
    const where = fields()
    report('Saving…')
    const { bytes } = await ask('save')
    const stored = await saveModel(where, bytes)
    report(`Saved "${stored.id}" (version ${stored.version}).`)
  }

  /** Loads a model from the API into the worker, then lets the page show it. */
  async function load() {
    const where = fields()
    report('Loading…')
    const bytes = await loadModel(where)
    const loaded = await ask('load', { bytes }, [bytes])
    onLoaded(loaded)
    report(`Loaded "${where.id}" (version ${loaded.version}, ` +
      `${loaded.stats.samplesSeen} samples seen).`)
  }

  byId('store').addEventListener('submit', (event) => {
    event.preventDefault()
    guarded(save)
  })
  byId('load').addEventListener('click', () => guarded(load))
}

/** Returns where the form points: API address, token and model id. */
function fields() {
  const value = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (byId(id)).value
  return { api: value('api').trim(), token: value('token').trim(), id: value('model-id').trim() }
}

/**
 * Runs an action, reporting its failure in the form's status line.
 * @param {() => Promise<void>} action
 */
function guarded(action) {
  action().catch((error) => report(`Failed: ${error.message}`))
}

/**
 * Puts a sentence in the form's status line (read out by screen readers).
 * @param {string} text
 */
function report(text) {
  byId('store-status').textContent = text
}
