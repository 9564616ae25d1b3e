import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDir } from '@authsvc/test-support';
import { startServerProcess } from '@authsvc/test-support/server';
import { baseEnvironment } from '../e2e/support/server-environment.support.js';

describe('a stop signal delivered twice', () => {
  const dataDir = temporaryDir('authsvc-e2e-');
  afterAll(() => dataDir.remove());

  // Ctrl-C under `pnpm start` reaches node from the terminal and again from pnpm, milliseconds apart: that is one
  // request to stop, and must still drain gracefully rather than take the "second signal: exit now" path.
  it('a repeat within the duplicate window still shuts down gracefully and exits 0', async () => {
    const server = await startServerProcess({ env: baseEnvironment(dataDir.path), startTimeoutMs: 240_000 });
    const first = server.stop('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = server.stop('SIGINT');
    expect(await first).toBe(0);
    expect(await second).toBe(0);
    const messages = server.logLines().map((line) => String(line['msg']));
    expect(messages).not.toContain('second stop request: exiting without waiting');
    expect(messages.at(-1)).toBe('stopped');
  }, 300_000);
});
