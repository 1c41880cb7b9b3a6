/**
 * Models in Workers KV, one tenant at a time. Every key starts with the
 * tenant, so one tenant never reads another's models:
 *
 *   tenant/<tenant>/meta/<id>   the ModelRecord as JSON; its KV metadata is
 *                               the ModelSummary, so a list needs no reads
 *   tenant/<tenant>/blob/<id>   the binary model; KV metadata { version }
 *
 * Only a model's trainer writes here; routes read.
 */
import type { ModelRecord, ModelSummary } from './model-record.ts'
import { summarize } from './model-record.ts'
import { problem } from './problem.ts'

/** Holds one page of a tenant's models. */
export interface ModelPage {
  models: ModelSummary[]
  cursor: string | null
}

/** Reads and writes one tenant's models in KV. */
export class ModelStore {
  constructor(
    private readonly kv: KVNamespace,
    private readonly tenant: string,
  ) {}

  private key(kind: 'meta' | 'blob', id = ''): string {
    return `tenant/${this.tenant}/${kind}/${id}`
  }

  /** Reads a model's record, or null when there is none. */
  async getRecord(id: string): Promise<ModelRecord | null> {
    return this.kv.get<ModelRecord>(this.key('meta', id), 'json')
  }

  /** Reads a model's binary snapshot with the version it holds. */
  async getBlob(id: string): Promise<{ bytes: Uint8Array; version: number } | null> {
    const found = await this.kv.getWithMetadata<{ version: number }>(
      this.key('blob', id),
      'arrayBuffer',
    )
    if (found.value === null || !found.metadata) return null
    return { bytes: new Uint8Array(found.value), version: found.metadata.version }
  }

  /** Lists up to `limit` models in id order, continuing from `cursor`. */
  async list(limit: number, cursor?: string): Promise<ModelPage> {
    const prefix = this.key('meta')
    let page: KVNamespaceListResult<ModelSummary>
    try {
      page = await this.kv.list<ModelSummary>({ prefix, limit, cursor })
    } catch {
      throw problem('invalid-request', 'cursor is not one this API returned.', [
        { path: ['query', 'cursor'], message: 'pass the cursor of the previous page as is' },
      ])
    }
    const models = page.keys.map(
      (key) => key.metadata ?? { id: key.name.slice(prefix.length) } as ModelSummary,
    )
    return { models, cursor: page.list_complete ? null : page.cursor }
  }

  /** Writes a snapshot: the blob first, then the record that announces it. */
  async publish(record: ModelRecord, blob: Uint8Array): Promise<void> {
    await this.kv.put(this.key('blob', record.id), blob, {
      metadata: { version: record.version },
    })
    await this.kv.put(this.key('meta', record.id), JSON.stringify(record), {
      metadata: summarize(record),
    })
  }

  /** Deletes a model's keys, the record first so it leaves lists at once. */
  async remove(id: string): Promise<void> {
    await this.kv.delete(this.key('meta', id))
    await this.kv.delete(this.key('blob', id))
  }
}
