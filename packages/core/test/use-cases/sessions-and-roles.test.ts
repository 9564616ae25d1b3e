import { beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf, signedIn, testUuidV7 } from '../../src/fixtures/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import type { AccountEventPayload, Role } from '../../src/index.js';
import { Harness, PASSWORD, sharedHasher } from './support/service-harness.support.js';

const hasher = sharedHasher();

describe('RevokeSessions', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher });
  });

  it('signs the account out everywhere, its own session included, and counts the sessions', async () => {
    const me = await h.signedInUser();
    const other = await h.signIn(me.profile, PASSWORD);
    expect(await h.service.revokeSessions(me.caller, { id: me.profile.id })).toEqual({ revoked: 2 });
    for (const tokens of [me.tokens, other.tokens]) {
      await expectDomainError(h.service.validateToken({ accessToken: tokens.accessToken }), 'SESSION_REVOKED');
      await expectDomainError(h.service.refreshToken({ refreshToken: tokens.refreshToken }), 'REFRESH_TOKEN_INVALID');
    }
  });

  it('lets an admin revoke someone else\'s sessions, and tells an admin about an unknown id', async () => {
    const user = await h.signedInUser();
    const admin = await h.signedInUser({ admin: true });
    expect(await h.service.revokeSessions(admin.caller, { id: user.profile.id })).toEqual({ revoked: 1 });
    expect(await h.service.revokeSessions(admin.caller, { id: user.profile.id })).toEqual({ revoked: 0 });
    await expectDomainError(h.service.revokeSessions(admin.caller, { id: testUuidV7() }), 'ACCOUNT_NOT_FOUND');
    await expect(h.service.validateToken({ accessToken: admin.tokens.accessToken })).resolves.toBeDefined();
  });

  it('revokes every session when an admin names the account by its id in upper case', async () => {
    const user = await h.signedInUser();
    const second = await h.signIn(user.profile, PASSWORD);
    const admin = await h.signedInUser({ admin: true });
    expect(await h.service.revokeSessions(admin.caller, { id: user.profile.id.toUpperCase() })).toEqual({ revoked: 2 });
    for (const tokens of [user.tokens, second.tokens]) {
      await expectDomainError(h.service.validateToken({ accessToken: tokens.accessToken }), 'SESSION_REVOKED');
    }
  });

  it('denies another account and refuses the anonymous', async () => {
    const user = await h.signedInUser();
    const artist = await h.signedInArtist();
    await expectDomainError(h.service.revokeSessions(artist.caller, { id: user.profile.id }), 'PERMISSION_DENIED');
    await expectDomainError(h.service.revokeSessions(null, { id: user.profile.id }), 'UNAUTHENTICATED');
    await expect(h.service.validateToken({ accessToken: user.tokens.accessToken })).resolves.toBeDefined();
  });
});

