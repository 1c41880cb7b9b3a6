/**
 * Publishes a trainer's latest state to KV, one write at a time and never
 * an older state after a newer one. Calls that arrive while a write is in
 * flight are coalesced into the next write, which carries the newest state.
 *
 * TODO: issue 4 paces writes to at most one per second per key (an alarm
 * flushes the last one); the `publish` contract stays the same.
 */

/** Writes whatever state is current when a write starts. */
export type WriteLatest = () => Promise<void>

/** Serializes and coalesces snapshot writes for one model. */
export class SnapshotPublisher {
  private inFlight: Promise<void> | null = null
  private pending = false

  constructor(private readonly writeLatest: WriteLatest) {}

  /**
   * Resolves once a write that started after this call has finished, so
   * the state the caller just made is in KV (or a newer one is).
   */
  async publish(): Promise<void> {
    this.pending = true
    while (this.inFlight) await this.inFlight.catch(() => undefined)
    if (!this.pending) return
    this.pending = false
    this.inFlight = this.writeLatest()
      .catch((error: unknown) => {
        // the state is still unpublished: the next publish writes it
        this.pending = true
        throw error
      })
      .finally(() => {
        this.inFlight = null
      })
    await this.inFlight
  }
}
