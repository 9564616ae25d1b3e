import { Writable } from 'node:stream';
import type { OutboxRelay, OutboxRelayStore } from '@authsvc/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startRelay } from '../../src/composition/relay.factory.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logging/create-logger.js';

interface LogLine {
  level: string;
  msg: string;
  failures?: number;
  err?: { message: string };
}

function capturingLogger() {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).trim().split('\n')) lines.push(JSON.parse(line) as LogLine);
      callback();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The outbox as the relay sees it, with a database that can be switched off. */
class SwitchableStore implements OutboxRelayStore {
  down = true;
  failed = 0;
  async processBatch(): Promise<number> {
    if (!this.down) return 0;
    this.failed += 1;
    throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  }
  async stats() {
    return { backlog: 0, oldestPendingAgeMs: null, failing: 0 };
  }
  async prunePublished(): Promise<number> {
    return 0;
  }
  async onAppended(): Promise<() => Promise<void>> {
    return async () => {};
  }
}

describe('the relay log while the database is down', () => {
  let relay: OutboxRelay | undefined;
  afterEach(async () => {
    await relay?.stop();
  });

  it('logs one error for many failed polls, and one info line with the count once it is back', async () => {
    const { config } = loadConfig({ env: { AUTH_OUTBOX_POLL_INTERVAL: '10ms' } });
    const { logger, lines } = capturingLogger();
    const store = new SwitchableStore();
    relay = await startRelay(config, logger, store, { publish: async () => {} });

    await waitFor(() => store.failed >= 6);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', err: { message: 'connect ECONNREFUSED 127.0.0.1:5432' } });
    expect(lines[0]!.msg).toMatch(/^outbox store failed/);

    store.down = false;
    await waitFor(() => lines.length === 2);
    const recovered = lines[1]!;
    expect(recovered).toMatchObject({ level: 'info', failures: store.failed });
    expect(recovered.msg).toMatch(new RegExp(`^outbox store recovered after ${store.failed} failures / \\d+\\.\\d s$`));
  });
});
