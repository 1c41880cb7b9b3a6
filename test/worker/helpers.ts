/**
 * Helpers for the API tests in workerd: requests through the Worker's own
 * fetch handler, problem assertions, and reads of what KV holds.
 */
import {
  createExecutionContext,
  runInDurableObject,
  waitOnExecutionContext,
} from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import { expect } from 'vitest'
import worker from '../../src/worker/index.ts'
import type { Env } from '../../src/worker/env.ts'
import type { ModelTrainer } from '../../src/worker/model-trainer.ts'
import { trainerFor } from '../../src/worker/trainer-client.ts'
import { readTrainer } from '../../src/worker/trainer-storage.ts'
import { ACME_TOKEN } from './tokens.ts'

/** Exposes the worker's bindings, typed. */
export const testEnv = env as unknown as Env

/** Sends a request to the Worker, with acme's token unless `token` is null. */
export function api(path: string, init: RequestInit = {}, token: string | null = ACME_TOKEN) {
  const headers = new Headers(init.headers)
  if (token !== null && !headers.has('Authorization')) {
    headers.set('Authorization', `Bearer ${token}`)
  }
  const request = new Request(`http://edgeprop.test${path}`, { ...init, headers })
  return exports.default.fetch(request)
}

/** Sends JSON with a method, as acme unless another token is given. */
export function send(
  method: string,
  path: string,
  body: unknown,
  token: string | null = ACME_TOKEN,
  headers: Record<string, string> = {},
) {
  const init = {
    method,
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...headers },
  }
  return api(path, init, token)
}

/** Sends a request through the app with some vars replaced (limits, tokens). */
export async function withVars(vars: Partial<Env>, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers)
  if (!headers.has('Authorization')) headers.set('Authorization', `Bearer ${ACME_TOKEN}`)
  const request = new Request(`http://edgeprop.test${path}`, { ...init, headers })
  const ctx = createExecutionContext()
  const response = await worker.fetch(request, { ...testEnv, ...vars }, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

/** Holds the problem body fields a test checks. */
export interface ProblemJson {
  type: string
  title: string
  status: number
  detail: string
  errors: { path: (string | number)[]; message: string }[]
}

/** Asserts a problem+json response with `status` and exactly these error paths. */
export async function expectProblem(
  response: Response,
  status: number,
  paths?: (string | number)[][],
): Promise<ProblemJson> {
  expect(response.headers.get('Content-Type')).toBe('application/problem+json')
  const body = (await response.json()) as ProblemJson
  expect(response.status).toBe(status)
  expect(body.status).toBe(status)
  expect(body.type).toMatch(/^urn:edgeprop:problem:/)
  expect(body.title.length).toBeGreaterThan(0)
  expect(body.detail.length).toBeGreaterThan(0)
  if (paths) expect(body.errors.map((e) => e.path)).toEqual(paths)
  for (const error of body.errors) expect(error.message.length).toBeGreaterThan(0)
  return body
}

/** Reads a trainer's storage: every key, and the model it holds (or null). */
export async function trainerCopy(id: string, tenant = 'acme') {
  const stub = trainerFor(testEnv, tenant, id)
  return runInDurableObject(stub, async (trainer: ModelTrainer, state) => {
    const keys = [...(await state.storage.list()).keys()]
    const { model, tombstone } = await readTrainer(state.storage)
    const alarm = await state.storage.getAlarm()
    return { keys, model, tombstone, alarm, writes: trainer.publisher.writes }
  })
}

/**
 * Reads what a change may alter in a trainer (its model, history and keys),
 * leaving out the publishing bookkeeping that moves on its own.
 */
export async function trainerState(id: string, tenant = 'acme') {
  const { keys, model, tombstone } = await trainerCopy(id, tenant)
  return { keys: keys.filter((key) => key !== 'published'), model, tombstone }
}

/**
 * Waits (at most `timeoutMs`) until the trainer has no publish pending and
 * KV holds exactly its state; returns both. Publishing is paced, so this
 * takes up to about a second after a change.
 */
export async function published(id: string, tenant = 'acme', timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const trainer = await trainerCopy(id, tenant)
    const kv = await storedModel(id, tenant)
    const same = trainer.model
      ? kv.meta !== null && JSON.parse(kv.meta).version === trainer.model.record.version
      : kv.meta === null && kv.blob === null
    if (same && trainer.alarm === null) return { trainer, kv }
    if (Date.now() > deadline) {
      throw new Error(`KV did not catch up with trainer ${tenant}/${id} in ${timeoutMs} ms`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Reads what KV holds for a model: the record text and the blob bytes. */
export async function storedModel(id: string, tenant = 'acme') {
  const meta = await testEnv.MODELS.get(`tenant/${tenant}/meta/${id}`)
  const blob = await testEnv.MODELS.get(`tenant/${tenant}/blob/${id}`, 'arrayBuffer')
  return { meta, blob: blob === null ? null : [...new Uint8Array(blob)] }
}

/** Lists every KV key, to show a refused create stored nothing. */
export async function allKeys(): Promise<string[]> {
  const page = await testEnv.MODELS.list()
  return page.keys.map((key) => key.name)
}

/** Builds a small iris classifier spec with class names. */
export function irisSpec(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'mlp',
    inputs: 4,
    layers: [
      { units: 8, activation: 'relu' },
      { units: 3, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    optimizer: { name: 'adam', learningRate: 0.05 },
    labels: ['setosa', 'versicolor', 'virginica'],
    inputScaling: 'standardize',
    seed: 7,
    ...overrides,
  }
}

/** Holds six iris rows, two of each class. */
export const IRIS_X = [
  [5.1, 3.5, 1.4, 0.2],
  [4.9, 3.0, 1.4, 0.2],
  [7.0, 3.2, 4.7, 1.4],
  [6.4, 3.2, 4.5, 1.5],
  [6.3, 3.3, 6.0, 2.5],
  [5.8, 2.7, 5.1, 1.9],
]
/** Holds the labels of IRIS_X. */
export const IRIS_Y = ['setosa', 'setosa', 'versicolor', 'versicolor', 'virginica', 'virginica']

/** Creates model `id` (as acme unless another token is given); returns the body. */
export async function createModel(id: string, spec: unknown = irisSpec(), token = ACME_TOKEN) {
  const response = await send('POST', '/v1/models', { id, spec }, token)
  expect(response.status).toBe(201)
  return (await response.json()) as { id: string; version: number; parameterCount: number }
}
