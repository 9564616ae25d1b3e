import { describe, expect, it } from 'vitest';
import type { ContractFixture } from './contract-fixture.types.js';
import type { SessionStore } from '@authsvc/core';
import { testSessionId } from '@authsvc/core/fixtures';
import { useFixture } from './contract-hooks.support.js';
import { sessionHelpers } from './session-contract.support.js';
import { describeSessionRevocation } from './session-store-revocation.contract.js';

/** The session store contract: refresh-token rotation, the grace window, reuse detection, revocation. */
export function sessionStoreContract(name: string, fixture: ContractFixture<SessionStore>): void {
  describe(`${name}: session store contract`, () => {
    const store = useFixture(fixture);
    const { newSession } = sessionHelpers(store);
    const GRACE = 10_000;

    describe('rotation', () => {
      it('rotates the current counter to counter + 1 and records when it was used', async () => {
        const s = await newSession();
        const r1 = await store().redeem(s.sessionId, 0, s.at(1_000), GRACE);
        expect(r1).toEqual({
          outcome: 'rotated',
          counter: 1,
          session: { sessionId: s.sessionId, accountId: s.accountId, createdAt: s.createdAt, lastUsedAt: s.at(1_000), expiresAt: s.expiresAt },
        });
        const r2 = await store().redeem(s.sessionId, 1, s.at(2_500), GRACE);
        expect(r2).toMatchObject({ outcome: 'rotated', counter: 2, session: { lastUsedAt: s.at(2_500) } });
      });

      it('answers every rotation and grace redemption with whether the start recorded an assurance, and nothing when it did not say', async () => {
        for (const assuranceRecorded of [true, false]) {
          const s = await newSession({}, { assuranceRecorded });
          expect(await store().redeem(s.sessionId, 0, s.at(1_000), GRACE)).toMatchObject({ outcome: 'rotated', counter: 1, assuranceRecorded });
          expect(await store().redeem(s.sessionId, 0, s.at(1_500), GRACE)).toMatchObject({ outcome: 'grace', counter: 1, assuranceRecorded });
          expect(await store().redeem(s.sessionId, 1, s.at(2_000), GRACE)).toMatchObject({ outcome: 'rotated', counter: 2, assuranceRecorded });
        }
        const unsaid = await newSession();
        expect(await store().redeem(unsaid.sessionId, 0, unsaid.at(1_000), GRACE)).not.toHaveProperty('assuranceRecorded');
      });

      it('keeps rotating the same session many times', async () => {
        const s = await newSession();
        for (let counter = 0; counter < 25; counter += 1) {
          expect(await store().redeem(s.sessionId, counter, s.at(counter * 100), 0)).toMatchObject({ outcome: 'rotated', counter: counter + 1 });
        }
      });

      it('answers invalid for an unknown session', async () => {
        expect(await store().redeem(testSessionId(), 0, new Date(), GRACE)).toEqual({ outcome: 'invalid' });
      });

      it('answers invalid for a counter that was never issued, and leaves the session usable', async () => {
        const s = await newSession();
        expect(await store().redeem(s.sessionId, 1, s.at(10), GRACE)).toEqual({ outcome: 'invalid' });
        expect(await store().redeem(s.sessionId, 7, s.at(20), GRACE)).toEqual({ outcome: 'invalid' });
        expect(await store().isRevoked(s.sessionId, s.at(30))).toBe(false);
        expect(await store().redeem(s.sessionId, 0, s.at(40), GRACE)).toMatchObject({ outcome: 'rotated', counter: 1 });
      });

      it('treats a session as over at expiresAt: invalid, revoked, unlisted; one ms earlier it still rotates', async () => {
        const s = await newSession();
        expect(await store().redeem(s.sessionId, 0, new Date(s.expiresAt.getTime() - 1), GRACE)).toMatchObject({ outcome: 'rotated' });
        expect(await store().redeem(s.sessionId, 1, s.expiresAt, GRACE)).toEqual({ outcome: 'invalid' });
        expect(await store().isRevoked(s.sessionId, s.expiresAt)).toBe(true);
        expect(await store().listForAccount(s.accountId, s.expiresAt)).toEqual([]);
      });
    });

    describe('grace window and reuse', () => {
      it('returns the same successor, without rotating, for the immediate predecessor within the grace window', async () => {
        const s = await newSession();
        const rotated = await store().redeem(s.sessionId, 0, s.at(1_000), GRACE);
        const again = await store().redeem(s.sessionId, 0, s.at(1_000 + GRACE - 1), GRACE);
        expect(again).toEqual({ outcome: 'grace', counter: 1, session: rotated.outcome === 'rotated' ? rotated.session : undefined });
        expect(await store().redeem(s.sessionId, 0, s.at(1_500), GRACE)).toMatchObject({ outcome: 'grace', counter: 1 });
        expect(await store().redeem(s.sessionId, 1, s.at(2_000), GRACE)).toMatchObject({ outcome: 'rotated', counter: 2 });
      });

      it('treats the predecessor after the grace window as reuse and revokes the whole session', async () => {
        const s = await newSession();
        await store().redeem(s.sessionId, 0, s.at(1_000), GRACE);
        expect(await store().redeem(s.sessionId, 0, s.at(1_000 + GRACE + 1), GRACE)).toEqual({ outcome: 'reused', accountId: s.accountId });
        expect(await store().isRevoked(s.sessionId, s.at(1_000 + GRACE + 2))).toBe(true);
        expect(await store().redeem(s.sessionId, 1, s.at(1_000 + GRACE + 3), GRACE)).toEqual({ outcome: 'invalid' });
        expect(await store().listForAccount(s.accountId, s.at(1_000 + GRACE + 4))).toEqual([]);
      });

      it('answers the predecessor with the same successor at exactly graceMs after the rotation, and as reuse one millisecond later', async () => {
        const inside = await newSession();
        await store().redeem(inside.sessionId, 0, inside.at(1_000), GRACE);
        expect(await store().redeem(inside.sessionId, 0, inside.at(1_000 + GRACE), GRACE)).toMatchObject({ outcome: 'grace', counter: 1 });
        const outside = await newSession();
        await store().redeem(outside.sessionId, 0, outside.at(1_000), GRACE);
        expect(await store().redeem(outside.sessionId, 0, outside.at(1_000 + GRACE + 1), GRACE)).toEqual({ outcome: 'reused', accountId: outside.accountId });
      });

      it('treats the predecessor as reuse at once when the grace window is 0', async () => {
        const s = await newSession();
        await store().redeem(s.sessionId, 0, s.at(1_000), 0);
        expect(await store().redeem(s.sessionId, 0, s.at(1_000), 0)).toEqual({ outcome: 'reused', accountId: s.accountId });
        expect(await store().isRevoked(s.sessionId, s.at(1_001))).toBe(true);
      });

      it('treats a counter older than the predecessor as reuse even within the grace window', async () => {
        const s = await newSession();
        await store().redeem(s.sessionId, 0, s.at(1_000), GRACE);
        await store().redeem(s.sessionId, 1, s.at(1_100), GRACE);
        expect(await store().redeem(s.sessionId, 0, s.at(1_200), GRACE)).toEqual({ outcome: 'reused', accountId: s.accountId });
        expect(await store().redeem(s.sessionId, 2, s.at(1_300), GRACE)).toEqual({ outcome: 'invalid' });
      });

      it('counts the grace window from the latest rotation, not from session creation', async () => {
        const s = await newSession();
        await store().redeem(s.sessionId, 0, s.at(5 * 60_000), GRACE);
        expect(await store().redeem(s.sessionId, 0, s.at(5 * 60_000 + 1_000), GRACE)).toMatchObject({ outcome: 'grace', counter: 1 });
      });

      it('lets exactly one of 50 concurrent redemptions rotate; the rest get the same successor within the grace window', async () => {
        const s = await newSession();
        const results = await Promise.all(Array.from({ length: 50 }, () => store().redeem(s.sessionId, 0, s.at(1_000), 60_000)));
        expect(results.filter((r) => r.outcome === 'rotated')).toHaveLength(1);
        expect(results.filter((r) => r.outcome === 'grace')).toHaveLength(49);
        for (const r of results) expect(r).toMatchObject({ counter: 1 });
        expect(await store().isRevoked(s.sessionId, s.at(1_001))).toBe(false);
      });

      it('lets exactly one of 50 concurrent redemptions rotate; with no grace window the rest are reuse and revoke', async () => {
        const s = await newSession();
        const results = await Promise.all(Array.from({ length: 50 }, () => store().redeem(s.sessionId, 0, s.at(1_000), 0)));
        expect(results.filter((r) => r.outcome === 'rotated')).toHaveLength(1);
        const rest = results.filter((r) => r.outcome !== 'rotated');
        expect(rest).toHaveLength(49);
        for (const r of rest) expect(['reused', 'invalid']).toContain(r.outcome);
        expect(rest.filter((r) => r.outcome === 'reused').length).toBeGreaterThan(0);
        expect(await store().isRevoked(s.sessionId, s.at(1_001))).toBe(true);
      });
    });

    describeSessionRevocation(store);
  });
}
