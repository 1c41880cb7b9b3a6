/**
 * Samples the Worker's V8 isolate inside workerd through its inspector
 * (the DevTools protocol's Profiler domain) while requests run, and says
 * which functions the samples fell in. Samples are taken by wall clock and
 * workerd does not mark its waits as idle, so a sample can land in a call
 * that is waiting (reading a body, a storage write): the shares tell where
 * a request spends its time, not its CPU time, which workerd.ts measures.
 */

/** Lists the functions with the largest shares of a profile's samples. */
export interface ProfileShares {
  /** Counts the samples taken. */
  samples: number
  /** Gives each function's share of its own samples, largest first. */
  top: { name: string; share: number }[]
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** Talks to one inspector target over a WebSocket, one request at a time. */
export class Inspector {
  #socket: WebSocket
  #next = 0
  #pending = new Map<number, (result: unknown) => void>()

  private constructor(socket: WebSocket) {
    this.#socket = socket
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown }
      const resolve = message.id === undefined ? undefined : this.#pending.get(message.id)
      if (resolve === undefined) return
      this.#pending.delete(message.id!)
      resolve(message.result)
    })
  }

  /** Connects to the target whose title names `worker` on the inspector at `port`. */
  static async connect(port: number, worker: string): Promise<Inspector> {
    const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json() as
      { title: string; webSocketDebuggerUrl: string }[]
    const target = list.find((entry) => entry.title.includes(`core:user:${worker}`))
    if (target === undefined) {
      throw new Error(`the inspector lists no worker '${worker}': ` +
        list.map((entry) => entry.title).join(', '))
    }
    const socket = new WebSocket(target.webSocketDebuggerUrl)
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve)
      socket.addEventListener('error', reject)
    })
    return new Inspector(socket)
  }

  /** Sends one protocol command and waits for its result. */
  send(method: string, params: object = {}): Promise<unknown> {
    const id = ++this.#next
    return new Promise((resolve) => {
      this.#pending.set(id, resolve)
      this.#socket.send(JSON.stringify({ id, method, params }))
    })
  }

  /** Runs `calls` calls of `work` under the sampling profiler. */
  async profile(calls: number, work: () => Promise<void>): Promise<ProfileShares> {
    await this.send('Profiler.enable')
    // 1 ms between samples keeps the profiler's own cost small
    await this.send('Profiler.setSamplingInterval', { interval: 1000 })
    await this.send('Profiler.start')
    for (let i = 0; i < calls; i++) await work()
    const { profile } = await this.send('Profiler.stop') as { profile: Profile }
    return summarize(profile)
  }

  /** Closes the connection. */
  close(): void {
    this.#socket.close()
  }
}

function summarize(profile: Profile): ProfileShares {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, index) => {
    const frame = nodes.get(id)!.callFrame
    const name = frame.functionName || '(anonymous)'
    if (name === '(idle)') return
    const micros = profile.timeDeltas[index] ?? 0
    total += micros
    const key = frame.url ? `${name} (${frame.url.split('/').pop()}:${frame.lineNumber})` : name
    self.set(key, (self.get(key) ?? 0) + micros)
  })
  const top = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([name, micros]) => ({ name, share: micros / total }))
  return { samples: profile.samples.length, top }
}
