import type { OutboxRelay } from '@authsvc/core';
import { SwitchableRelayStore } from '@authsvc/core/fixtures';
import { waitFor } from '@authsvc/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { startRelay } from '../../src/composition/relay.factory.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { capturingLogger } from './support/capturing-logger.support.js';

interface LogLine {
  level: string;
  msg: string;
  failures?: number;
  err?: { message: string };
}

describe('the relay log while the database is down', () => {
  let relay: OutboxRelay | undefined;
  afterEach(async () => {
    await relay?.stop();
  });

  it('logs one error for many failed polls, and one info line with the count once it is back', async () => {
    const { config } = loadConfig({ env: { AUTH_OUTBOX_POLL_INTERVAL: '10ms' } });
    const { logger, lines: written } = capturingLogger();
    const lines = (): LogLine[] => written.map((line) => JSON.parse(line) as LogLine);
    const store = new SwitchableRelayStore();
    store.down = true;
    relay = await startRelay(config, logger, store, { publish: async () => {} });

    await waitFor(() => store.failures >= 6, 10_000, 'six failed polls', 10);
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ level: 'error', err: { message: 'connect ECONNREFUSED 127.0.0.1:5432' } });
    expect(lines()[0]!.msg).toMatch(/^outbox store failed/);

    store.down = false;
    await waitFor(() => written.length === 2, 10_000, 'the recovery line', 10);
    const recovered = lines()[1]!;
    expect(recovered).toMatchObject({ level: 'info', failures: store.failures });
    expect(recovered.msg).toMatch(new RegExp(`^outbox store recovered after ${store.failures} failures / \\d+\\.\\d s$`));
  });
});