describe('SetRole', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher });
  });

  it('grants ADMIN, writes user.updated, and revokes every session so the old role claim dies', async () => {
    const user = await h.signedInUser();
    const admin = await h.signedInUser({ admin: true });
    const updated = await h.service.setRole(admin.caller, { id: user.profile.id, role: 'ADMIN' });
    expect(updated).toMatchObject({ id: user.profile.id, role: 'ADMIN' });

    const events = await h.events(user.profile.id);
    expect(events.map((e) => e.type)).toEqual(['user.created', 'user.updated']);
    expect((events[1]!.payload as AccountEventPayload).account).toMatchObject({ role: 'ADMIN' });

    await expectDomainError(h.service.validateToken({ accessToken: user.tokens.accessToken }), 'SESSION_REVOKED');
    await expectDomainError(h.service.refreshToken({ refreshToken: user.tokens.refreshToken }), 'REFRESH_TOKEN_INVALID');
    const again = await signedIn(h.service.login({ login: user.profile.username, password: PASSWORD }));
    expect(again.role).toBe('ADMIN');
    expect(await h.service.validateToken({ accessToken: again.tokens.accessToken })).toMatchObject({ role: 'ADMIN' });
  });

  it('demotes an artist admin back to ARTIST with artist.updated', async () => {
    const artist = await h.signedInArtist();
    const admin = await h.signedInUser({ admin: true });
    await h.service.setRole(admin.caller, { id: artist.profile.id, role: 'ADMIN' });
    await expect(h.service.setRole(admin.caller, { id: artist.profile.id, role: 'ARTIST' })).resolves.toMatchObject({ role: 'ARTIST' });
    expect((await h.events(artist.profile.id)).map((e) => e.type)).toEqual(['artist.created', 'artist.updated', 'artist.updated']);
  });

  it.each([
    ['ARTIST', 'user'],
    ['USER', 'artist'],
  ] as const)('refuses role %s for a %s account on field role', async (role, kind) => {
    const target = kind === 'user' ? await h.signedInUser() : await h.signedInArtist();
    const admin = await h.signedInUser({ admin: true });
    const error = await rejectionOf(h.service.setRole(admin.caller, { id: target.profile.id, role }));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ field: 'role' }] });
    await expect(h.service.validateToken({ accessToken: target.tokens.accessToken })).resolves.toBeDefined();
  });

  it('refuses an unknown role on field role', async () => {
    const user = await h.signedInUser();
    const admin = await h.signedInUser({ admin: true });
    const error = await rejectionOf(h.service.setRole(admin.caller, { id: user.profile.id, role: 'ROOT' as Role }));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ field: 'role' }] });
  });

  it('is for admins only, and tells an admin about an unknown id', async () => {
    const user = await h.signedInUser();
    const admin = await h.signedInUser({ admin: true });
    await expectDomainError(h.service.setRole(user.caller, { id: user.profile.id, role: 'ADMIN' }), 'PERMISSION_DENIED');
    await expectDomainError(h.service.setRole(null, { id: user.profile.id, role: 'ADMIN' }), 'UNAUTHENTICATED');
    await expectDomainError(h.service.setRole(admin.caller, { id: testUuidV7(), role: 'ADMIN' }), 'ACCOUNT_NOT_FOUND');
    expect((await h.service.getUser(admin.caller, { id: user.profile.id })).role).toBe('USER');
  });

  it('demotes an admin named by its id in upper case and revokes its sessions, so its ADMIN claim dies', async () => {
    const admin = await h.signedInUser({ admin: true });
    const demoted = await h.signedInUser({ admin: true });
    expect(await h.service.validateToken({ accessToken: demoted.tokens.accessToken })).toMatchObject({ role: 'ADMIN' });
    const updated = await h.service.setRole(admin.caller, { id: demoted.profile.id.toUpperCase(), role: 'USER' });
    expect(updated).toMatchObject({ id: demoted.profile.id, role: 'USER' });
    await expectDomainError(h.service.validateToken({ accessToken: demoted.tokens.accessToken }), 'SESSION_REVOKED');
    await expectDomainError(h.service.authenticate(demoted.tokens.accessToken), 'SESSION_REVOKED');
    await expectDomainError(h.service.refreshToken({ refreshToken: demoted.tokens.refreshToken }), 'REFRESH_TOKEN_INVALID');
  });

  it('refuses to demote the last admin, itself included, with LAST_ADMIN, and leaves it admin and signed in', async () => {
    const admin = await h.signedInUser({ admin: true });
    const error = await rejectionOf(h.service.setRole(admin.caller, { id: admin.profile.id, role: 'USER' }));
    expect(error).toMatchObject({ code: 'LAST_ADMIN', status: 'FAILED_PRECONDITION' });
    expect((await h.service.getUser(admin.caller, { id: admin.profile.id })).role).toBe('ADMIN');
    await expect(h.service.validateToken({ accessToken: admin.tokens.accessToken })).resolves.toMatchObject({ role: 'ADMIN' });
    expect((await h.events(admin.profile.id)).map((e) => e.type)).toEqual(['user.created']);
  });

  it('lets an admin step down while another admin remains, then keeps that one', async () => {
    const first = await h.signedInUser({ admin: true });
    const second = await h.signedInUser({ admin: true });
    await expect(h.service.setRole(first.caller, { id: first.profile.id, role: 'USER' })).resolves.toMatchObject({ role: 'USER' });
    await expectDomainError(h.service.setRole(second.caller, { id: second.profile.id, role: 'USER' }), 'LAST_ADMIN');
  });

  it('of two admins demoting each other at once, exactly one succeeds and one admin remains', async () => {
    const [first, second] = [await h.signedInUser({ admin: true }), await h.signedInUser({ admin: true })];
    const results = await Promise.allSettled([
      h.service.setRole(first.caller, { id: second.profile.id, role: 'USER' }),
      h.service.setRole(second.caller, { id: first.profile.id, role: 'USER' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'LAST_ADMIN' } });
    const roles = await Promise.all([first, second].map(async (a) => (await h.store.accounts.findById(a.profile.id))?.role));
    expect(roles.filter((role) => role === 'ADMIN')).toHaveLength(1);
  });

  it('setting the role an account already has writes no event but still revokes its sessions', async () => {
    const user = await h.signedInUser();
    const admin = await h.signedInUser({ admin: true });
    await h.service.setRole(admin.caller, { id: user.profile.id, role: 'USER' });
    expect((await h.events(user.profile.id)).map((e) => e.type)).toEqual(['user.created']);
    await expectDomainError(h.service.validateToken({ accessToken: user.tokens.accessToken }), 'SESSION_REVOKED');
  });
});
