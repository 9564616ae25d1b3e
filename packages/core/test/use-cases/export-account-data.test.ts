import { beforeEach, describe, expect, it } from 'vitest';
import { signedIn } from '@authsvc/core/fixtures';
import { InMemoryRateLimiter } from '../../src/memory/in-memory-rate-limiter.adapter.js';
import { AttemptLimiter } from '../../src/use-cases/attempt-limiter.service.js';
import { EXPORTED_SECURITY_EVENTS, ExportAccountData } from '../../src/use-cases/export-account-data.use-case.js';
import type { SecurityEvent } from '../../src/domain/security-event.model.js';
import type { SecurityEventQuery } from '../../src/ports/security-event-store.port.js';
import { DEFAULT_ATTEMPT_LIMITS } from '../../src/validation/attempt-limits.rules.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, PASSWORD, sharedHasher } from './support/service-harness.support.js';

const hasher = sharedHasher();

describe('ExportAccountData', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher, limits: { dataExports: { max: 2, windowMs: 60_000 } } });
  });

  it('gives the account itself its profile and every live session, never the password hash', async () => {
    const me = await h.signedInUser();
    const phone = await h.signIn(me.profile, PASSWORD);
    const data = await h.service.exportAccountData(me.caller, { id: me.profile.id });
    expect(data).toMatchObject({
      format: 'authsvc.account-export/1',
      account: { id: me.profile.id, kind: 'user', username: me.profile.username, email: me.profile.email, disabled: null },
    });
    expect(data.sessions.map((s) => s.session_id).sort()).toEqual([me.caller!.sessionId, phone.caller!.sessionId].sort());
    const text = JSON.stringify(data);
    expect(text).not.toContain('$2');
    expect(text).not.toContain(PASSWORD);
  });

  it('includes each session\'s device, the second factors by kind, and the audit trail, with no secret of any of them', async () => {
    const me = await h.signedInUser();
    const phone = await signedIn(h.service.login({ login: me.profile.username, password: PASSWORD, deviceName: 'Phone' }));
    const { secret, recoveryCodes } = await h.enrolTotp(me.caller, me.profile.id);
    await h.service.flushSecurityEvents();
    const data = await h.service.exportAccountData(me.caller, { id: me.profile.id });
    expect(data.sessions.find((s) => s.session_id !== me.caller!.sessionId)).toMatchObject({ device_name: 'Phone' });
    expect(phone.tokens.refreshToken).not.toBe('');
    expect(data.second_factors).toEqual({ enrolled: ['totp', 'recovery_code'], recovery_codes_left: 10 });
    expect(data.account).toMatchObject({ email_verified: false });
    const types = data.security_events.map((e) => e['type']);
    expect(types.filter((t) => t === 'auth.login.succeeded')).toHaveLength(2);
    expect(data.security_events_truncated).toBe(false);
    // Newest first, as ListSecurityEvents reads them.
    const times = data.security_events.map((e) => String(e['occurred_at']));
    expect([...times].sort().reverse()).toEqual(times);
    const text = JSON.stringify(data);
    for (const secretText of [secret, ...recoveryCodes, phone.tokens.refreshToken, phone.tokens.accessToken]) expect(text).not.toContain(secretText);
  });

  it('stops at the newest EXPORTED_SECURITY_EVENTS events, paging the audit store, and says the trail was cut', async () => {
    const accountId = '0190f0e0-0000-7000-8000-000000000001';
    const total = EXPORTED_SECURITY_EVENTS + 7;
    const base = Date.UTC(2026, 0, 1);
    // Newest first: event i happened i seconds before the newest.
    const trail: SecurityEvent[] = Array.from({ length: total }, (_, i) => ({
      id: `0190f0e0-0000-7000-8000-${String(i).padStart(12, '0')}`,
      type: 'auth.login.failed',
      occurredAt: new Date(base - i * 1_000),
      accountId,
      sessionId: null,
      clientAddress: '192.0.2.1',
      userAgent: null,
      reason: 'bad_credentials',
      loginHash: null,
      sessionCount: null,
    }));
    const queries: SecurityEventQuery[] = [];
    const list = (query: SecurityEventQuery): Promise<SecurityEvent[]> => {
      queries.push(query);
      const from = query.after ? trail.findIndex((e) => e.id === query.after!.id) + 1 : 0;
      return Promise.resolve(trail.slice(from, from + query.limit));
    };
    const account = (await h.signedInUser()).profile;
    const useCase = new ExportAccountData(
      { ...h.deps, securityEvents: { ...h.deps.securityEvents, list } },
      new AttemptLimiter(new InMemoryRateLimiter(), DEFAULT_ATTEMPT_LIMITS),
    );
    const admin = await h.signedInUser({ admin: true });
    const data = await useCase.execute(admin.caller, { id: account.id });
    expect(data.security_events).toHaveLength(EXPORTED_SECURITY_EVENTS);
    expect(data.security_events_truncated).toBe(true);
    expect(queries.every((q) => q.accountId === account.id && q.limit <= 500)).toBe(true);
    expect(data.security_events.at(-1)!['id']).toBe(trail[EXPORTED_SECURITY_EVENTS - 1]!.id);
  });

  it('lets an admin export any account, shows a disable, and refuses other accounts before any lookup', async () => {
    const admin = await h.signedInUser({ admin: true });
    const user = await h.signedInUser();
    const other = await h.signedInUser();
    await h.service.disableAccount(admin.caller, { id: user.profile.id, reason: 'spam' });
    const data = await h.service.exportAccountData(admin.caller, { id: user.profile.id });
    expect(data.account).toMatchObject({ disabled: { reason: 'spam', until: null }, deleted_at: null });
    expect(data.sessions).toEqual([]);
    await h.service.deleteAccount(admin.caller, { id: user.profile.id });
    expect((await h.service.exportAccountData(admin.caller, { id: user.profile.id })).account).toMatchObject({ deleted_at: h.clock.now().toISOString() });
    await expectDomainError(h.service.exportAccountData(other.caller, { id: admin.profile.id }), 'PERMISSION_DENIED');
  });

  it('is limited per account whoever asks: RATE_LIMITED past the limit', async () => {
    const admin = await h.signedInUser({ admin: true });
    const user = await h.signedInUser();
    await h.service.exportAccountData(user.caller, { id: user.profile.id });
    await h.service.exportAccountData(admin.caller, { id: user.profile.id });
    await expectDomainError(h.service.exportAccountData(user.caller, { id: user.profile.id }), 'RATE_LIMITED');
    h.clock.advance(60_000);
    await expect(h.service.exportAccountData(user.caller, { id: user.profile.id })).resolves.toBeDefined();
  });
});
