import pg from 'pg';

type Listener = (payload: string) => void;

/**
 * LISTEN needs a connection of its own that stays open (a pooled one would be handed to other queries).
 * Opened on the first subscription; if it drops it is reopened after a pause while anyone still listens.
 * Notifications sent while it was down are lost, which is fine for a wake-up hint: relays also poll.
 */
export class PgNotificationListener {
  readonly #config: pg.ClientConfig;
  readonly #listeners = new Map<string, Set<Listener>>();
  #client: Promise<pg.Client> | undefined;
  #closed = false;
  #reconnectTimer: NodeJS.Timeout | undefined;

  constructor(config: pg.ClientConfig) {
    this.#config = { ...config, statement_timeout: 0 };
  }

  async listen(channel: string, listener: Listener): Promise<() => Promise<void>> {
    if (this.#closed) throw new Error('database handle is closed');
    const client = await this.#connect();
    let set = this.#listeners.get(channel);
    if (!set) {
      set = new Set();
      this.#listeners.set(channel, set);
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    }
    set.add(listener);
    return async () => {
      set.delete(listener);
      if (set.size > 0 || this.#listeners.get(channel) !== set) return;
      this.#listeners.delete(channel);
      await client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    const client = this.#client;
    this.#client = undefined;
    this.#listeners.clear();
    if (client) await client.then((c) => c.end()).catch(() => {});
  }

  #connect(): Promise<pg.Client> {
    this.#client ??= this.#open().catch((error: unknown) => {
      this.#client = undefined;
      throw error;
    });
    return this.#client;
  }

  async #open(): Promise<pg.Client> {
    const client = new pg.Client(this.#config);
    client.on('notification', (message) => {
      for (const listener of this.#listeners.get(message.channel) ?? []) listener(message.payload ?? '');
    });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    await client.connect();
    for (const channel of this.#listeners.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    return client;
  }

  #lost(client: pg.Client): void {
    void client.end().catch(() => {});
    this.#client = undefined;
    if (this.#closed || this.#listeners.size === 0 || this.#reconnectTimer) return;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (!this.#closed && this.#listeners.size > 0) this.#connect().catch(() => this.#lost(client));
    }, 1_000);
    this.#reconnectTimer.unref();
  }
}
