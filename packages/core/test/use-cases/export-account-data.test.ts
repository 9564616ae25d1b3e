import { beforeEach, describe, expect, it } from 'vitest';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, PASSWORD, sharedHasher } from './support/service-harness.support.js';

const hasher = sharedHasher();

describe('ExportAccountData', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher, limits: { dataExports: { max: 2, windowMs: 60_000 } } });
  });

  it('gives the account itself its profile and every live session, never the password hash', async () => {
    const me = await h.signedInUser();
    const phone = await h.signIn(me.profile, PASSWORD);
    const data = await h.service.exportAccountData(me.caller, { id: me.profile.id });
    expect(data).toMatchObject({
      format: 'authsvc.account-export/1',
      account: { id: me.profile.id, kind: 'user', username: me.profile.username, email: me.profile.email, disabled: null },
    });
    expect(data.sessions.map((s) => s.session_id).sort()).toEqual([me.caller!.sessionId, phone.caller!.sessionId].sort());
    const text = JSON.stringify(data);
    expect(text).not.toContain('$2');
    expect(text).not.toContain(PASSWORD);
  });

  it('holds the verification state, the second factors without their secret or codes, and the security events without login hashes', async () => {
    const me = await h.signedInUser();
    await h.service.login({ login: me.profile.username, password: 'not the password' }).catch(() => undefined);
    const { secret, recoveryCodes } = await h.enrolTotp(me.caller, me.profile.id);
    const data = await h.service.exportAccountData(me.caller, { id: me.profile.id });
    expect(data.email_verification).toEqual({ verified: false, verified_at: null });
    expect(data.second_factors).toEqual({ totp: { confirmed: true, created_at: expect.any(String), confirmed_at: expect.any(String) }, recovery_codes_left: recoveryCodes.length });
    expect(data.security_events.map((e) => e['type'])).toEqual(expect.arrayContaining(['auth.login.succeeded', 'auth.login.failed']));
    expect(data.security_events.every((e) => !('login_hash' in e))).toBe(true);
    expect(data.account).toMatchObject({ deleted_at: null });
    const text = JSON.stringify(data);
    expect(text).not.toContain(secret);
    for (const code of recoveryCodes) expect(text).not.toContain(code);
  });

  it('lets an admin export any account, shows a disable, and refuses other accounts before any lookup', async () => {
    const admin = await h.signedInUser({ admin: true });
    const user = await h.signedInUser();
    const other = await h.signedInUser();
    await h.service.disableAccount(admin.caller, { id: user.profile.id, reason: 'spam' });
    const data = await h.service.exportAccountData(admin.caller, { id: user.profile.id });
    expect(data.account).toMatchObject({ disabled: { reason: 'spam', until: null } });
    expect(data.sessions).toEqual([]);
    await expectDomainError(h.service.exportAccountData(other.caller, { id: admin.profile.id }), 'PERMISSION_DENIED');
  });

  it('is limited per account whoever asks: RATE_LIMITED past the limit', async () => {
    const admin = await h.signedInUser({ admin: true });
    const user = await h.signedInUser();
    await h.service.exportAccountData(user.caller, { id: user.profile.id });
    await h.service.exportAccountData(admin.caller, { id: user.profile.id });
    await expectDomainError(h.service.exportAccountData(user.caller, { id: user.profile.id }), 'RATE_LIMITED');
    h.clock.advance(60_000);
    await expect(h.service.exportAccountData(user.caller, { id: user.profile.id })).resolves.toBeDefined();
  });
});
