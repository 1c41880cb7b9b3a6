// @ts-check
/**
 * Saves the playground's model to the edgeprop API and loads one from it:
 * PUT and GET /v1/models/{id}/weights, with a bearer token.
 */

/** How long one request may take before the page gives up, in ms. */
const TIMEOUT_MS = 15_000

/** @typedef {{ api: string, token: string, id: string }} Where */

/**
 * Uploads a model file; resolves to the API's description of the stored model.
 * @param {Where} where
 * @param {Uint8Array} bytes
 * @returns {Promise<{ id: string, version: number }>}
 */
export async function saveModel(where, bytes) {
  const response = await send(where, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream' },
    body: /** @type {BodyInit} */ (bytes),
  })
  return response.json()
}

/**
 * Downloads a model file: its latest version, even one trained a moment ago.
 * @param {Where} where
 * @returns {Promise<ArrayBuffer>}
 */
export async function loadModel(where) {
  // a strong read asks the model's trainer, not the KV copy that may lag behind
  const response = await send(where, { method: 'GET' }, '?consistency=strong')
  return response.arrayBuffer()
}

/**
 * Checks the fields, calls the weights route, and turns a refusal into an Error.
 * @param {Where} where
 * @param {RequestInit & { headers?: Record<string, string> }} init
 * @param {string} [search] a query string for the route
 */
async function send(where, init, search = '') {
  const url = weightsUrl(where)
  url.search = search
  if (where.token === '') {
    throw new Error('the bearer token is empty; paste the one `npm start` prints')
  }
  const headers = { ...init.headers, Authorization: `Bearer ${where.token}` }
  let response
  try {
    response = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(TIMEOUT_MS) })
  } catch (error) {
    throw new Error(`could not reach ${url.origin} (${describe(error)}); ` +
      'check the API address and that the server is running')
  }
  if (!response.ok) throw new Error(await problemText(response))
  return response
}

/**
 * Builds the weights URL, or says which field is wrong.
 * @param {Where} where
 */
function weightsUrl(where) {
  if (!/^[A-Za-z0-9][\w.-]{0,63}$/.test(where.id)) {
    throw new Error(`the model id is "${where.id}"; use 1 to 64 letters, digits, ` +
      '".", "_" or "-", starting with a letter or digit')
  }
  let base
  try {
    base = new URL(where.api || globalThis.location.origin)
  } catch {
    throw new Error(`the API address is "${where.api}"; expected a URL such as ` +
      'http://127.0.0.1:8787')
  }
  return new URL(`v1/models/${encodeURIComponent(where.id)}/weights`, withSlash(base))
}

/**
 * Ends the URL's path with a slash, so relative paths go below it.
 * @param {URL} url
 */
function withSlash(url) {
  if (!url.pathname.endsWith('/')) url.pathname += '/'
  return url
}

/**
 * Reads a problem+json answer into one sentence.
 * @param {Response} response
 */
async function problemText(response) {
  const prefix = `the API answered ${response.status}`
  try {
    const body = await response.json()
    const fields = (body.errors ?? [])
      .map((/** @type {{ path: unknown[], message: string }} */ e) =>
        `${e.path.join('.')} ${e.message}`)
      .join('; ')
    return `${prefix}: ${body.detail ?? body.title}${fields ? ` (${fields})` : ''}`
  } catch {
    return `${prefix} ${response.statusText}`
  }
}

/**
 * Names an error in a few words.
 * @param {unknown} error
 */
function describe(error) {
  return error instanceof Error ? error.message : String(error)
}
