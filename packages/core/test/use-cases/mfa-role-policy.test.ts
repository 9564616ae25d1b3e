import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_AUTH_SERVICE_OPTIONS, createAuthService, type Caller, type PublicProfile } from '../../src/index.js';
import { signedIn } from '../../src/fixtures/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, PASSWORD, sharedHasher } from './support/service-harness.support.js';

const hasher = sharedHasher();

describe('role policy: a second factor required for ADMIN', () => {
  let h: Harness;
  let admin: PublicProfile;
  let caller: Caller;

  beforeEach(async () => {
    h = await Harness.create({ hasher, settings: { mfaRequiredForRoles: ['ADMIN'] } });
    ({ profile: admin, caller } = await h.signedInUser({ admin: true }));
  });

  it('is on for ADMIN by default', () => {
    expect(DEFAULT_AUTH_SERVICE_OPTIONS.mfaRequiredForRoles).toEqual(['ADMIN']);
  });

  it('lets an admin without a factor sign in, with a token marked for enrolment only', async () => {
    expect(caller).toMatchObject({ accountId: admin.id, role: 'ADMIN', amr: ['pwd'], mfaEnrolmentRequired: true });
  });

  it('refuses every other operation with MFA_ENROLMENT_REQUIRED, admin operations and ValidateToken included', async () => {
    const { profile: user } = await h.signedInUser();
    await expectDomainError(h.service.searchAccounts(caller, {}), 'MFA_ENROLMENT_REQUIRED');
    await expectDomainError(h.service.setRole(caller, { id: user.id, role: 'ARTIST' }), 'MFA_ENROLMENT_REQUIRED');
    await expectDomainError(h.service.getUser(caller, { id: user.id }), 'MFA_ENROLMENT_REQUIRED');
    await expectDomainError(h.service.updateUser(caller, { id: admin.id, country: 'FR' }), 'MFA_ENROLMENT_REQUIRED');
    await expectDomainError(h.service.listSessions(caller, { id: admin.id }), 'MFA_ENROLMENT_REQUIRED');
    const login = await signedIn(h.service.login({ login: admin.username, password: PASSWORD }));
    await expectDomainError(h.service.validateToken({ accessToken: login.tokens.accessToken }), 'MFA_ENROLMENT_REQUIRED');
    // Nothing changed meanwhile.
    expect((await h.deps.accounts.findById(user.id))!.role).toBe('USER');
  });

  it('allows reading its own profile and enrolling TOTP; the sign-in with it then lifts the restriction', async () => {
    expect((await h.service.getUser(caller, { id: admin.id })).username).toBe(admin.username);
    const { secret } = await h.enrolTotp(caller, admin.id);
    // The session that enrolled is still a password sign-in: still restricted.
    await expectDomainError(h.service.searchAccounts(caller, {}), 'MFA_ENROLMENT_REQUIRED');
    const { caller: full, tokens } = await h.signInWithTotp(admin.username, secret);
    expect(full).toMatchObject({ amr: ['pwd', 'otp', 'mfa'] });
    expect(full!.mfaEnrolmentRequired).toBeUndefined();
    await h.service.searchAccounts(full, {});
    expect((await h.service.validateToken({ accessToken: tokens.accessToken })).role).toBe('ADMIN');
  });

  it('keeps the restriction across a refresh (the session signed in without a factor)', async () => {
    const login = await signedIn(h.service.login({ login: admin.username, password: PASSWORD }));
    const refreshed = await h.service.refreshToken({ refreshToken: login.tokens.refreshToken });
    const again = await h.service.authenticate(refreshed.accessToken);
    expect(again.mfaEnrolmentRequired).toBe(true);
    await expectDomainError(h.service.searchAccounts(again, {}), 'MFA_ENROLMENT_REQUIRED');
  });

  it('does not restrict roles outside the policy', async () => {
    const { caller: user } = await h.signedInUser();
    expect(user!.mfaEnrolmentRequired).toBeUndefined();
    await h.service.listSessions(user, { id: user!.accountId });
  });

  it('is off with an empty list: an admin signs in with a password alone, as before', async () => {
    const off = await Harness.create({ hasher, settings: { mfaRequiredForRoles: [] } });
    const { caller: plain } = await off.signedInUser({ admin: true });
    expect(plain!.mfaEnrolmentRequired).toBeUndefined();
    await off.service.searchAccounts(plain, {});
  });

  it('waits while no factor can be enrolled (no TOTP keys, no relying party) rather than lock admins out', async () => {
    const bare = await Harness.create({ hasher, settings: { mfaRequiredForRoles: ['ADMIN'], secretBox: undefined, passkeys: undefined } });
    const { caller: plain } = await bare.signedInUser({ admin: true });
    expect(plain!.mfaEnrolmentRequired).toBeUndefined();
    await bare.service.searchAccounts(plain, {});
  });

  it('refuses a policy naming an unknown role', () => {
    expect(() => createAuthService(h.deps, { refreshTokenSecret: new Uint8Array(32), mfaRequiredForRoles: ['ROOT' as 'ADMIN'] })).toThrow(/not a role/);
  });
});
