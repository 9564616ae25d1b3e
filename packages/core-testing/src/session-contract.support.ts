import type { SessionRecord, SessionStart, SessionStore } from '@authsvc/core';
import { testSessionId, testUuidV7 } from '@authsvc/core/fixtures';

const HOUR = 3_600_000;

/** Session-store suites share these: fresh ids, and times near the real clock so TTL-based stores keep the keys. */
export function sessionHelpers(store: () => SessionStore) {
  const newSession = async (overrides: Partial<Pick<SessionRecord, 'accountId' | 'createdAt' | 'expiresAt'>> = {}, start: Pick<SessionStart, 'assuranceRecorded'> = {}) => {
    const createdAt = overrides.createdAt ?? new Date(Math.floor(Date.now() / 1000) * 1000);
    const record = {
      sessionId: testSessionId(),
      accountId: overrides.accountId ?? testUuidV7(),
      createdAt,
      expiresAt: overrides.expiresAt ?? new Date(createdAt.getTime() + HOUR),
    };
    await store().create({ ...record, ...start });
    return { ...record, at: (ms: number) => new Date(createdAt.getTime() + ms) };
  };
  return { newSession };
}
