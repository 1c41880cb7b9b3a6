/**
 * The Durable Object that owns one model (one per tenant and model id). It
 * applies creates, training batches, uploads, rollbacks and deletes one at
 * a time in arrival order, keeps the authoritative state and the last
 * KEEP_VERSIONS versions in its own storage, answers strong reads, and
 * publishes the newest state to KV through its alarm, paced to KV's write
 * limit.
 */
import { DurableObject } from 'cloudflare:workers'
import type { Network, Prediction } from '../core/index.ts'
import type { Env } from './env.ts'
import { fingerprint, findEarlier, pruneExpired, rememberAnswer } from './idempotency.ts'
import { assertPredictFits } from './limit-checks.ts'
import { readLimits } from './limits.ts'
import {
  type Applied,
  type CreateRequest,
  type ModelAddress,
  type ModelRecord,
  type Outcome,
  type PredictRequest,
  type Preconditions,
  type RemoveRequest,
  type ReplaceRequest,
  type RollbackRequest,
  type TrainRequest,
  type TrainResult,
  type VersionChange,
  type VersionList,
  describeNetwork,
  missingModel,
} from './model-record.ts'
import { problem } from './problem.ts'
import { SerialQueue } from './serial-queue.ts'
import { PUBLISH_INTERVAL_MS, SnapshotPublisher } from './snapshot-publisher.ts'
import { stampVersion } from './model-file.ts'
import { ModelStore } from './model-store.ts'
import {
  type StoredModel,
  clearTombstone,
  readTrainer,
  readVersionBlob,
  recordPublish,
  writeTombstone,
  writeVersion,
} from './trainer-storage.ts'
import { assertIfMatch, decode, logPublishFailure, settle, sleep } from './trainer-support.ts'
import { applyBatch, trainPayload } from './training.ts'
import { findKept, keepVersion, versionInfo } from './version-history.ts'

/** Holds the current model in memory; `net` is decoded on first use. */
export interface LiveModel extends StoredModel {
  net?: Promise<Network>
}

/** Reports an upload: the new record, and whether it created the model. */
export interface Replaced {
  record: ModelRecord
  created: boolean
}

/** Answers a strong predict: the version it used, and the outputs. */
export type StrongPrediction = Prediction & { id: string; version: number }

/** Describes a change ready to commit, and what to answer for it. */
interface Step<T> {
  value: T
  next: LiveModel
  change: VersionChange
  from?: number
}

