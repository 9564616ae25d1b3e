import { describe, expect, it } from 'vitest';
import type { AuthService } from '@authsvc/core';
import { startAccountPurge } from '../../src/composition/account-purge.worker.js';
import { createLogger } from '../../src/logging/logger.factory.js';

describe('the server\'s erasure housekeeping (accounts.purgeInterval)', () => {
  it('runs the purge every interval and on demand, one pass at a time, survives a failed pass, and stops', async () => {
    let calls = 0;
    let running = 0;
    let overlapped = false;
    const service = {
      purgeDeletedAccounts: async () => {
        calls += 1;
        running += 1;
        overlapped ||= running > 1;
        await new Promise((resolve) => setTimeout(resolve, 15));
        running -= 1;
        if (calls === 1) throw new Error('database away');
        return { erased: [`id-${calls}`] };
      },
    } as unknown as AuthService;
    const worker = startAccountPurge(service, createLogger({ level: 'silent' }), 20);
    // The first pass fails; the timer goes on.
    for (let waited = 0; calls < 3 && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toBeGreaterThanOrEqual(3);
    const now = await worker.runOnce();
    expect(now).toEqual([expect.stringMatching(/^id-\d+$/)]);
    await worker.stop();
    const stopped = calls;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls).toBe(stopped);
    expect(overlapped).toBe(false);
  });
});
