/**
 * An uploaded model file's spec is held to MAX_SPEC_BYTES as a created
 * one is: the trainer keeps the spec in one stored record, which Durable
 * Objects cap at 2 MiB, so a file of many long labels was stored halfway.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { Network } from '../../src/core/index.ts'
import { ensureCore } from '../../src/worker/core-loader.ts'
import { allKeys, expectProblem, trainerState, withVars } from './helpers.ts'

let file: Uint8Array<ArrayBuffer>
let specBytes: number

beforeAll(async () => {
  await ensureCore()
  // 600 labels of 40 characters: about 25 kB of spec, over the 16,384 default
  const labels = Array.from({ length: 600 }, (_, i) => `class-${String(i).padStart(34, '0')}`)
  const net = await Network.create({
    kind: 'perceptron', inputs: 2, outputs: 600, activation: 'heaviside',
    learningRate: 1, seed: 4, labels,
  })
  file = net.toBytes() as Uint8Array<ArrayBuffer>
  specBytes = new TextEncoder().encode(JSON.stringify(net.spec)).byteLength
})

function upload(id: string, vars: Record<string, string> = {}) {
  const headers = { 'Content-Type': 'application/octet-stream' }
  return withVars(vars, `/v1/models/${id}/weights`, { method: 'PUT', body: file, headers })
}

describe('PUT /v1/models/:id/weights and MAX_SPEC_BYTES', () => {
  it('refuses a file whose spec is over the limit with 413, storing nothing', async () => {
    expect(specBytes).toBeGreaterThan(16_384)
    const keys = await allKeys()
    const problem = await expectProblem(await upload('many-labels'), 413, [
      ['body', 'header', 'spec'],
    ])
    expect(problem.detail).toBe(
      `The spec is ${specBytes} bytes of JSON, over MAX_SPEC_BYTES = 16384; ` +
        'shorten it (labels are usually the long part).',
    )
    expect(await allKeys()).toEqual(keys)
    expect((await trainerState('many-labels')).keys).toEqual([])
  })

  it('takes the same file when the limit is exactly its spec size', async () => {
    const response = await upload('many-labels-ok', { MAX_SPEC_BYTES: String(specBytes) })
    expect(response.status).toBe(201)
    const over = await upload('many-labels-ok', { MAX_SPEC_BYTES: String(specBytes - 1) })
    await expectProblem(over, 413, [['body', 'header', 'spec']])
  })
})
