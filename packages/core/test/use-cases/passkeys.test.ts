import { beforeEach, describe, expect, it } from 'vitest';
import type { Caller, PublicProfile } from '../../src/index.js';
import { SoftwareAuthenticator } from '../../src/fixtures/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, PASSWORD, sharedHasher, TEST_ORIGIN } from './support/service-harness.support.js';

const hasher = sharedHasher();

describe('passkeys (WebAuthn) with a software authenticator', () => {
  let h: Harness;
  let profile: PublicProfile;
  let caller: Caller;
  let key: SoftwareAuthenticator;

  beforeEach(async () => {
    h = await Harness.create({ hasher });
    ({ profile, caller } = await h.signedInUser());
    key = new SoftwareAuthenticator({ origin: TEST_ORIGIN });
  });

  const ticket = async () => (await h.service.login({ login: profile.username, password: PASSWORD })).secondFactor!.ticket;
  const passwordless = async (authenticator = key) => {
    const { options } = await h.service.beginPasskeyLogin({});
    return h.service.finishPasskeyLogin({ response: authenticator.get(options) });
  };

  it('registers a discoverable passkey (attestation none) with the first factor’s recovery codes, and lists it', async () => {
    const { options } = await h.service.beginPasskeyRegistration(caller, { id: profile.id });
    const parsed = JSON.parse(options) as { rp: { id: string }; attestation: string; authenticatorSelection: { residentKey: string } };
    expect(parsed).toMatchObject({ rp: { id: 'auth.test' }, attestation: 'none', authenticatorSelection: { residentKey: 'required' } });
    const done = await h.service.finishPasskeyRegistration(caller, { id: profile.id, response: key.create(options), name: 'Laptop' });
    expect(done.credentialId).toBe(key.credentialIds[0]);
    expect(done.recoveryCodes).toHaveLength(10);
    expect(await h.deps.secondFactors.enrolledFactors(profile.id)).toEqual(['passkey', 'recovery_code']);
    const { passkeys } = await h.service.listPasskeys(caller, { id: profile.id });
    expect(passkeys).toEqual([{ credentialId: done.credentialId, name: 'Laptop', deviceType: 'singleDevice', backedUp: false, createdAt: h.clock.now(), lastUsedAt: null }]);
    // A second passkey is no first factor: no new codes; the first is excluded from its options.
    const second = await h.service.beginPasskeyRegistration(caller, { id: profile.id });
    expect(JSON.parse(second.options).excludeCredentials).toEqual([{ id: done.credentialId, type: 'public-key', transports: ['internal'] }]);
    expect((await h.service.finishPasskeyRegistration(caller, { id: profile.id, response: new SoftwareAuthenticator({ origin: TEST_ORIGIN }).create(second.options) })).recoveryCodes).toEqual([]);
  });

  it('takes a registration challenge once, before it expires, for its own account, from a configured origin', async () => {
    const { options } = await h.service.beginPasskeyRegistration(caller, { id: profile.id });
    const response = key.create(options);
    await h.service.finishPasskeyRegistration(caller, { id: profile.id, response });
    await expectDomainError(h.service.finishPasskeyRegistration(caller, { id: profile.id, response }), 'SECOND_FACTOR_INVALID');

    const late = await h.service.beginPasskeyRegistration(caller, { id: profile.id });
    h.clock.advance(5 * 60_000);
    await expectDomainError(h.service.finishPasskeyRegistration(caller, { id: profile.id, response: key.create(late.options) }), 'SECOND_FACTOR_INVALID');

    const phishing = await h.service.beginPasskeyRegistration(caller, { id: profile.id });
    const elsewhere = new SoftwareAuthenticator({ origin: 'https://auth.test.evil.example' });
    await expectDomainError(h.service.finishPasskeyRegistration(caller, { id: profile.id, response: elsewhere.create(phishing.options) }), 'SECOND_FACTOR_INVALID');

    const other = await h.signedInUser();
    const theirs = await h.service.beginPasskeyRegistration(other.caller, { id: other.profile.id });
    await expectDomainError(h.service.finishPasskeyRegistration(caller, { id: profile.id, response: key.create(theirs.options) }), 'SECOND_FACTOR_INVALID');
    expect((await h.service.listPasskeys(caller, { id: profile.id })).passkeys).toHaveLength(1);
  });

  it('names the field of a malformed response', async () => {
    await expectDomainError(h.service.finishPasskeyRegistration(caller, { id: profile.id, response: 'not json' }), 'VALIDATION_FAILED');
    await expectDomainError(h.service.finishPasskeyLogin({ response: '{"id":1}' }), 'VALIDATION_FAILED');
    await expectDomainError(h.service.completeLogin({ ticket: 'x', passkeyAssertion: '[]' }), 'VALIDATION_FAILED');
  });

  it('serves as the second factor of CompleteLogin: amr pwd + hwk, the assertion single use', async () => {
    await h.enrolPasskey(caller, profile.id, key);
    const login = await h.service.login({ login: profile.username, password: PASSWORD });
    expect(login.secondFactor!.factors).toEqual(['passkey', 'recovery_code']);
    const { options } = await h.service.beginPasskeyLogin({ ticket: login.secondFactor!.ticket });
    expect(JSON.parse(options).allowCredentials).toEqual([{ id: key.credentialIds[0], type: 'public-key', transports: ['internal'] }]);
    const assertion = key.get(options);
    const done = await h.service.completeLogin({ ticket: login.secondFactor!.ticket, passkeyAssertion: assertion });
    const me = await h.service.authenticate(done.tokens.accessToken);
    expect(me.amr).toEqual(['pwd', 'hwk', 'mfa']);
    await expectDomainError(h.service.completeLogin({ ticket: await ticket(), passkeyAssertion: assertion }), 'SECOND_FACTOR_INVALID');
  });

  it('refuses another account’s passkey as the second factor, and options for a bad ticket', async () => {
    await h.enrolPasskey(caller, profile.id, key);
    const other = await h.signedInUser();
    const theirKey = new SoftwareAuthenticator({ origin: TEST_ORIGIN });
    await h.enrolPasskey(other.caller, other.profile.id, theirKey);
    const mine = await ticket();
    const { options } = await h.service.beginPasskeyLogin({ ticket: mine });
    // Their key answering my challenge (as if the options had allowed it).
    const forged = theirKey.get(JSON.stringify({ ...JSON.parse(options), allowCredentials: [] }));
    await expectDomainError(h.service.completeLogin({ ticket: mine, passkeyAssertion: forged }), 'SECOND_FACTOR_INVALID');
    await expectDomainError(h.service.beginPasskeyLogin({ ticket: 'no-such-ticket' }), 'MFA_TICKET_INVALID');
  });

  it('signs in without a password with a discoverable passkey: amr swk for a synced one, the session’s device recorded', async () => {
    const synced = new SoftwareAuthenticator({ origin: TEST_ORIGIN, backedUp: true, counter: false });
    await h.enrolPasskey(caller, profile.id, synced);
    const { options } = await h.service.beginPasskeyLogin({});
    expect(JSON.parse(options)).toMatchObject({ userVerification: 'required', allowCredentials: [] });
    const done = await h.service.finishPasskeyLogin({ response: synced.get(options), deviceName: 'Phone' }, { clientAddress: '203.0.113.8', userAgent: 'Browser/1' });
    expect(done.accountId).toBe(profile.id);
    const me = await h.service.authenticate(done.tokens.accessToken);
    expect(me.amr).toEqual(['swk']);
    const { sessions } = await h.service.listSessions(me, { id: profile.id });
    expect(sessions.find((s) => s.current)).toMatchObject({ deviceName: 'Phone', clientAddress: '203.0.113.8', userAgent: 'Browser/1' });
    // A key with no counter signs in again at 0.
    await passwordless(synced);
  });

  it('refuses a passwordless assertion without user verification, a cloned key (counter not moving) and a disabled account', async () => {
    const unverified = new SoftwareAuthenticator({ origin: TEST_ORIGIN, userVerified: false });
    await h.enrolPasskey(caller, profile.id, unverified);
    await expectDomainError(passwordless(unverified), 'SECOND_FACTOR_INVALID');

    await h.enrolPasskey(caller, profile.id, key);
    const { options } = await h.service.beginPasskeyLogin({});
    const first = key.get(options, key.credentialIds[0]);
    const again = await h.service.beginPasskeyLogin({});
    const second = key.get(again.options, key.credentialIds[0]);
    await h.service.finishPasskeyLogin({ response: second });
    // The older assertion carries a lower counter: a clone of the key would look like this.
    await expectDomainError(h.service.finishPasskeyLogin({ response: first }), 'SECOND_FACTOR_INVALID');

    const admin = await h.signedInUser({ admin: true });
    await h.service.disableAccount(admin.caller, { id: profile.id, reason: 'test' });
    await expectDomainError(passwordless(), 'ACCOUNT_DISABLED');
  });

  it('satisfies the role policy: an admin that enrolled a passkey signs in with it and acts as admin', async () => {
    const strict = await Harness.create({ hasher, settings: { mfaRequiredForRoles: ['ADMIN'] } });
    const admin = await strict.signedInUser({ admin: true });
    expect(admin.caller!.mfaEnrolmentRequired).toBe(true);
    await strict.enrolPasskey(admin.caller, admin.profile.id, key);
    const { options } = await strict.service.beginPasskeyLogin({});
    const done = await strict.service.finishPasskeyLogin({ response: key.get(options) });
    const me = await strict.service.authenticate(done.tokens.accessToken);
    expect(me.mfaEnrolmentRequired).toBeUndefined();
    await strict.service.searchAccounts(me, {});
  });

  it('removes a passkey after a recent sign-in with a factor; the last one takes the recovery codes with it', async () => {
    const { credentialId } = await h.enrolPasskey(caller, profile.id, key);
    await expectDomainError(h.service.removePasskey(caller, { id: profile.id, credentialId }), 'REAUTHENTICATION_REQUIRED');
    const strong = await h.service.authenticate((await passwordless()).tokens.accessToken);
    await expectDomainError(h.service.removePasskey(strong, { id: profile.id, credentialId: 'unknown' }), 'PASSKEY_NOT_FOUND');
    await h.service.removePasskey(strong, { id: profile.id, credentialId });
    expect((await h.service.listPasskeys(strong, { id: profile.id })).passkeys).toEqual([]);
    expect(await h.deps.secondFactors.enrolledFactors(profile.id)).toEqual([]);
    const events = await h.audit(profile.id);
    expect(events.filter((e) => e.type.startsWith('auth.mfa.')).map((e) => [e.type, e.reason])).toEqual([
      ['auth.mfa.removed', 'passkey'],
      ['auth.mfa.enrolled', 'passkey'],
    ]);
  });

  it('counts sign-in challenges per client address (anyone may ask, each is stored)', async () => {
    const limited = await Harness.create({ hasher, limits: { passkeyChallengesPerAddress: { max: 2, windowMs: 60_000 } } });
    const from = { clientAddress: '198.51.100.9' };
    await limited.service.beginPasskeyLogin({}, from);
    await limited.service.beginPasskeyLogin({}, from);
    await expectDomainError(limited.service.beginPasskeyLogin({}, from), 'RATE_LIMITED');
    await limited.service.beginPasskeyLogin({}, { clientAddress: '198.51.100.10' });
  });

  it('answers PASSKEYS_NOT_CONFIGURED without a relying party', async () => {
    const off = await Harness.create({ hasher, settings: { passkeys: undefined } });
    const { caller: c, profile: p } = await off.signedInUser();
    await expectDomainError(off.service.beginPasskeyRegistration(c, { id: p.id }), 'PASSKEYS_NOT_CONFIGURED');
    await expectDomainError(off.service.beginPasskeyLogin({}), 'PASSKEYS_NOT_CONFIGURED');
  });
});
