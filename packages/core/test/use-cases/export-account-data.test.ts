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
