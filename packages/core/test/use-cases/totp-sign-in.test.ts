import { beforeEach, describe, expect, it } from 'vitest';
import { InMemorySecondFactorStore, SecretBox, TOTP_PERIOD_SECONDS, totpCodeAt, type Caller, type PublicProfile, type SecondFactorStore } from '../../src/index.js';
import { signedIn } from '../../src/fixtures/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, PASSWORD, sharedHasher } from './support/service-harness.support.js';

const hasher = sharedHasher();
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

describe('TOTP, recovery codes and the MFA ticket', () => {
  let h: Harness;
  let factors: SecondFactorStore;
  let profile: PublicProfile;
  let caller: Caller;

  beforeEach(async () => {
    factors = new InMemorySecondFactorStore();
    h = await Harness.create({ hasher, override: () => ({ secondFactors: factors }) });
    ({ profile, caller } = await h.signedInUser());
  });

  const login = () => h.service.login({ login: profile.username, password: PASSWORD });

  it('enrols with a first code: the secret comes with an otpauth URI, ten distinct recovery codes are issued once', async () => {
    const begun = await h.service.beginTotpEnrolment(caller, { id: profile.id });
    expect(begun.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(begun.uri).toContain(`otpauth://totp/authsvc:${profile.username}?`);
    expect(begun.uri).toContain(`secret=${begun.secret}`);
    const { recoveryCodes } = await h.service.confirmTotpEnrolment(caller, { id: profile.id, totpCode: totpCodeAt(begun.secret, h.clock.now()) });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    expect(await factors.enrolledFactors(profile.id)).toEqual(['totp', 'recovery_code']);
  });

  it('keeps the secret sealed at rest, bound to its account', async () => {
    const { secret } = await h.enrolTotp(caller, profile.id);
    const stored = (await factors.totpOf(profile.id))!;
    expect(stored.sealedSecret).not.toContain(secret);
    expect(stored.sealedSecret.startsWith('v1.test.')).toBe(true);
    const box = new SecretBox([{ id: 'test', key: new Uint8Array(32).fill(7) }]);
    expect(box.open(stored.sealedSecret, profile.id)).toBe(secret);
    expect(() => box.open(stored.sealedSecret, 'another-account')).toThrow();
  });

  it('refuses a wrong first code (enrolment stays pending) and a confirmation without enrolment', async () => {
    await expectDomainError(h.service.confirmTotpEnrolment(caller, { id: profile.id, totpCode: '123456' }), 'SECOND_FACTOR_NOT_ENROLLED');
    const { secret } = await h.service.beginTotpEnrolment(caller, { id: profile.id });
    const wrong = totpCodeAt(secret, new Date(h.clock.now().getTime() + 10 * STEP_MS));
    await expectDomainError(h.service.confirmTotpEnrolment(caller, { id: profile.id, totpCode: wrong }), 'SECOND_FACTOR_INVALID');
    expect(await factors.enrolledFactors(profile.id)).toEqual([]);
    await signedIn(login());
  });

  it('refuses a second enrolment while one is enabled', async () => {
    await h.enrolTotp(caller, profile.id);
    await expectDomainError(h.service.beginTotpEnrolment(caller, { id: profile.id }), 'TOTP_ALREADY_ENABLED');
  });

  it('makes Login return a ticket and the factors instead of tokens, and CompleteLogin return the pair with amr and auth_time', async () => {
    const { secret } = await h.enrolTotp(caller, profile.id);
    const first = await login();
    expect(first.tokens).toBeUndefined();
    expect(first.secondFactor?.factors).toEqual(['totp', 'recovery_code']);
    expect(first.secondFactor?.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.secondFactor!.expiresAt.getTime() - h.clock.now().getTime()).toBe(5 * 60_000);

    const code = h.nextTotpCode(secret);
    const done = await h.service.completeLogin({ ticket: first.secondFactor!.ticket, totpCode: code });
    expect(done).toMatchObject({ accountId: profile.id, username: profile.username, role: 'USER' });
    const claims = await h.service.validateToken({ accessToken: done.tokens.accessToken });
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(Math.floor(claims.authTime.getTime() / 1000)).toBe(Math.floor(h.clock.now().getTime() / 1000));

    // A refreshed pair keeps how the session was signed in.
    const signedInAt = claims.authTime;
    h.clock.advance(60_000);
    const refreshed = await h.service.refreshToken({ refreshToken: done.tokens.refreshToken });
    const later = await h.service.validateToken({ accessToken: refreshed.accessToken });
    expect(later.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(later.authTime).toEqual(signedInAt);
  });

  it('gives a password-only sign-in amr [pwd] and its time as auth_time, through refreshes too', async () => {
    const { tokens } = await signedIn(login());
    const at = h.clock.now();
    expect(await h.service.validateToken({ accessToken: tokens.accessToken })).toMatchObject({ amr: ['pwd'] });
    h.clock.advance(120_000);
    const refreshed = await h.service.refreshToken({ refreshToken: tokens.refreshToken });
    const claims = await h.service.validateToken({ accessToken: refreshed.accessToken });
    expect(claims.amr).toEqual(['pwd']);
    expect(Math.floor(claims.authTime.getTime() / 1000)).toBe(Math.floor(at.getTime() / 1000));
  });

  it('accepts a TOTP code once: the same code (or an earlier step) is refused afterwards, the enrolment code included', async () => {
    const { secret } = await h.enrolTotp(caller, profile.id);
    const enrolmentCode = totpCodeAt(secret, h.clock.now());
    await expectDomainError(h.service.completeLogin({ ticket: (await login()).secondFactor!.ticket, totpCode: enrolmentCode }), 'SECOND_FACTOR_INVALID');

    const code = h.nextTotpCode(secret);
    await h.service.completeLogin({ ticket: (await login()).secondFactor!.ticket, totpCode: code });
    await expectDomainError(h.service.completeLogin({ ticket: (await login()).secondFactor!.ticket, totpCode: code }), 'SECOND_FACTOR_INVALID');
  });

  it('lets only one of two concurrent completions with the same code through', async () => {
    const { secret } = await h.enrolTotp(caller, profile.id);
    const code = h.nextTotpCode(secret);
    const tickets = [(await login()).secondFactor!.ticket, (await login()).secondFactor!.ticket];
    const results = await Promise.allSettled(tickets.map((ticket) => h.service.completeLogin({ ticket, totpCode: code })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'SECOND_FACTOR_INVALID' } });
  });

  it('tolerates one step of clock drift either way, not two', async () => {
    const { secret } = await h.enrolTotp(caller, profile.id);
    h.clock.advance(10 * STEP_MS);
    const at = (steps: number) => totpCodeAt(secret, new Date(h.clock.now().getTime() + steps * STEP_MS));
    // Steps are accepted in increasing order only, so the oldest first.
    await expectDomainError(h.service.completeLogin({ ticket: (await login()).secondFactor!.ticket, totpCode: at(-2) }), 'SECOND_FACTOR_INVALID');
    await h.service.completeLogin({ ticket: (await login()).secondFactor!.ticket, totpCode: at(-1) });
    await h.service.completeLogin({ ticket: (await login()).secondFactor!.ticket, totpCode: at(1) });
    await expectDomainError(h.service.completeLogin({ ticket: (await login()).secondFactor!.ticket, totpCode: at(2) }), 'SECOND_FACTOR_INVALID');
  });

  it('uses a ticket once, and not after it expired or the password changed', async () => {
    const { secret } = await h.enrolTotp(caller, profile.id);
    const { ticket } = (await login()).secondFactor!;
    await h.service.completeLogin({ ticket, totpCode: h.nextTotpCode(secret) });
    await expectDomainError(h.service.completeLogin({ ticket, totpCode: h.nextTotpCode(secret) }), 'MFA_TICKET_INVALID');

    const late = (await login()).secondFactor!.ticket;
    h.clock.advance(5 * 60_000);
    await expectDomainError(h.service.completeLogin({ ticket: late, totpCode: h.nextTotpCode(secret) }), 'MFA_TICKET_INVALID');

    const stale = (await login()).secondFactor!.ticket;
    const fresh = await h.service.completeLogin({ ticket: (await login()).secondFactor!.ticket, totpCode: h.nextTotpCode(secret) });
    const me = await h.service.authenticate(fresh.tokens.accessToken);
    await h.service.changePassword(me, { id: profile.id, oldPassword: PASSWORD, newPassword: 'a brand new pass phrase' });
    await expectDomainError(h.service.completeLogin({ ticket: stale, totpCode: h.nextTotpCode(secret) }), 'MFA_TICKET_INVALID');
    await expectDomainError(h.service.completeLogin({ ticket: 'x'.repeat(43), totpCode: '123456' }), 'MFA_TICKET_INVALID');
  });

  it('throttles wrong codes per account: after five, even the right code is refused until the window ends', async () => {
    const { secret } = await h.enrolTotp(caller, profile.id);
    for (let i = 0; i < 5; i += 1) {
      // Fresh tickets give no fresh guesses: the count is the account's.
      await expectDomainError(h.service.completeLogin({ ticket: (await login()).secondFactor!.ticket, totpCode: '000000' }), 'SECOND_FACTOR_INVALID');
    }
    const { ticket } = (await login()).secondFactor!;
    await expectDomainError(h.service.completeLogin({ ticket, totpCode: h.nextTotpCode(secret) }), 'LOGIN_THROTTLED');
    h.clock.advance(15 * 60_000);
    const code = h.nextTotpCode(secret);
    await h.service.completeLogin({ ticket: (await login()).secondFactor!.ticket, totpCode: code });
  });

  it('accepts each recovery code once, in any case and grouping, and regeneration kills the old ones', async () => {
    const { secret, recoveryCodes } = await h.enrolTotp(caller, profile.id);
    const [first, second] = recoveryCodes as [string, string];
    const typed = first.toLowerCase().replace(/-/g, ' ');
    const done = await h.service.completeLogin({ ticket: (await login()).secondFactor!.ticket, recoveryCode: typed });
    expect((await h.service.validateToken({ accessToken: done.tokens.accessToken })).amr).toEqual(['pwd', 'otp', 'mfa']);
    await expectDomainError(h.service.completeLogin({ ticket: (await login()).secondFactor!.ticket, recoveryCode: first }), 'SECOND_FACTOR_INVALID');
    expect(await factors.recoveryCodesLeft(profile.id)).toBe(9);

    const renewed = await h.service.regenerateRecoveryCodes(caller, { id: profile.id, totpCode: h.nextTotpCode(secret) });
    expect(renewed.recoveryCodes).toHaveLength(10);
    expect(renewed.recoveryCodes).not.toContain(second);
    await expectDomainError(h.service.completeLogin({ ticket: (await login()).secondFactor!.ticket, recoveryCode: second }), 'SECOND_FACTOR_INVALID');
    await h.service.completeLogin({ ticket: (await login()).secondFactor!.ticket, recoveryCode: renewed.recoveryCodes[0]! });
  });

  it('refuses recovery codes to regenerate when the account has no factor', async () => {
    await expectDomainError(h.service.regenerateRecoveryCodes(caller, { id: profile.id, totpCode: '123456' }), 'SECOND_FACTOR_NOT_ENROLLED');
  });

  it('disables TOTP only with the password and a code; afterwards Login returns tokens and the recovery codes are gone', async () => {
    const { secret, recoveryCodes } = await h.enrolTotp(caller, profile.id);
    caller = (await h.signInWithTotp(profile.username, secret)).caller;
    await expectDomainError(h.service.disableTotp(caller, { id: profile.id, password: 'not my password', totpCode: h.nextTotpCode(secret) }), 'INVALID_CREDENTIALS');
    await expectDomainError(h.service.disableTotp(caller, { id: profile.id, password: PASSWORD, totpCode: '000000' }), 'SECOND_FACTOR_INVALID');
    await h.service.disableTotp(caller, { id: profile.id, password: PASSWORD, recoveryCode: recoveryCodes[0]! });
    expect(await factors.enrolledFactors(profile.id)).toEqual([]);
    expect(await factors.recoveryCodesLeft(profile.id)).toBe(0);
    await signedIn(login());
    await expectDomainError(h.service.disableTotp(caller, { id: profile.id, password: PASSWORD, totpCode: '123456' }), 'SECOND_FACTOR_NOT_ENROLLED');
  });

  it('names the field when a proof is missing, doubled or malformed', async () => {
    const ticket = 'x'.repeat(43);
    for (const input of [{ ticket }, { ticket, totpCode: '123456', recoveryCode: 'ABCD' }, { ticket, totpCode: '12345a' }]) {
      await expect(h.service.completeLogin(input)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ field: 'totp_code' }] });
    }
    await expect(h.service.completeLogin({ ticket: '', totpCode: '123456' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ field: 'ticket' }] });
  });
});

