/**
 * The trainer's helpers for ordering: the serial queue runs tasks one at a
 * time in order, and the publisher paces KV writes to one per interval,
 * coalescing every change made in between into the next write.
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

/**
 * Builds a publisher on a clock the test moves, with an alarm that behaves
 * as the trainer's: a change sets it when `changed` says so, and a flush
 * that leaves a change unwritten sets it again.
 */
function pacedPublisher(interval = 1000) {
  const clock = { now: 5000 }
  const world = {
    state: 0,
    alarm: null as number | null,
    written: [] as { state: number; at: number }[],
  }
  const publisher = new SnapshotPublisher(
    async () => {
      const snapshot = { state: world.state, at: clock.now }
      await tick()
      world.written.push(snapshot)
    },
    interval,
    () => clock.now,
  )
  /** Makes a change; returns when the alarm was set for, or null when left as it was. */
  const change = (state: number) => {
    world.state = state
    const at = publisher.changed()
    if (at !== null) world.alarm = at
    return at
  }
  const fire = async () => {
    clock.now = Math.max(clock.now, world.alarm ?? clock.now)
    world.alarm = null
    publisher.scheduled(null)
    if (!(await publisher.flush())) return
    world.alarm = publisher.dueAt()
    publisher.scheduled(world.alarm)
  }
  /** Moves the clock to `at`, firing every alarm due on the way. */
  const runUntil = async (at: number) => {
    while (world.alarm !== null && world.alarm <= at) await fire()
    clock.now = at
  }
  return { clock, world, publisher, change, runUntil }
}

describe('SnapshotPublisher', () => {
  it('writes a first change at once, then at most once per interval', async () => {
    const { world, publisher, change, runUntil } = pacedPublisher()
    expect(change(1)).toBe(5000)
    await runUntil(5100)
    // the next write is due a second after the first; later changes keep
    // that alarm rather than moving it
    expect(change(2)).toBe(6000)
    await runUntil(5200)
    expect(change(3)).toBeNull()
    await runUntil(5300)
    expect(change(4)).toBeNull()
    await runUntil(9000)
    expect(world.written).toEqual([
      { state: 1, at: 5000 },
      { state: 4, at: 6000 },
    ])
    expect(world.alarm).toBeNull()
    // nothing changed since: a stray flush writes nothing
    expect(await publisher.flush()).toBe(false)
    expect(publisher.writes).toBe(2)
  })

  it('turns 32 changes over 1.6 s into 3 writes a second apart, the last the newest', async () => {
    const { clock, world, change, runUntil } = pacedPublisher()
    for (let i = 1; i <= 32; i++) {
      await runUntil(clock.now + 50)
      change(i)
    }
    await runUntil(10_000)
    // changes at 5050, 5100, ... 6650: writes at 5050, 6050 and 7050
    expect(world.written).toEqual([
      { state: 1, at: 5050 },
      { state: 20, at: 6050 },
      { state: 32, at: 7050 },
    ])
  })

  it('writes once a second under a steady stream of changes', async () => {
    const { clock, world, change, runUntil } = pacedPublisher()
    for (let i = 1; i <= 600; i++) {
      await runUntil(clock.now + 5)
      change(i)
    }
    await runUntil(10_000)
    expect(world.written.map((w) => w.at)).toEqual([5005, 6005, 7005, 8005])
    expect(world.written.at(-1)?.state).toBe(600)
  })

  it('reports a change made during a write as still unwritten', async () => {
    const { clock, world, publisher, change } = pacedPublisher()
    change(1)
    const flushing = publisher.flush()
    change(2)
    expect(await flushing).toBe(true)
    expect(publisher.dueAt()).toBe(6000)
    clock.now = 6000
    await publisher.flush()
    expect(world.written.map((w) => w.state)).toEqual([1, 2])
  })

  it('runs one write at a time when two flushes overlap', async () => {
    const { world, publisher, change } = pacedPublisher(0)
    change(1)
    expect(await Promise.all([publisher.flush(), publisher.flush()])).toEqual([false, false])
    expect(world.written.map((w) => w.state)).toEqual([1])
  })

  it('keeps a failed write unwritten, so the next flush retries it', async () => {
    let fail = true
    let writes = 0
    let now = 0
    const publisher = new SnapshotPublisher(async () => {
      writes += 1
      if (fail) throw new Error('KV said 429')
    }, 1000, () => now)
    publisher.changed()
    await expect(publisher.flush()).rejects.toThrow('429')
    fail = false
    now = 1000
    expect(await publisher.flush()).toBe(false)
    expect(writes).toBe(2)
  })

  it('waits out the interval after a restart that restored the last write time', async () => {
    const { clock, world, publisher, change } = pacedPublisher()
    publisher.lastWriteAt = 4500
    expect(change(7)).toBe(5500)
    expect(await publisher.flush()).toBe(true)
    clock.now = 5500
    await publisher.flush()
    expect(world.written).toEqual([{ state: 7, at: 5500 }])
  })
})
