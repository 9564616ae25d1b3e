import { beforeEach, describe, expect, it } from 'vitest';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, PASSWORD, sharedHasher } from './support/service-harness.support.js';
import { rejectionOf, signedIn } from '../../src/fixtures/index.js';
import type { DomainError } from '../../src/index.js';

const hasher = sharedHasher();
const DAY = 86_400_000;
const GRACE = 7 * DAY;

describe('DeleteAccount, RestoreAccount and the purge after the grace period', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher });
  });

  it('deleting itself with its password revokes every session at once and answers when the erasure may run', async () => {
    const user = await h.signedInUser();
    const { account, eraseAfter } = await h.service.deleteAccount(user.caller, { id: user.profile.id, currentPassword: PASSWORD });
    expect(account.deletedAt).toEqual(h.clock.now());
    expect(eraseAfter).toEqual(new Date(h.clock.now().getTime() + GRACE));
    await expectDomainError(h.service.authenticate(user.tokens.accessToken), 'SESSION_REVOKED');
    await expectDomainError(h.service.refreshToken({ refreshToken: user.tokens.refreshToken }), 'REFRESH_TOKEN_INVALID');
  });

  it('needs the right password from the account itself, naming current_password when absent; nothing changes on a refusal', async () => {
    const user = await h.signedInUser();
    const error = (await rejectionOf(h.service.deleteAccount(user.caller, { id: user.profile.id }))) as DomainError;
    expect(error.violations.map((v) => v.field)).toEqual(['current_password']);
    await expectDomainError(h.service.deleteAccount(user.caller, { id: user.profile.id, currentPassword: 'not the password' }), 'INVALID_CREDENTIALS');
    await expect(h.service.authenticate(user.tokens.accessToken)).resolves.toMatchObject({ accountId: user.profile.id });
    expect(await h.events(user.profile.id)).toHaveLength(1); // user.created only
  });

  it('Login refuses a deleted account as a disabled one, only after the password matched; a wrong password is INVALID_CREDENTIALS', async () => {
    const user = await h.signedInUser();
    await h.service.deleteAccount(user.caller, { id: user.profile.id, currentPassword: PASSWORD });
    await expectDomainError(h.service.login({ login: user.profile.username, password: 'a wrong password' }), 'INVALID_CREDENTIALS');
    await expectDomainError(h.service.login({ login: user.profile.username, password: PASSWORD }), 'ACCOUNT_DISABLED');
  });

  it('writes user.deleted with the erasure time and auth.account.deleted in the unit of work, and a password reset mails nothing', async () => {
    const user = await h.signedInUser();
    await h.service.deleteAccount(user.caller, { id: user.profile.id, currentPassword: PASSWORD });
    const events = await h.events(user.profile.id);
    expect(events.map((e) => e.type)).toEqual(['user.created', 'user.deleted']);
    expect(events[1]!.payload).toMatchObject({ account: { id: user.profile.id, deleted_at: h.clock.now().toISOString(), erase_after: new Date(h.clock.now().getTime() + GRACE).toISOString() } });
    expect((await h.audit(user.profile.id)).map((e) => [e.type, e.reason])).toEqual(
      expect.arrayContaining([['auth.account.deleted', 'self'], ['auth.session.revoked', 'account_deleted']]),
    );
    await h.service.requestPasswordReset({ email: user.profile.email });
    expect((await h.mails()).filter((m) => m.to === user.profile.email && m.kind === 'reset-password')).toEqual([]);
  });

  it('a mailed link stops working with the deletion: a reset link mailed before it is ACCOUNT_TOKEN_INVALID', async () => {
    const user = await h.signedInUser();
    await h.service.requestPasswordReset({ email: user.profile.email });
    const token = await h.tokenMailed('reset-password', user.profile.email);
    await h.service.deleteAccount(user.caller, { id: user.profile.id, currentPassword: PASSWORD });
    await expectDomainError(h.service.resetPassword({ token, newPassword: 'a brand new password' }), 'ACCOUNT_TOKEN_INVALID');
  });

  it('an admin deletes another account without a password and restores it within the grace period: it signs in again', async () => {
    const admin = await h.signedInUser({ admin: true });
    const artist = await h.signedInArtist();
    await h.service.deleteAccount(admin.caller, { id: artist.profile.id });
    h.clock.advance(GRACE - 1);
    const restored = await h.service.restoreAccount(admin.caller, { id: artist.profile.id });
    expect(restored.deletedAt).toBeNull();
    expect((await h.events(artist.profile.id)).map((e) => e.type)).toEqual(['artist.created', 'artist.deleted', 'artist.restored']);
    await expect(signedIn(h.service.login({ login: artist.profile.username, password: PASSWORD }))).resolves.toMatchObject({ accountId: artist.profile.id });
    h.clock.advance(DAY);
    expect((await h.service.purgeDeletedAccounts()).erased).toEqual([]);
  });

  it('a deleted artist is not found by other accounts (GetArtist) while admins still see it', async () => {
    const admin = await h.signedInUser({ admin: true });
    const fan = await h.signedInUser();
    const artist = await h.signedInArtist();
    await h.service.deleteAccount(artist.caller, { id: artist.profile.id, currentPassword: PASSWORD });
    await expectDomainError(h.service.getArtist(fan.caller, { id: artist.profile.id }), 'ACCOUNT_NOT_FOUND');
    await expect(h.service.getArtist(admin.caller, { id: artist.profile.id })).resolves.toMatchObject({ view: 'full' });
  });

  it('refuses to delete the last admin that counts, itself included (LAST_ADMIN); a deleted admin no longer counts', async () => {
    const first = await h.signedInUser({ admin: true });
    await expectDomainError(h.service.deleteAccount(first.caller, { id: first.profile.id, currentPassword: PASSWORD }), 'LAST_ADMIN');
    const second = await h.signedInUser({ admin: true });
    await h.service.deleteAccount(second.caller, { id: first.profile.id });
    await expectDomainError(h.service.disableAccount(second.caller, { id: second.profile.id, reason: 'x' }), 'LAST_ADMIN');
  });

  it('lets only one of two admins deleting each other at once succeed', async () => {
    const [a, b] = [await h.signedInUser({ admin: true }), await h.signedInUser({ admin: true })];
    const results = await Promise.allSettled([h.service.deleteAccount(a.caller, { id: b.profile.id }), h.service.deleteAccount(b.caller, { id: a.profile.id })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('with a second factor, deleting itself needs a recent sign-in with it (REAUTHENTICATION_REQUIRED otherwise)', async () => {
    const user = await h.signedInUser();
    const { secret } = await h.enrolTotp(user.caller, user.profile.id);
    await expectDomainError(h.service.deleteAccount(user.caller, { id: user.profile.id, currentPassword: PASSWORD }), 'REAUTHENTICATION_REQUIRED');
    const fresh = await h.signInWithTotp(user.profile.username, secret);
    await expect(h.service.deleteAccount(fresh.caller, { id: user.profile.id, currentPassword: PASSWORD })).resolves.toMatchObject({ account: { id: user.profile.id } });
  });

  it('a login that was verifying its password while the account was deleted gets no live session', async () => {
    const user = await h.signedInUser();
    const login = h.service.login({ login: user.profile.username, password: PASSWORD });
    await h.service.deleteAccount(user.caller, { id: user.profile.id, currentPassword: PASSWORD });
    await login.catch(() => undefined);
    expect(await h.sessions.listForAccount(user.profile.id, h.clock.now())).toEqual([]);
  });

  it('the purge erases after the grace period only: names freed, id never given again, erasure event, personal fields gone', async () => {
    const admin = await h.signedInUser({ admin: true });
    const input = h.userInput();
    const user = await h.service.registerUser(input);
    const session = await h.signIn(user, PASSWORD);
    await h.service.login({ login: input.username, password: 'a wrong one' }).catch(() => undefined);
    await h.service.deleteAccount(session.caller, { id: user.id, currentPassword: PASSWORD }, { clientAddress: '203.0.113.9', userAgent: 'Phone/1' });
    h.clock.advance(GRACE - 1);
    expect((await h.service.purgeDeletedAccounts()).erased).toEqual([]);
    h.clock.advance(1);
    expect((await h.service.purgeDeletedAccounts()).erased).toEqual([user.id]);

    expect(await h.deps.accounts.findById(user.id)).toBeNull();
    await expectDomainError(h.service.getUser(admin.caller, { id: user.id }), 'ACCOUNT_NOT_FOUND');
    await expectDomainError(h.service.restoreAccount(admin.caller, { id: user.id }), 'ACCOUNT_NOT_FOUND');
    const events = await h.events(user.id);
    expect(events.at(-1)).toMatchObject({ type: 'user.erased', payload: { account: { id: user.id, kind: 'user' } } });
    expect(JSON.stringify(events.at(-1)!.payload)).not.toContain(input.username);
    for (const event of await h.audit(user.id)) expect([event.clientAddress, event.userAgent, event.sessionId, event.loginHash]).toEqual([null, null, null, null]);

    const again = await h.service.registerUser({ ...h.userInput(), username: input.username, email: input.email });
    expect(again.id).not.toBe(user.id);
    const outcome = await h.store.accountImport.insertNew([{ account: { ...(await h.deps.accounts.findById(again.id))!, id: user.id, username: 'someone_else', email: 'else@example.com' }, events: [] }]);
    expect(outcome).toEqual(['exists']);
  });
});