describe('step-up: ChangePassword and DisableTotp on an account with a second factor', () => {
  let h: Harness;
  let profile: PublicProfile;
  let caller: Caller;
  let secret: string;

  beforeEach(async () => {
    h = await Harness.create({ hasher });
    ({ profile, caller } = await h.signedInUser());
    ({ secret } = await h.enrolTotp(caller, profile.id));
  });

  const changePassword = (who: Caller) => h.service.changePassword(who, { id: profile.id, oldPassword: PASSWORD, newPassword: 'another good pass phrase' });

  it('refuses a token of a password-only sign-in with REAUTHENTICATION_REQUIRED, and changes nothing', async () => {
    await expectDomainError(changePassword(caller), 'REAUTHENTICATION_REQUIRED');
    await expectDomainError(h.service.disableTotp(caller, { id: profile.id, password: PASSWORD, totpCode: h.nextTotpCode(secret) }), 'REAUTHENTICATION_REQUIRED');
    expect((await h.service.login({ login: profile.username, password: PASSWORD })).secondFactor).toBeDefined();
  });

  it('accepts a sign-in with the factor within the window (10 minutes by default), and refuses it once older', async () => {
    const fresh = await h.signInWithTotp(profile.username, secret);
    // auth_time is in whole seconds: a second short of the window.
    h.clock.advance(10 * 60_000 - 1000);
    await changePassword(fresh.caller);

    const stale = await h.signInWithTotp(profile.username, secret, 'another good pass phrase');
    h.clock.advance(10 * 60_000 + 1000);
    // Refreshing keeps auth_time: a refreshed token is not a new sign-in.
    const refreshed = await h.service.refreshToken({ refreshToken: stale.tokens.refreshToken });
    const caller = await h.service.authenticate(refreshed.accessToken);
    await expectDomainError(h.service.disableTotp(caller, { id: profile.id, password: 'another good pass phrase', totpCode: h.nextTotpCode(secret) }), 'REAUTHENTICATION_REQUIRED');
  });

  it('asks nothing more of an account without a second factor', async () => {
    const other = await h.signedInUser();
    await h.service.changePassword(other.caller, { id: other.profile.id, oldPassword: PASSWORD, newPassword: 'another good pass phrase' });
  });
});

