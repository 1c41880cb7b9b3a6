/**
 * Runs async tasks one after another in the order they were queued, so a
 * task's awaits never let the next task see half-applied state.
 */

/** Queues tasks and runs each only after the previous one settled. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()

  /** Runs `task` after every task queued before it; resolves with its result. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task)
    this.tail = result.catch(() => undefined)
    return result
  }
}
