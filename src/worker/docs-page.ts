/**
 * The /docs page: reads /openapi.json and offers a small form per operation
 * to try it (token, path, query and header parameters, JSON body), showing
 * the raw answer and the headers that carry versions.
 * Written here because Swagger UI's assets cannot come from a CDN offline.
 */

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
  padding: 0 1rem; color: #1d232b; }
h1 { margin-bottom: 0.2rem; } code, textarea, pre { font: 13px ui-monospace, monospace; }
details { border: 1px solid #cfd6de; border-radius: 6px; margin: 0.5rem 0; padding: 0.4rem 0.8rem; }
summary { cursor: pointer; } .method { display: inline-block; width: 4.5rem; font-weight: 600; }
textarea { width: 100%; min-height: 8rem; box-sizing: border-box; }
input { font: inherit; padding: 0.2rem 0.4rem; } label { display: block; margin: 0.3rem 0; }
pre { background: #f3f5f7; padding: 0.6rem; overflow: auto; max-height: 24rem; }
`

const SCRIPT = `
const $ = (tag, props = {}, ...kids) => {
  const node = Object.assign(document.createElement(tag), props)
  node.append(...kids)
  return node
}
const token = document.getElementById('token')
token.value = localStorage.getItem('edgeprop-token') || ''
token.onchange = () => localStorage.setItem('edgeprop-token', token.value)

function exampleBody(doc, op) {
  const media = op.requestBody && op.requestBody.content['application/json']
  if (!media) return null
  let schema = media.schema || {}
  if (schema.$ref) schema = doc.components.schemas[schema.$ref.split('/').pop()]
  return JSON.stringify(schema.example || {}, null, 2)
}

async function send(method, path, fields, body, out) {
  let url = path
  const query = new URLSearchParams()
  const headers = token.value ? { Authorization: 'Bearer ' + token.value } : {}
  for (const [param, input] of fields) {
    const value = input.value
    if (param.in === 'path') url = url.replace('{' + param.name + '}', encodeURIComponent(value))
    else if (value === '') continue
    else if (param.in === 'query') query.set(param.name, value)
    else headers[param.name] = value
  }
  if (query.size > 0) url += '?' + query
  const init = { method: method.toUpperCase(), headers }
  if (body) { headers['Content-Type'] = 'application/json'; init.body = body.value }
  out.textContent = '…'
  const res = await fetch(url, init)
  const type = res.headers.get('content-type') || ''
  const text = type.includes('json') ? JSON.stringify(await res.json(), null, 2)
    : type.includes('octet') ? '(' + (await res.arrayBuffer()).byteLength + ' bytes)'
    : await res.text()
  const tags = ['etag', 'idempotent-replayed'].filter((name) => res.headers.has(name))
    .map((name) => name + ': ' + res.headers.get(name) + '\\n').join('')
  out.textContent = res.status + ' ' + res.statusText + '\\n' + tags + text
}

function operation(doc, path, method, op) {
  const fields = (op.parameters || []).filter((p) => p.in !== 'cookie').map((p) => [p,
    $('input', { placeholder: p.in + ' ' + p.name, value: p.name === 'id' ? 'iris' : '' })])
  const sample = exampleBody(doc, op)
  const body = sample === null ? null : $('textarea', { value: sample })
  const out = $('pre')
  const button = $('button', { textContent: 'Send' })
  button.onclick = () => send(method, path, fields, body, out).catch((e) => { out.textContent = e })
  const form = $('div', {}, ...fields.map(([p, i]) => $('label', {}, p.name + ' ', i)))
  if (body) form.append(body)
  form.append(button, out)
  const verb = $('span', { className: 'method', textContent: method.toUpperCase() })
  const title = ' — ' + (op.summary || '')
  const head = $('summary', {}, verb, $('code', { textContent: path }), title)
  return $('details', {}, head, form)
}

fetch('/openapi.json').then((r) => r.json()).then((doc) => {
  const list = document.getElementById('ops')
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) list.append(operation(doc, path, method, op))
})
`

/** Holds the HTML of /docs. */
export const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>edgeprop API</title><style>${STYLE}</style></head>
<body><h1>edgeprop API</h1>
<p>Every route is described in <a href="/openapi.json">/openapi.json</a>.
Model routes need a bearer token (<code>npm start</code> prints the local one).</p>
<label>Token <input id="token" size="48" autocomplete="off"></label>
<div id="ops"></div>
<script type="module">${SCRIPT}</script></body></html>`