describe('SecretBox', () => {
  const keyA = { id: 'a', key: new Uint8Array(32).fill(1) };
  const keyB = { id: 'b', key: new Uint8Array(32).fill(2) };

  it('seals under the first key and opens with any configured key: rotation keeps old secrets readable', () => {
    const sealedByA = new SecretBox([keyA]).seal('JBSWY3DPEHPK3PXP', 'acc');
    const rotated = new SecretBox([keyB, keyA]);
    expect(rotated.open(sealedByA, 'acc')).toBe('JBSWY3DPEHPK3PXP');
    expect(SecretBox.keyIdOf(rotated.seal('x', 'acc'))).toBe('b');
    expect(() => new SecretBox([keyB]).open(sealedByA, 'acc')).toThrow(/key "a" is not configured/);
  });

  it('refuses a tampered ciphertext and bad key sets', () => {
    const box = new SecretBox([keyA]);
    const parts = box.seal('secret', 'acc').split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'), 'acc')).toThrow();
    expect(() => new SecretBox([])).toThrow(RangeError);
    expect(() => new SecretBox([{ id: 'short', key: new Uint8Array(16) }])).toThrow(RangeError);
    expect(() => new SecretBox([keyA, { ...keyB, id: 'a' }])).toThrow(RangeError);
  });
});
