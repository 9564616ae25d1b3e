import { beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf, testSessionId, testUuidV7 } from '../../src/fixtures/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, PASSWORD, sharedHasher } from './support/service-harness.support.js';
import { signedIn } from '../../src/fixtures/index.js';

const hasher = sharedHasher();

describe('sessions and devices', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher });
  });

  it('lists every live session newest first with its device, marking the caller’s own; a refresh moves last used', async () => {
    const me = await h.signedInUser();
    h.clock.advance(1_000);
    const phone = await signedIn(h.service.login(
      { login: me.profile.username, password: PASSWORD, deviceName: 'Phone' },
      { clientAddress: '203.0.113.9', userAgent: 'Player/2.0 (iOS)\u0007' },
    ));
    h.clock.advance(1_000);
    const car = await signedIn(h.service.login({ login: me.profile.email, password: PASSWORD, deviceName: 'Car' }, { clientAddress: '2001:db8::1' }));
    const carCaller = await h.service.authenticate(car.tokens.accessToken);
    h.clock.advance(5_000);
    await h.service.refreshToken({ refreshToken: phone.tokens.refreshToken });

    const { sessions } = await h.service.listSessions(carCaller, { id: me.profile.id });
    expect(sessions.map((s) => [s.deviceName, s.current])).toEqual([
      ['Car', true],
      ['Phone', false],
      [null, false],
    ]);
    const [carSession, phoneSession, first] = sessions;
    expect(carSession).toMatchObject({ clientAddress: '2001:db8::1', userAgent: null, accountId: me.profile.id });
    expect(phoneSession).toMatchObject({ clientAddress: '203.0.113.9', userAgent: 'Player/2.0 (iOS)' });
    expect(phoneSession!.lastUsedAt.getTime() - phoneSession!.createdAt.getTime()).toBe(6_000);
    expect(carSession!.lastUsedAt).toEqual(carSession!.createdAt);
    expect(first!.sessionId).toBe(me.caller!.sessionId);
  });

  it('cuts a long user agent to 256 characters and refuses a device name that is too long or invisible', async () => {
    const me = await h.signedInUser();
    h.clock.advance(1_000);
    await signedIn(h.service.login({ login: me.profile.username, password: PASSWORD }, { userAgent: 'x'.repeat(1_000) }));
    const listed = await h.service.listSessions(me.caller, { id: me.profile.id });
    expect(listed.sessions.map((s) => s.userAgent?.length ?? 0)).toEqual([256, 0]);
    expect(await rejectionOf(h.service.login({ login: me.profile.username, password: PASSWORD, deviceName: 'd'.repeat(65) }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      violations: [{ field: 'device_name', description: 'must be at most 64 characters long' }],
    });
    await expectDomainError(h.service.login({ login: me.profile.username, password: PASSWORD, deviceName: 'a\u200bb' }), 'VALIDATION_FAILED');
  });

  it('lets an admin list another account and tells only an admin that an id is unknown', async () => {
    const user = await h.signedInUser();
    const admin = await h.signedInUser({ admin: true });
    const other = await h.signedInUser();
    const listed = await h.service.listSessions(admin.caller, { id: user.profile.id });
    expect(listed.sessions).toHaveLength(1);
    expect(listed.sessions[0]!.current).toBe(false);
    await expectDomainError(h.service.listSessions(admin.caller, { id: testUuidV7() }), 'ACCOUNT_NOT_FOUND');
    await expectDomainError(h.service.listSessions(other.caller, { id: user.profile.id }), 'PERMISSION_DENIED');
    await expectDomainError(h.service.listSessions(null, { id: user.profile.id }), 'UNAUTHENTICATED');
  });

  it('revokes one session for its owner: that session dies, the others live', async () => {
    const me = await h.signedInUser();
    const laptop = await h.signIn(me.profile, PASSWORD);
    const speaker = await h.signIn(me.profile, PASSWORD);
    expect(await h.service.revokeSession(me.caller, { sessionId: laptop.caller!.sessionId })).toEqual({ accountId: me.profile.id });
    await expectDomainError(h.service.validateToken({ accessToken: laptop.tokens.accessToken }), 'SESSION_REVOKED');
    await expectDomainError(h.service.refreshToken({ refreshToken: laptop.tokens.refreshToken }), 'REFRESH_TOKEN_INVALID');
    for (const live of [me, speaker]) await expect(h.service.validateToken({ accessToken: live.tokens.accessToken })).resolves.toBeDefined();
    const { sessions } = await h.service.listSessions(me.caller, { id: me.profile.id });
    expect(sessions.map((s) => s.sessionId).sort()).toEqual([me.caller!.sessionId, speaker.caller!.sessionId].sort());
    // Again: already ended, the same answer as an unknown session.
    await expectDomainError(h.service.revokeSession(me.caller, { sessionId: laptop.caller!.sessionId }), 'SESSION_NOT_FOUND');
  });

  it('answers another account’s session as not found for a non-admin (and leaves it alive), and lets an admin end it', async () => {
    const victim = await h.signedInUser();
    const stranger = await h.signedInUser();
    const admin = await h.signedInUser({ admin: true });
    await expectDomainError(h.service.revokeSession(stranger.caller, { sessionId: victim.caller!.sessionId }), 'SESSION_NOT_FOUND');
    await expectDomainError(h.service.revokeSession(stranger.caller, { sessionId: testSessionId() }), 'SESSION_NOT_FOUND');
    await expect(h.service.validateToken({ accessToken: victim.tokens.accessToken })).resolves.toBeDefined();
    expect(await h.service.revokeSession(admin.caller, { sessionId: victim.caller!.sessionId })).toEqual({ accountId: victim.profile.id });
    await expectDomainError(h.service.validateToken({ accessToken: victim.tokens.accessToken }), 'SESSION_REVOKED');
  });

  it('refuses a session id that cannot be one with INVALID_ARGUMENT on session_id', async () => {
    const me = await h.signedInUser();
    for (const sessionId of ['', 'has space', 'x'.repeat(65)]) {
      expect(await rejectionOf(h.service.revokeSession(me.caller, { sessionId }))).toMatchObject({
        code: 'VALIDATION_FAILED',
        violations: [{ field: 'session_id' }],
      });
    }
  });

  it('RevokeSessions with keepOwn ends every other session of the caller and keeps the caller’s', async () => {
    const me = await h.signedInUser();
    const others = [await h.signIn(me.profile, PASSWORD), await h.signIn(me.profile, PASSWORD)];
    expect(await h.service.revokeSessions(me.caller, { id: me.profile.id, keepOwn: true })).toEqual({ revoked: 2 });
    await expect(h.service.validateToken({ accessToken: me.tokens.accessToken })).resolves.toBeDefined();
    for (const o of others) await expectDomainError(h.service.validateToken({ accessToken: o.tokens.accessToken }), 'SESSION_REVOKED');
  });

  it('RevokeSessions with keepOwn by an admin on another account ends all of that account’s sessions', async () => {
    const user = await h.signedInUser();
    await h.signIn(user.profile, PASSWORD);
    const admin = await h.signedInUser({ admin: true });
    expect(await h.service.revokeSessions(admin.caller, { id: user.profile.id, keepOwn: true })).toEqual({ revoked: 2 });
    await expect(h.service.validateToken({ accessToken: admin.tokens.accessToken })).resolves.toBeDefined();
  });
});
