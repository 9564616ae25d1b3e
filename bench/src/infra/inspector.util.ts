/**
 * A minimal Chrome DevTools Protocol client over the server's --inspect WebSocket, for memory diagnosis only:
 * a forced GC, then process.memoryUsage() (what is retained, heap vs native), and the sampling heap profiler
 * (allocation sites of what is still alive when it stops).
 */
export class InspectorSession {
  readonly #socket: WebSocket;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
      const waiter = message.id === undefined ? undefined : this.#pending.get(message.id);
      if (!waiter) return;
      this.#pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    });
  }

  static async connect(url: string): Promise<InspectorSession> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${url}`)), { once: true });
    });
    return new InspectorSession(socket);
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** process.memoryUsage() of the server after a full GC, in MiB. */
  async retainedMemory(): Promise<Record<string, number>> {
    await this.send('HeapProfiler.collectGarbage');
    const { result } = await this.send<{ result: { value: Record<string, number> } }>('Runtime.evaluate', { expression: 'process.memoryUsage()', returnByValue: true });
    return Object.fromEntries(Object.entries(result.value).map(([k, v]) => [k, Math.round((v / 2 ** 20) * 10) / 10]));
  }

  close(): void {
    this.#socket.close();
  }
}

/** Reads the inspector's WebSocket URL from the server log (`Debugger listening on ws://...`). */
export function inspectorUrl(log: string): string | null {
  return /Debugger listening on (ws:\/\/\S+)/.exec(log)?.[1] ?? null;
}
