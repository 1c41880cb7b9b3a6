/**
 * The Durable Object that owns one model (one per tenant and model id). It
 * applies creates, training batches, uploads and deletes strictly in the
 * order they arrive, keeps the authoritative state in its own storage, and
 * publishes snapshots to KV for the routes that read.
 */
import { DurableObject } from 'cloudflare:workers'
import { Network } from '../core/index.ts'
import { ensureCore } from './core-loader.ts'
import type { Env } from './env.ts'
import { fromEdgepropError, isEdgepropError } from './error-mapping.ts'
import {
  type CreateRequest,
  type ModelAddress,
  type ModelRecord,
  type Outcome,
  type RemoveRequest,
  type ReplaceRequest,
  type TrainRequest,
  type TrainResult,
  describeNetwork,
  missingModel,
  succeed,
} from './model-record.ts'
import { ModelStore } from './model-store.ts'
import { ApiProblem, problem } from './problem.ts'
import { SerialQueue } from './serial-queue.ts'
import { SnapshotPublisher } from './snapshot-publisher.ts'
import { chunkCount, clearModel, readModel, writeModel } from './trainer-storage.ts'
import { applyBatch } from './training.ts'
import { checkIfMatch } from './versions.ts'

/** Holds the model in memory: its record, its bytes and, once used, its network. */
export interface LiveModel {
  tenant: string
  record: ModelRecord
  blob: Uint8Array
  chunks: number
  net?: Network
}

/** Reports an upload: the new record, and whether it created the model. */
export interface Replaced {
  record: ModelRecord
  created: boolean
}

/** Owns one model: every change to it goes through here, one at a time. */
export class ModelTrainer extends DurableObject<Env> {
  /** undefined until read from storage; null when there is no model. */
  private live: LiveModel | null | undefined
  private address: ModelAddress | undefined
  private readonly queue = new SerialQueue()
  private readonly publisher = new SnapshotPublisher(() => this.writeLatest())

  /** Stores a new model from its bytes; a conflict when one exists already. */
  async create(request: CreateRequest): Promise<Outcome<ModelRecord>> {
    return this.change(request, async () => {
      const net = await decode(request.blob)
      await this.ready()
      if (this.live) {
        throw problem('conflict', `A model with id "${request.id}" exists already; ` +
          'choose another id, or DELETE it first.', [
          { path: ['id'], message: `"${request.id}" is taken` },
        ])
      }
      const record = describeNetwork(net, request.id, 0, new Date().toISOString())
      await this.commit({ tenant: request.tenant, record, blob: request.blob, net, chunks: 0 })
      return record
    })
  }

  /** Applies one training batch and moves the version on by one. */
  async train(request: TrainRequest): Promise<Outcome<TrainResult>> {
    return this.change(request, async () => {
      const live = await this.existing(request)
      assertIfMatch(request.ifMatch, live.record.version)
      live.net ??= await decode(live.blob)
      const { result, record, blob } = applyBatch(live.net, live.record, request)
      await this.commit({ ...live, record, blob })
      return result
    })
  }

  /** Replaces the model with uploaded bytes, or creates it; says which. */
  async replace(request: ReplaceRequest): Promise<Outcome<Replaced>> {
    return this.change(request, async () => {
      const net = await decode(request.blob)
      await this.ready()
      const previous = this.live
      if (previous) assertIfMatch(request.ifMatch, previous.record.version)
      else if (request.ifMatch !== undefined) throw missingModel(request.id)
      const now = new Date().toISOString()
      const version = previous ? previous.record.version + 1 : 0
      const createdAt = previous?.record.createdAt ?? now
      const record = describeNetwork(net, request.id, version, createdAt, now)
      const blob = request.blob
      await this.commit({ tenant: request.tenant, record, blob, net, chunks: 0 })
      return { record, created: !previous }
    })
  }

  /** Deletes the model here and, through the publisher, from KV. */
  async remove(request: RemoveRequest): Promise<Outcome<null>> {
    return this.change(request, async () => {
      const live = await this.existing(request)
      assertIfMatch(request.ifMatch, live.record.version)
      await clearModel(this.ctx.storage)
      this.live = null
      return null
    })
  }

  /** Runs a change in arrival order, then publishes the state it left. */
  private async change<T>(address: ModelAddress, work: () => Promise<T>): Promise<Outcome<T>> {
    this.address = { tenant: address.tenant, id: address.id }
    try {
      const value = await this.queue.run(work)
      await this.publisher.publish().catch(logPublishFailure)
      return succeed(value)
    } catch (error) {
      if (error instanceof ApiProblem) return { ok: false, problem: error.body }
      if (isEdgepropError(error)) return { ok: false, problem: fromEdgepropError(error).body }
      throw error
    }
  }

  private async ready(): Promise<void> {
    if (this.live !== undefined) return
    const stored = await readModel(this.ctx.storage)
    this.live = stored ? { ...stored, chunks: chunkCount(stored.blob.byteLength) } : null
  }

  private async existing(address: ModelAddress): Promise<LiveModel> {
    await this.ready()
    if (!this.live) throw missingModel(address.id)
    return this.live
  }

  private async commit(next: LiveModel): Promise<void> {
    const previousChunks = this.live?.chunks ?? 0
    this.live = { ...next, chunks: chunkCount(next.blob.byteLength) }
    await writeModel(this.ctx.storage, this.live, previousChunks)
  }

  /** Writes the current state to KV, or removes it there when deleted. */
  private async writeLatest(): Promise<void> {
    if (!this.address || this.live === undefined) return
    const store = new ModelStore(this.env.MODELS, this.address.tenant)
    if (this.live) await store.publish(this.live.record, this.live.blob)
    else await store.remove(this.address.id)
  }
}

/**
 * Logs a failed KV write. The change itself is stored here, so the call
 * still succeeds; the next change publishes the newest state.
 */
function logPublishFailure(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  console.error(JSON.stringify({ level: 'error', event: 'publish-failed', error: message }))
}

async function decode(blob: Uint8Array): Promise<Network> {
  await ensureCore()
  return Network.fromBytes(blob)
}

function assertIfMatch(header: string | undefined, version: number): void {
  const failed = checkIfMatch(header, version)
  if (failed) throw new ApiProblem(failed)
}
