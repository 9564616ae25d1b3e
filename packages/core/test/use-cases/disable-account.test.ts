import { beforeEach, describe, expect, it } from 'vitest';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, PASSWORD, sharedHasher } from './support/service-harness.support.js';
import { rejectionOf, testUuidV7 } from '../../src/fixtures/index.js';
import type { DomainError } from '../../src/index.js';

const hasher = sharedHasher();
const HOUR = 3_600_000;

describe('DisableAccount and EnableAccount', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher });
  });

  it('revokes every session at once: the live access token and the refresh token are refused on the next call', async () => {
    const admin = await h.signedInUser({ admin: true });
    const user = await h.signedInUser();
    const profile = await h.service.disableAccount(admin.caller, { id: user.profile.id, reason: '  spam  ' });
    expect(profile.disabled).toEqual({ reason: 'spam', since: h.clock.now(), until: null });
    await expectDomainError(h.service.authenticate(user.tokens.accessToken), 'SESSION_REVOKED');
    await expectDomainError(h.service.refreshToken({ refreshToken: user.tokens.refreshToken }), 'REFRESH_TOKEN_INVALID');
  });

  it('answers ACCOUNT_DISABLED to Login only after the password was verified; a wrong password gets INVALID_CREDENTIALS', async () => {
    const admin = await h.signedInUser({ admin: true });
    const user = await h.signedInUser();
    await h.service.disableAccount(admin.caller, { id: user.profile.id, reason: 'abuse' });
    await expectDomainError(h.service.login({ login: user.profile.username, password: 'a wrong password' }), 'INVALID_CREDENTIALS');
    await expectDomainError(h.service.login({ login: user.profile.email, password: PASSWORD }), 'ACCOUNT_DISABLED');
    await h.service.enableAccount(admin.caller, { id: user.profile.id });
    await expect(h.service.login({ login: user.profile.username, password: PASSWORD })).resolves.toMatchObject({ accountId: user.profile.id });
  });

  it('ends a timed disable by itself at its until', async () => {
    const admin = await h.signedInUser({ admin: true });
    const user = await h.signedInUser();
    await h.service.disableAccount(admin.caller, { id: user.profile.id, reason: 'cool down', until: new Date(h.clock.now().getTime() + HOUR) });
    await expectDomainError(h.service.login({ login: user.profile.username, password: PASSWORD }), 'ACCOUNT_DISABLED');
    const listed = await h.service.searchAccounts(admin.caller, { usernamePrefix: user.profile.username });
    expect(listed.accounts[0]!.disabled).not.toBeNull();
    h.clock.advance(HOUR);
    await expect(h.service.login({ login: user.profile.username, password: PASSWORD })).resolves.toMatchObject({ accountId: user.profile.id });
    const later = await h.service.searchAccounts(admin.caller, { usernamePrefix: user.profile.username, disabled: false });
    expect(later.accounts.map((a) => [a.id, a.disabled])).toEqual([[user.profile.id, null]]);
  });

  it('refuses a missing reason and an until that is not in the future, naming the fields, and changes nothing', async () => {
    const admin = await h.signedInUser({ admin: true });
    const user = await h.signedInUser();
    const error = (await rejectionOf(h.service.disableAccount(admin.caller, { id: user.profile.id, reason: ' ', until: h.clock.now() }))) as DomainError;
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(error.violations.map((v) => v.field)).toEqual(['reason', 'until']);
    await expect(h.service.authenticate(user.tokens.accessToken)).resolves.toMatchObject({ accountId: user.profile.id });
  });

  it('refuses to disable the last enabled admin, itself included (LAST_ADMIN), and allows it while another admin remains', async () => {
    const first = await h.signedInUser({ admin: true });
    await expectDomainError(h.service.disableAccount(first.caller, { id: first.profile.id, reason: 'leaving' }), 'LAST_ADMIN');
    const second = await h.signedInUser({ admin: true });
    await h.service.disableAccount(second.caller, { id: first.profile.id, reason: 'leaving' });
    // The disabled admin no longer counts: the remaining one can neither be disabled nor demoted.
    await expectDomainError(h.service.disableAccount(second.caller, { id: second.profile.id, reason: 'x' }), 'LAST_ADMIN');
    await expectDomainError(h.service.setRole(second.caller, { id: second.profile.id, role: 'USER' }), 'LAST_ADMIN');
  });

  it('lets only one of two admins disabling each other at once succeed', async () => {
    const [a, b] = [await h.signedInUser({ admin: true }), await h.signedInUser({ admin: true })];
    const results = await Promise.allSettled([
      h.service.disableAccount(a.caller, { id: b.profile.id, reason: 'coup' }),
      h.service.disableAccount(b.caller, { id: a.profile.id, reason: 'coup' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'LAST_ADMIN' } });
  });

  it('a login that was verifying its password while the account was disabled gets no session', async () => {
    const admin = await h.signedInUser({ admin: true });
    const user = await h.signedInUser();
    const login = h.service.login({ login: user.profile.username, password: PASSWORD });
    await h.service.disableAccount(admin.caller, { id: user.profile.id, reason: 'race' });
    await expectDomainError(login, 'ACCOUNT_DISABLED');
    expect(await h.sessions.listForAccount(user.profile.id, h.clock.now())).toEqual([]);
  });

  it('is for admins only, and an unknown id is ACCOUNT_NOT_FOUND', async () => {
    const admin = await h.signedInUser({ admin: true });
    const user = await h.signedInUser();
    await expectDomainError(h.service.disableAccount(user.caller, { id: admin.profile.id, reason: 'x' }), 'PERMISSION_DENIED');
    await expectDomainError(h.service.enableAccount(user.caller, { id: user.profile.id }), 'PERMISSION_DENIED');
    await expectDomainError(h.service.disableAccount(admin.caller, { id: testUuidV7(), reason: 'x' }), 'ACCOUNT_NOT_FOUND');
  });
});
