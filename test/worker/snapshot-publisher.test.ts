/**
 * The trainer's helpers for ordering: the serial queue runs tasks one at a
 * time in order, and the publisher coalesces writes without ever letting
 * an older state land after a newer one.
 */
import { describe, expect, it } from 'vitest'
import { SerialQueue } from '../../src/worker/serial-queue.ts'
import { SnapshotPublisher } from '../../src/worker/snapshot-publisher.ts'

const tick = () => new Promise((resolve) => setTimeout(resolve, 1))

describe('SerialQueue', () => {
  it('runs tasks one at a time, in the order queued, past failures', async () => {
    const queue = new SerialQueue()
    const log: string[] = []
    const task = (name: string, fail = false) => async () => {
      log.push(`${name} start`)
      await tick()
      log.push(`${name} end`)
      if (fail) throw new Error(name)
      return name
    }
    const results = await Promise.allSettled([
      queue.run(task('a')),
      queue.run(task('b', true)),
      queue.run(task('c')),
    ])
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end'])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
  })
})

describe('SnapshotPublisher', () => {
  it('coalesces calls made during a write into one later write of the newest state', async () => {
    let state = 0
    const written: number[] = []
    const publisher = new SnapshotPublisher(async () => {
      const snapshot = state
      await tick()
      written.push(snapshot)
    })
    state = 1
    const first = publisher.publish()
    const waiting = [2, 3, 4].map((value) => {
      state = value
      return publisher.publish()
    })
    await Promise.all([first, ...waiting])
    // 1 was in flight; 2, 3 and 4 share the next write, which carries 4
    expect(written).toEqual([1, 4])
  })

  it('retries a failed write on the next publish', async () => {
    let fail = true
    let writes = 0
    const publisher = new SnapshotPublisher(async () => {
      writes += 1
      if (fail) throw new Error('KV said 429')
    })
    await expect(publisher.publish()).rejects.toThrow('429')
    fail = false
    await publisher.publish()
    expect(writes).toBe(2)
  })
})