/** Owns one model: every change to it goes through here, one at a time. */
export class ModelTrainer extends DurableObject<Env> {
  private live: LiveModel | null = null
  private tombstone: ModelAddress | null = null
  private failures = 0
  private readonly queue = new SerialQueue()
  /** Paces this model's KV writes; tests read its counts through runInDurableObject. */
  readonly publisher = new SnapshotPublisher(() => this.writeLatest())

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    void ctx.blockConcurrencyWhile(async () => {
      const state = await readTrainer(ctx.storage)
      this.live = state.model
      this.tombstone = state.tombstone
      this.publisher.lastWriteAt = state.publishedAt
    })
  }

  /** Stores a new model from its bytes; a conflict when one exists already. */
  async create(request: CreateRequest): Promise<Outcome<ModelRecord>> {
    return settle(() => this.queue.run(async () => {
      const net = await decode(request.blob)
      if (this.live) {
        throw problem('conflict', `A model with id "${request.id}" exists already; ` +
          'choose another id, or DELETE it first.', [
          { path: ['id'], message: `"${request.id}" is taken` },
        ])
      }
      const record = describeNetwork(net, request.id, 0, new Date().toISOString())
      const { tenant, blob } = request
      await this.commit({ tenant, record, blob, kept: [], net: Promise.resolve(net) }, 'create')
      return record
    }))
  }

  /** Applies one training batch and moves the version on by one. */
  async train(request: TrainRequest): Promise<Outcome<Applied<TrainResult>>> {
    const payload = trainPayload(request)
    return this.once('train', request, payload, async (): Promise<Step<TrainResult>> => {
      const live = this.existing(request)
      const net = await this.network(live)
      const { result, record, blob } = applyBatch(net, live.record, request)
      return { value: result, next: { ...live, record, blob }, change: 'train' }
    })
  }

  /** Makes a kept version current again, as a new version. */
  async rollback(request: RollbackRequest): Promise<Outcome<Applied<ModelRecord>>> {
    const payload = { version: request.version }
    return this.once('rollback', request, payload, async (): Promise<Step<ModelRecord>> => {
      const live = this.existing(request)
      const { id, version, createdAt } = live.record
      const info = findKept(live.kept, request.version, readLimits(this.env).keepVersions, id)
      const kept = await readVersionBlob(this.ctx.storage, info)
      const blob = stampVersion(kept, version + 1)
      const net = await decode(blob)
      const record = describeNetwork(net, id, version + 1, createdAt)
      const next = { ...live, record, blob, net: Promise.resolve(net) }
      return { value: record, next, change: 'rollback', from: info.version }
    })
  }

  /** Replaces (or creates) the model from a file, stamped with the next version. */
  async replace(request: ReplaceRequest): Promise<Outcome<Replaced>> {
    return settle(() => this.queue.run(async () => {
      const previous = this.live
      assertIfMatch(request.ifMatch, previous ? previous.record.version : null, true)
      const version = previous ? previous.record.version + 1 : 0
      const blob = stampVersion(request.blob, version)
      const net = await decode(blob)
      const now = new Date().toISOString()
      const createdAt = previous?.record.createdAt ?? now
      const record = describeNetwork(net, request.id, version, createdAt, now)
      const kept = previous?.kept ?? []
      const { tenant } = request
      await this.commit({ tenant, record, blob, kept, net: Promise.resolve(net) }, 'upload')
      return { record, created: !previous }
    }))
  }

  /**
   * Deletes the model here, then from KV: at once when the last KV write is
   * a second old, else after waiting out the pacing (the alarm retries).
   */
  async remove(request: RemoveRequest): Promise<Outcome<null>> {
    const outcome = await settle(() => this.queue.run(async () => {
      const live = this.existing(request)
      const tombstone = { tenant: live.tenant, id: live.record.id }
      const alarmAt = this.publisher.changed() ?? this.publisher.nextAlarm ?? Date.now()
      await writeTombstone(this.ctx.storage, tombstone, alarmAt)
      this.live = null
      this.tombstone = tombstone
      return null
    }))
    if (outcome.ok) {
      await sleep(this.publisher.dueAt() - Date.now())
      await this.publish().catch(logPublishFailure)
    }
    return outcome
  }

  /** Answers the current record (a strong read). */
  async read(address: ModelAddress): Promise<Outcome<ModelRecord>> {
    return settle(() => this.existing(address).record)
  }

  /** Answers the current model file and its version (a strong read). */
  async weights(address: ModelAddress): Promise<Outcome<{ blob: Uint8Array; version: number }>> {
    return settle(() => {
      const live = this.existing(address)
      return { blob: live.blob, version: live.record.version }
    })
  }

  /** Lists the kept versions, newest first. */
  async versions(address: ModelAddress): Promise<Outcome<VersionList>> {
    return settle(() => {
      const live = this.existing(address)
      const keep = readLimits(this.env).keepVersions
      const versions = [...live.kept].reverse()
      return { id: live.record.id, version: live.record.version, keep, versions }
    })
  }

  /** Predicts with the current state (a strong read). */
  async predict(request: PredictRequest): Promise<Outcome<StrongPrediction>> {
    return settle(async () => {
      // a change may land while the network decodes: then use the newer one
      for (;;) {
        const live = this.existing(request)
        const net = await this.network(live)
        if (this.live !== live) continue
        assertPredictFits(net.spec, request.x, request.limits)
        return { id: live.record.id, version: live.record.version, ...net.predict(request.x) }
      }
    })
  }

  /** Publishes the newest state to KV; on failure, tries again later. */
  async alarm(): Promise<void> {
    this.publisher.scheduled(null)
    try {
      await this.publish()
      this.failures = 0
      await pruneExpired(this.ctx.storage)
    } catch (error) {
      logPublishFailure(error)
      this.failures += 1
      const wait = Math.min(60_000, PUBLISH_INTERVAL_MS * 2 ** this.failures)
      await this.schedule(Date.now() + wait)
    }
  }

  private async publish(): Promise<void> {
    const pending = await this.publisher.flush()
    if (pending) await this.schedule(this.publisher.dueAt())
  }

  private async schedule(at: number): Promise<void> {
    this.publisher.scheduled(at)
    await this.ctx.storage.setAlarm(at)
  }

  /**
   * Runs a change in the queue, once per Idempotency-Key: a retry gets the
   * first answer, and the answer is stored in the same batch as the change.
   */
  private async once<T>(
    operation: string,
    request: TrainRequest | RollbackRequest,
    payload: unknown,
    work: () => Promise<Step<T>>,
  ): Promise<Outcome<Applied<T>>> {
    const key = request.idempotencyKey
    return settle(() => this.queue.run(async () => {
      const print = key === undefined ? '' : await fingerprint(operation, payload)
      if (key !== undefined) {
        const earlier = await findEarlier<T>(this.ctx.storage, key, operation, print)
        if (earlier !== undefined) return { value: earlier, replayed: true }
      }
      const step = await work()
      const extra = key === undefined ? {} : rememberAnswer(key, operation, print, step.value)
      await this.commit(step.next, step.change, extra, step.from)
      return { value: step.value, replayed: false }
    }))
  }

  /** Writes the newest state to KV, or removes a deleted model's keys there. */
  private async writeLatest(): Promise<void> {
    const { live, tombstone } = this
    if (live) {
      const startedAt = this.publisher.lastWriteAt
      await new ModelStore(this.env.MODELS, live.tenant).publish(live.record, live.blob)
      await recordPublish(this.ctx.storage, startedAt)
    } else if (tombstone) {
      await new ModelStore(this.env.MODELS, tombstone.tenant).remove(tombstone.id)
      if (this.live || this.tombstone !== tombstone) return
      this.tombstone = null
      this.publisher.scheduled(null)
      await clearTombstone(this.ctx.storage)
    }
  }

  /** Returns the current model, checking If-Match: 404 without one, 412 on a mismatch. */
  private existing(address: ModelAddress & Preconditions): LiveModel {
    assertIfMatch(address.ifMatch, this.live ? this.live.record.version : null)
    if (!this.live) throw missingModel(address.id)
    return this.live
  }

  private network(live: LiveModel): Promise<Network> {
    live.net ??= decode(live.blob)
    return live.net
  }

  /** Makes `next` current, adds it to the history and schedules its publish. */
  private async commit(
    next: LiveModel,
    change: VersionChange,
    extra: Record<string, unknown> = {},
    from?: number,
  ): Promise<void> {
    const keep = readLimits(this.env).keepVersions
    const info = versionInfo(next.record, change, next.blob.byteLength, from)
    const { kept, dropped } = keepVersion(next.kept, info, keep)
    const live = { ...next, kept }
    const alarmAt = this.publisher.changed()
    // stored first: a write that fails leaves the model as it was here too
    await writeVersion(this.ctx.storage, { model: live, dropped, extra, alarmAt })
    this.live = live
    this.tombstone = null
  }
}
