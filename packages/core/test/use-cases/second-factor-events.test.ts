import { beforeEach, describe, expect, it } from 'vitest';
import { TOTP_PERIOD_SECONDS, totpCodeAt, type Caller, type PublicProfile, type SecurityEvent } from '../../src/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, PASSWORD, sharedHasher } from './support/service-harness.support.js';

const hasher = sharedHasher();
const CLIENT = { clientAddress: '198.51.100.7', userAgent: 'Player/1.0' };
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

const shape = (events: SecurityEvent[]) => events.map((e) => [e.type, e.reason]);

describe('security events of second factors, and the session CompleteLogin starts', () => {
  let h: Harness;
  let profile: PublicProfile;
  let caller: Caller;

  beforeEach(async () => {
    h = await Harness.create({ hasher });
    ({ profile, caller } = await h.signedInUser());
  });

  const ticket = async (deviceName?: string) =>
    (await h.service.login({ login: profile.username, password: PASSWORD, ...(deviceName === undefined ? {} : { deviceName }) }, CLIENT)).secondFactor!.ticket;

  it('enrolment writes mfa.enrolled (totp) with the caller’s session and client; a wrong first code writes mfa.failed', async () => {
    const { secret } = await h.service.beginTotpEnrolment(caller, { id: profile.id });
    const wrong = totpCodeAt(secret, new Date(h.clock.now().getTime() + 10 * STEP_MS));
    await expectDomainError(h.service.confirmTotpEnrolment(caller, { id: profile.id, totpCode: wrong }, CLIENT), 'SECOND_FACTOR_INVALID');
    await h.service.confirmTotpEnrolment(caller, { id: profile.id, totpCode: totpCodeAt(secret, h.clock.now()) }, CLIENT);
    const [enrolled, failed] = await h.audit(profile.id);
    expect(enrolled).toMatchObject({ type: 'auth.mfa.enrolled', reason: 'totp', accountId: profile.id, sessionId: caller!.sessionId, ...CLIENT });
    expect(failed).toMatchObject({ type: 'auth.mfa.failed', reason: 'totp', sessionId: caller!.sessionId });
    const outbox = await h.securityOutbox(profile.id);
    expect(outbox.find((e) => e.id === enrolled!.id)).toMatchObject({ topic: 'auth.security', type: 'auth.mfa.enrolled', key: profile.id });
  });

  it('CompleteLogin: a wrong code writes mfa.failed, a recovery code mfa.recovery_code_used, the session login.succeeded (mfa); never a code', async () => {
    const { recoveryCodes } = await h.enrolTotp(caller, profile.id);
    await expectDomainError(h.service.completeLogin({ ticket: await ticket(), totpCode: '000000' }, CLIENT), 'SECOND_FACTOR_INVALID');
    await expectDomainError(h.service.completeLogin({ ticket: await ticket(), recoveryCode: 'AAAA-BBBB-CCCC-DDDD' }, CLIENT), 'SECOND_FACTOR_INVALID');
    const done = await h.service.completeLogin({ ticket: await ticket(), recoveryCode: recoveryCodes[0]! }, CLIENT);
    const session = (await h.service.authenticate(done.tokens.accessToken)).sessionId;
    const events = await h.audit(profile.id);
    expect(shape(events.slice(0, 4))).toEqual([
      ['auth.login.succeeded', 'mfa'],
      ['auth.mfa.recovery_code_used', null],
      ['auth.mfa.failed', 'recovery_code'],
      ['auth.mfa.failed', 'totp'],
    ]);
    expect(events[0]).toMatchObject({ sessionId: session, ...CLIENT });
    expect(events[1]).toMatchObject({ sessionId: null, accountId: profile.id, ...CLIENT });
    const text = JSON.stringify(await h.securityOutbox(profile.id));
    for (const secret of [...recoveryCodes, PASSWORD]) expect(text).not.toContain(secret);
  });

  it('a second-factor check refused by its limit writes mfa.failed (throttled)', async () => {
    await h.enrolTotp(caller, profile.id);
    const t = await ticket();
    for (let i = 0; i < 5; i += 1) await expectDomainError(h.service.completeLogin({ ticket: t, totpCode: '000000' }, CLIENT), 'SECOND_FACTOR_INVALID');
    await expectDomainError(h.service.completeLogin({ ticket: t, totpCode: '000000' }, CLIENT), 'LOGIN_THROTTLED');
    const [latest] = await h.audit(profile.id);
    expect(latest).toMatchObject({ type: 'auth.mfa.failed', reason: 'throttled' });
  });

  it('regenerating the recovery codes writes recovery_codes_regenerated; disabling TOTP writes mfa.removed', async () => {
    const { secret } = await h.enrolTotp(caller, profile.id);
    const { caller: strong } = await h.signInWithTotp(profile.username, secret);
    await h.service.regenerateRecoveryCodes(strong, { id: profile.id, totpCode: h.nextTotpCode(secret) }, CLIENT);
    await h.service.disableTotp(strong, { id: profile.id, password: PASSWORD, totpCode: h.nextTotpCode(secret) }, CLIENT);
    const events = await h.audit(profile.id);
    expect(shape(events.slice(0, 2))).toEqual([
      ['auth.mfa.removed', 'totp'],
      ['auth.mfa.recovery_codes_regenerated', null],
    ]);
    expect(events[0]).toMatchObject({ sessionId: strong!.sessionId, ...CLIENT });
  });

  it('the session CompleteLogin starts has the device fields of a Login’s: this call’s address and agent, Login’s device name', async () => {
    const { secret } = await h.enrolTotp(caller, profile.id);
    const t = await ticket('Studio laptop');
    const done = await h.service.completeLogin({ ticket: t, totpCode: h.nextTotpCode(secret) }, { clientAddress: '203.0.113.5', userAgent: 'Player/2.0 (macOS)\u0007' });
    const me = await h.service.authenticate(done.tokens.accessToken);
    const { sessions } = await h.service.listSessions(me, { id: profile.id });
    expect(sessions.find((s) => s.current)).toMatchObject({ deviceName: 'Studio laptop', clientAddress: '203.0.113.5', userAgent: 'Player/2.0 (macOS)' });
  });
});
