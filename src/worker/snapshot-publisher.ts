/**
 * Paces a trainer's snapshot writes to KV. KV takes about one write per
 * second per key, so every change only marks the state as unpublished and
 * says when the next write may start; the trainer's alarm calls `flush` at
 * that time, and one write carries every change made since the last one.
 *
 *   change  change change change         change
 *     |       |     |     |                |
 *     W-------+-----+-----+------W         W      W = a write of the newest
 *     |<-- interval -->|         |<-- interval -->|     state, never closer
 *                                                       than `interval` apart
 */

/** Spaces writes to one model's KV keys: KV allows about one per second. */
export const PUBLISH_INTERVAL_MS = 1000

/** Writes whatever state is current when it is called. */
export type WriteLatest = () => Promise<void>

/** Coalesces changes into paced writes, one write in flight at a time. */
export class SnapshotPublisher {
  /** Counts changes; `written` is the count the last finished write carried. */
  private changes = 0
  private written = -1
  private inFlight: Promise<void> | null = null
  /** Says when the alarm is set to fire, or null when none is known to be set. */
  private alarmAt: number | null = null
  /** Says when the last write started (ms since the epoch). */
  lastWriteAt = Number.NEGATIVE_INFINITY
  /** Counts the writes this instance started. */
  writes = 0

  constructor(
    private readonly writeLatest: WriteLatest,
    private readonly interval = PUBLISH_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Notes a change and returns when to set the alarm for its write, or null
   * when an alarm already set fires early enough. Keeping an earlier alarm
   * matters: moving it on each change would starve it under steady load.
   */
  changed(): number | null {
    this.changes += 1
    const due = this.dueAt()
    if (this.alarmAt !== null && this.alarmAt <= due) return null
    this.alarmAt = due
    return due
  }

  /** Returns when the alarm is set to fire, as far as this instance knows. */
  get nextAlarm(): number | null {
    return this.alarmAt
  }

  /** Notes that the alarm was set for `at`, or with null that it fired. */
  scheduled(at: number | null): void {
    this.alarmAt = at
  }

  /** Returns the earliest time the next write may start. */
  dueAt(): number {
    return Math.max(this.now(), this.lastWriteAt + this.interval)
  }

  /**
   * Writes the newest state if it is unwritten and the interval since the
   * last write has passed. Resolves true when a change is still unwritten
   * (too early, or made during the write): schedule another flush at
   * `dueAt()`. A failed write rejects and leaves the change unwritten.
   */
  async flush(): Promise<boolean> {
    while (this.inFlight) await this.inFlight.catch(() => undefined)
    if (this.written === this.changes) return false
    if (this.now() < this.lastWriteAt + this.interval) return true
    const carried = this.changes
    this.lastWriteAt = this.now()
    this.writes += 1
    this.inFlight = this.writeLatest().finally(() => {
      this.inFlight = null
    })
    await this.inFlight
    this.written = carried
    return this.written !== this.changes
  }
}
