import { beforeEach, describe, expect, it } from 'vitest';
import type { Caller, PublicProfile } from '../../src/index.js';
import { SoftwareAuthenticator } from '../../src/fixtures/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, PASSWORD, sharedHasher, TEST_ORIGIN } from './support/service-harness.support.js';

const hasher = sharedHasher();

describe('ResetSecondFactors: an admin brings back an account that lost its factors', () => {
  let h: Harness;
  let admin: Caller;
  let profile: PublicProfile;
  let caller: Caller;

  beforeEach(async () => {
    h = await Harness.create({ hasher });
    admin = (await h.signedInUser({ admin: true })).caller;
    ({ profile, caller } = await h.signedInUser());
  });

  it('removes the TOTP, every passkey and the recovery codes, ends the sessions; the password alone signs in again', async () => {
    const { secret } = await h.enrolTotp(caller, profile.id);
    const { caller: strong, tokens: strongTokens } = await h.signInWithTotp(profile.username, secret);
    for (const name of ['Laptop', 'Phone']) {
      const { options } = await h.service.beginPasskeyRegistration(strong, { id: profile.id });
      await h.service.finishPasskeyRegistration(strong, { id: profile.id, response: new SoftwareAuthenticator({ origin: TEST_ORIGIN }).create(options), name });
    }
    expect(await h.deps.secondFactors.enrolledFactors(profile.id)).toEqual(['totp', 'passkey', 'recovery_code']);

    const reset = await h.service.resetSecondFactors(admin, { id: profile.id });
    expect(reset).toEqual({ removed: ['totp', 'passkey', 'recovery_code'], sessionsRevoked: 2 });
    expect(await h.deps.secondFactors.enrolledFactors(profile.id)).toEqual([]);
    expect(await h.deps.secondFactors.passkeysOf(profile.id)).toEqual([]);
    expect(await h.deps.secondFactors.recoveryCodesLeft(profile.id)).toBe(0);
    await expectDomainError(h.service.authenticate(strongTokens.accessToken), 'SESSION_REVOKED');
    const login = await h.service.login({ login: profile.username, password: PASSWORD });
    expect(login.tokens).toBeDefined();
    expect(login.secondFactor).toBeUndefined();

    const audit = await h.audit(profile.id);
    const resetEvents = audit.slice(1, 5).map((e) => [e.type, e.reason]);
    expect(resetEvents).toEqual([
      ['auth.session.revoked', 'admin'],
      ['auth.mfa.removed', 'recovery_code'],
      ['auth.mfa.removed', 'passkey'],
      ['auth.mfa.removed', 'totp'],
    ]);
  });

  it('is idempotent: a second run removes nothing and says so; recovery codes alone are removed too', async () => {
    await h.deps.secondFactors.replaceRecoveryCodes(profile.id, ['h1', 'h2'], h.clock.now());
    expect(await h.service.resetSecondFactors(admin, { id: profile.id })).toEqual({ removed: ['recovery_code'], sessionsRevoked: 1 });
    expect(await h.deps.secondFactors.recoveryCodesLeft(profile.id)).toBe(0);
    expect(await h.service.resetSecondFactors(admin, { id: profile.id })).toEqual({ removed: [], sessionsRevoked: 0 });
  });

  it('a pending TOTP enrolment goes too but is not reported as a factor', async () => {
    await h.service.beginTotpEnrolment(caller, { id: profile.id });
    expect((await h.service.resetSecondFactors(admin, { id: profile.id })).removed).toEqual([]);
    expect(await h.deps.secondFactors.totpOf(profile.id)).toBeNull();
  });

  it('is for admins only: the account itself is refused (it removes its factors with step-up); unknown ids are NOT_FOUND', async () => {
    await expectDomainError(h.service.resetSecondFactors(caller, { id: profile.id }), 'PERMISSION_DENIED');
    await expectDomainError(h.service.resetSecondFactors(null, { id: profile.id }), 'UNAUTHENTICATED');
    await expectDomainError(h.service.resetSecondFactors(admin, { id: '0190a6a0-0000-7000-8000-000000000000' }), 'ACCOUNT_NOT_FOUND');
  });
});
