import { beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf, testUuidV7 } from '../../src/fixtures/index.js';
import type { SecurityEvent, UnitOfWork } from '../../src/index.js';
import { SECURITY_EVENT_TYPES } from '../../src/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, PASSWORD, sharedHasher } from './support/service-harness.support.js';
import { signedIn } from '../../src/fixtures/index.js';

const hasher = sharedHasher();
const CLIENT = { clientAddress: '198.51.100.7', userAgent: 'Player/1.0' };

const shape = (events: SecurityEvent[]) => events.map((e) => [e.type, e.reason]);

describe('security events', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher });
  });

  it('a login writes login.succeeded with its session, address and user agent, to the audit trail and the auth.security topic', async () => {
    const me = await h.signedInUser();
    const login = await signedIn(h.service.login({ login: me.profile.username, password: PASSWORD }, CLIENT));
    const session = (await h.service.authenticate(login.tokens.accessToken)).sessionId;
    const [latest] = await h.audit(me.profile.id);
    expect(latest).toMatchObject({ type: 'auth.login.succeeded', accountId: me.profile.id, sessionId: session, ...CLIENT, reason: null });
    const outbox = await h.securityOutbox(me.profile.id);
    const published = outbox.find((e) => e.id === latest!.id)!;
    expect(published).toMatchObject({ topic: 'auth.security', key: me.profile.id, type: 'auth.login.succeeded' });
    expect(published.headers).toMatchObject({ ce_specversion: '1.0', ce_id: latest!.id, ce_type: 'auth.login.succeeded', ce_subject: me.profile.id });
    expect(published.payload).toEqual({
      schema_version: 1,
      event: expect.objectContaining({ id: latest!.id, type: 'auth.login.succeeded', account_id: me.profile.id, session_id: session, client_address: CLIENT.clientAddress }),
    });
  });

  it('a wrong password writes login.failed (bad_credentials) for the account; an unknown name carries a keyed hash, never the name or password', async () => {
    const me = await h.signedInUser();
    await expectDomainError(h.service.login({ login: me.profile.username, password: 'wrong password 1' }, CLIENT), 'INVALID_CREDENTIALS');
    const [failed] = await h.audit(me.profile.id);
    expect(failed).toMatchObject({ type: 'auth.login.failed', reason: 'bad_credentials', accountId: me.profile.id });

    const ghost = 'Nobody.Here';
    await expectDomainError(h.service.login({ login: ghost, password: 'guess one two' }, CLIENT), 'INVALID_CREDENTIALS');
    await expectDomainError(h.service.login({ login: 'nobody.here', password: 'guess three four' }, { clientAddress: '198.51.100.8' }), 'INVALID_CREDENTIALS');
    await h.service.flushSecurityEvents();
    const pending = (await h.securityOutbox()).filter((e) => e.key.startsWith('login:'));
    expect(pending).toHaveLength(2);
    // One name in any case: one key, so attacks on it correlate and stay in order; the name itself is nowhere.
    expect(pending[0]!.key).toBe(pending[1]!.key);
    const text = JSON.stringify(pending);
    for (const secret of [ghost, ghost.toLowerCase(), 'guess one two', 'guess three four']) expect(text).not.toContain(secret);
    expect(pending[0]!.payload).toMatchObject({ event: { account_id: null, reason: 'bad_credentials', login_hash: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) } });
  });

  it('the attempt that fills a login limit writes throttle.tripped; the refused ones write login.failed (throttled)', async () => {
    const me = await h.signedInUser();
    // The harness allows 3 attempts per name and address a minute.
    for (let i = 0; i < 3; i += 1) await expectDomainError(h.service.login({ login: me.profile.username, password: `wrong ${i} password` }, CLIENT), 'INVALID_CREDENTIALS');
    await expectDomainError(h.service.login({ login: me.profile.username, password: PASSWORD }, CLIENT), 'LOGIN_THROTTLED');
    const events = await h.audit(me.profile.id);
    expect(shape(events.slice(0, 2))).toEqual([
      ['auth.throttle.tripped', 'login-from'],
      ['auth.login.failed', 'bad_credentials'],
    ]);
    const throttled = (await h.securityOutbox()).filter((e) => e.type === 'auth.login.failed' && JSON.stringify(e.payload).includes('"throttled"'));
    expect(throttled).toHaveLength(1);
  });

  it('refresh-token reuse writes refresh_token.reused and session.revoked (reuse) for that session', async () => {
    const me = await h.signedInUser();
    await h.service.refreshToken({ refreshToken: me.tokens.refreshToken });
    h.clock.advance(60_000);
    await expectDomainError(h.service.refreshToken({ refreshToken: me.tokens.refreshToken }, CLIENT), 'REFRESH_TOKEN_REUSED');
    const events = await h.audit(me.profile.id);
    expect(events.slice(0, 2).map((e) => [e.type, e.reason, e.sessionId])).toEqual(
      expect.arrayContaining([
        ['auth.refresh_token.reused', 'session_revoked', me.caller!.sessionId],
        ['auth.session.revoked', 'reuse', me.caller!.sessionId],
      ]),
    );
  });

  it('logout, RevokeSession (owner, admin) and RevokeSessions write session.revoked with their cause; a second logout writes nothing', async () => {
    const me = await h.signedInUser();
    const admin = await h.signedInUser({ admin: true });
    const second = await h.signIn(me.profile, PASSWORD);
    const third = await h.signIn(me.profile, PASSWORD);
    await h.service.logout({ refreshToken: second.tokens.refreshToken });
    await h.service.logout({ refreshToken: second.tokens.refreshToken });
    await h.service.revokeSession(me.caller, { sessionId: third.caller!.sessionId });
    const fourth = await h.signIn(me.profile, PASSWORD);
    await h.service.revokeSession(admin.caller, { sessionId: fourth.caller!.sessionId });
    await h.signIn(me.profile, PASSWORD);
    await h.service.revokeSessions(me.caller, { id: me.profile.id, keepOwn: true });
    await h.signIn(me.profile, PASSWORD);
    await h.service.revokeSessions(admin.caller, { id: me.profile.id });
    const revoked = (await h.audit(me.profile.id)).filter((e) => e.type === 'auth.session.revoked').reverse();
    expect(revoked.map((e) => [e.reason, e.sessionId, e.sessionCount])).toEqual([
      ['logout', second.caller!.sessionId, null],
      ['user', third.caller!.sessionId, null],
      ['admin', fourth.caller!.sessionId, null],
      ['user', null, 1],
      ['admin', null, 2],
    ]);
  });

  it('ChangePassword writes password.changed and session.revoked (password_change) in its unit of work; a failed commit writes neither', async () => {
    const me = await h.signedInUser();
    await h.signIn(me.profile, PASSWORD);
    await h.service.changePassword(me.caller, { id: me.profile.id, oldPassword: PASSWORD, newPassword: 'a new password 1' });
    const events = await h.audit(me.profile.id);
    expect(shape(events.filter((e) => e.type !== 'auth.login.succeeded'))).toEqual(
      expect.arrayContaining([
        ['auth.password.changed', null],
        ['auth.session.revoked', 'password_change'],
      ]),
    );
    expect(events.find((e) => e.type === 'auth.session.revoked')!.sessionCount).toBe(2);

    let failCommits = false;
    const failing = await Harness.create({ hasher, override: (deps) => ({ unitOfWork: failAfterWork(deps.unitOfWork, () => failCommits) }) });
    const other = await failing.signedInUser();
    failCommits = true;
    await rejectionOf(failing.service.changePassword(other.caller, { id: other.profile.id, oldPassword: PASSWORD, newPassword: 'a new password 2' }));
    failCommits = false;
    const types = (await failing.audit(other.profile.id)).map((e) => e.type);
    expect(types).toContain('auth.login.succeeded');
    expect(types).not.toContain('auth.password.changed');
  });

  it('SetRole writes role.changed (old->new) in its unit of work and session.revoked (role_change) after', async () => {
    const user = await h.signedInUser();
    const admin = await h.signedInUser({ admin: true });
    await h.service.setRole(admin.caller, { id: user.profile.id, role: 'ADMIN' });
    const events = await h.audit(user.profile.id);
    expect(shape(events.slice(0, 2))).toEqual([
      ['auth.session.revoked', 'role_change'],
      ['auth.role.changed', 'USER->ADMIN'],
    ]);
  });

  it('a password reset writes reset_requested (keyed hash of the address when unknown), then password.reset and session.revoked (password_reset) with the change', async () => {
    const me = await h.signedInUser();
    await h.signIn(me.profile, PASSWORD);
    await h.service.requestPasswordReset({ email: me.profile.email }, CLIENT);
    const token = await h.tokenMailed('reset-password', me.profile.email);
    await h.service.resetPassword({ token, newPassword: 'a brand new password 1' }, CLIENT);
    const events = await h.audit(me.profile.id);
    expect(events.slice(0, 3).map((e) => [e.type, e.reason, e.sessionCount])).toEqual(
      expect.arrayContaining([
        ['auth.password.reset_requested', null, null],
        ['auth.password.reset', null, null],
        ['auth.session.revoked', 'password_reset', 2],
      ]),
    );
    expect(events[0]).toMatchObject(CLIENT);

    const ghost = 'Nobody.At@Example.com';
    await h.service.requestPasswordReset({ email: ghost }, CLIENT);
    const unknown = (await h.securityOutbox()).filter((e) => e.type === 'auth.password.reset_requested' && e.key.startsWith('login:'));
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.payload).toMatchObject({ event: { account_id: null, login_hash: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) } });
    expect(JSON.stringify(unknown)).not.toContain(ghost.toLowerCase());
    const text = JSON.stringify([events, await h.securityOutbox(me.profile.id)]);
    for (const secret of [token, 'a brand new password 1', me.profile.email]) expect(text).not.toContain(secret);
  });

  it('a refused reset (spent token) writes no password.reset', async () => {
    const me = await h.signedInUser();
    await h.service.requestPasswordReset({ email: me.profile.email });
    const token = await h.tokenMailed('reset-password', me.profile.email);
    await h.service.resetPassword({ token, newPassword: 'a brand new password 1' });
    await rejectionOf(h.service.resetPassword({ token, newPassword: 'a brand new password 2' }));
    expect((await h.audit(me.profile.id)).filter((e) => e.type === 'auth.password.reset')).toHaveLength(1);
  });

  it('ConfirmEmailChange writes email.changed (the caller\'s session, never an address) and session.revoked (email_change) with the change', async () => {
    const me = await h.signedInUser();
    await h.signIn(me.profile, PASSWORD);
    const newEmail = `new.${me.profile.email}`;
    await h.service.requestEmailChange(me.caller, { id: me.profile.id, newEmail, currentPassword: PASSWORD }, CLIENT);
    const token = await h.tokenMailed('confirm-email-change', newEmail);
    await h.service.confirmEmailChange(me.caller, { token }, CLIENT);
    const events = await h.audit(me.profile.id);
    expect(events.slice(0, 2).map((e) => [e.type, e.reason, e.sessionId, e.sessionCount])).toEqual(
      expect.arrayContaining([
        ['auth.email.changed', null, me.caller!.sessionId, null],
        ['auth.session.revoked', 'email_change', null, 1],
      ]),
    );
    const text = JSON.stringify([events, await h.securityOutbox(me.profile.id)]);
    for (const secret of [newEmail, me.profile.email, token]) expect(text).not.toContain(secret);
  });

  it('DisableAccount writes account.disabled (timed or indefinite, never the admin\'s reason) and session.revoked (account_disabled); EnableAccount writes account.enabled once', async () => {
    const user = await h.signedInUser();
    const admin = await h.signedInUser({ admin: true });
    await h.service.disableAccount(admin.caller, { id: user.profile.id, reason: 'suspected fraud ring' }, CLIENT);
    await h.service.enableAccount(admin.caller, { id: user.profile.id }, CLIENT);
    await h.service.enableAccount(admin.caller, { id: user.profile.id }, CLIENT);
    await h.service.disableAccount(admin.caller, { id: user.profile.id, reason: 'cool down', until: new Date(h.clock.now().getTime() + 60_000) });
    const events = (await h.audit(user.profile.id)).filter((e) => e.type !== 'auth.login.succeeded').reverse();
    expect(events.map((e) => [e.type, e.reason, e.sessionCount])).toEqual([
      ['auth.account.disabled', 'indefinite', null],
      ['auth.session.revoked', 'account_disabled', 1],
      ['auth.account.enabled', null, null],
      ['auth.account.disabled', 'timed', null],
    ]);
    expect(events[0]).toMatchObject({ accountId: user.profile.id, ...CLIENT });
    expect(JSON.stringify(await h.securityOutbox(user.profile.id))).not.toContain('fraud');
  });

  it('a refused disable (the last admin) writes no event', async () => {
    const admin = await h.signedInUser({ admin: true });
    await rejectionOf(h.service.disableAccount(admin.caller, { id: admin.profile.id, reason: 'leaving' }));
    expect((await h.audit(admin.profile.id)).map((e) => e.type)).not.toContain('auth.account.disabled');
  });

  it('events of a change outside the database are written once the database is back (at least once), in order', async () => {
    let down = true;
    const flaky = await Harness.create({ hasher, override: (deps) => ({ unitOfWork: failWhile(deps.unitOfWork, () => down) }) });
    down = false;
    const me = await flaky.signedInUser();
    down = true;
    for (let i = 0; i < 5; i += 1) await rejectionOf(flaky.service.login({ login: me.profile.username, password: `wrong ${i} password` }, { clientAddress: `203.0.113.${i}` }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    down = false;
    const failed = (await flaky.audit(me.profile.id)).filter((e) => e.type === 'auth.login.failed');
    expect(failed.map((e) => e.clientAddress)).toEqual(['203.0.113.4', '203.0.113.3', '203.0.113.2', '203.0.113.1', '203.0.113.0']);
  });

  it('ListSecurityEvents: self or admin, filters by type and time, pages newest first with an opaque token, refuses bad input', async () => {
    const me = await h.signedInUser();
    const admin = await h.signedInUser({ admin: true });
    const stranger = await h.signedInUser();
    for (let i = 0; i < 4; i += 1) {
      h.clock.advance(1_000);
      await h.signIn(me.profile, PASSWORD);
    }
    await h.service.flushSecurityEvents();
    const all = await h.service.listSecurityEvents(me.caller, { id: me.profile.id, types: ['auth.login.succeeded'] });
    expect(all.events).toHaveLength(5);
    expect(all.nextPageToken).toBe('');
    const first = await h.service.listSecurityEvents(admin.caller, { id: me.profile.id, pageSize: 2 });
    const second = await h.service.listSecurityEvents(admin.caller, { id: me.profile.id, pageSize: 2, pageToken: first.nextPageToken });
    expect([...first.events, ...second.events].map((e) => e.id)).toEqual(all.events.slice(0, 4).map((e) => e.id));
    const since = all.events[1]!.occurredAt;
    expect((await h.service.listSecurityEvents(me.caller, { id: me.profile.id, since })).events).toHaveLength(2);
    expect((await h.service.listSecurityEvents(me.caller, { id: me.profile.id, until: since })).events).toHaveLength(3);
    await expectDomainError(h.service.listSecurityEvents(stranger.caller, { id: me.profile.id }), 'PERMISSION_DENIED');
    await expectDomainError(h.service.listSecurityEvents(admin.caller, { id: testUuidV7() }), 'ACCOUNT_NOT_FOUND');
    for (const bad of [{ types: ['auth.nope'] }, { pageSize: 101 }, { pageToken: 'garbage' }, { since, until: since }]) {
      expect(await rejectionOf(h.service.listSecurityEvents(me.caller, { id: me.profile.id, ...bad }))).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('no event ever carries a password, a token or a password hash', async () => {
    const me = await h.signedInUser();
    const login = await signedIn(h.service.login({ login: me.profile.username, password: PASSWORD }, CLIENT));
    await rejectionOf(h.service.login({ login: me.profile.username, password: 'not the password' }, CLIENT));
    await h.service.refreshToken({ refreshToken: login.tokens.refreshToken });
    await h.service.logout({ refreshToken: login.tokens.refreshToken });
    const account = await h.deps.accounts.findById(me.profile.id);
    const text = JSON.stringify([await h.audit(me.profile.id), await h.securityOutbox(me.profile.id)]);
    for (const secret of [PASSWORD, 'not the password', login.tokens.refreshToken, login.tokens.accessToken, account!.passwordHash]) expect(text).not.toContain(secret);
    expect(SECURITY_EVENT_TYPES.length).toBeGreaterThanOrEqual(12);
  });
});

/** A unit of work that does the work, then, while `failing()`, fails instead of committing. */
function failAfterWork(inner: UnitOfWork, failing: () => boolean): UnitOfWork {
  return {
    run: (work) =>
      inner.run(async (scope) => {
        const result = await work(scope);
        if (failing()) throw new Error('commit failed');
        return result;
      }),
  };
}

/** A unit of work that fails while `down()` says so (the database is unreachable). */
function failWhile(inner: UnitOfWork, down: () => boolean): UnitOfWork {
  return {
    run: (work) => (down() ? Promise.reject(new Error('database down')) : inner.run(work)),
  };
}
