import { beforeEach, describe, expect, it } from 'vitest';
import { deviceFingerprint, networkPrefix, renderMail, DEFAULT_MAIL_SUBJECTS, type UnitOfWork } from '../../src/index.js';
import { signedIn } from '../../src/fixtures/index.js';
import { Harness, PASSWORD, sharedHasher } from './support/service-harness.support.js';

const hasher = sharedHasher();
const PHONE = { clientAddress: '203.0.113.9', userAgent: 'Player/2.0 (iOS 18)' };

describe('new-device notice mail', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher, settings: { notifyNewDevices: true } });
  });

  /** A user with a verified address who signed in once from PHONE (its first device: no mail). */
  async function verifiedUser() {
    const input = h.userInput();
    const profile = await h.service.registerUser(input);
    const first = await signedIn(h.service.login({ login: input.username, password: PASSWORD }, PHONE));
    const caller = await h.service.authenticate(first.tokens.accessToken);
    await h.service.requestEmailVerification(caller, { id: profile.id });
    await h.service.verifyEmail({ token: await h.tokenMailed('verify-email', profile.email) });
    return { profile, login: (client: { clientAddress?: string; userAgent?: string }) => signedIn(h.service.login({ login: input.username, password: PASSWORD }, client)) };
  }
  const notices = async () => (await h.mails()).filter((m) => m.kind === 'new-device');

  it('a sign-in from a device never seen for the account mails its verified address once, with the device, the address and the time', async () => {
    const me = await verifiedUser();
    await me.login(PHONE);
    expect(await notices()).toEqual([]);
    const laptop = { clientAddress: '198.51.100.23', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' };
    await me.login(laptop);
    await me.login(laptop);
    const mails = await notices();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: me.profile.email, accountId: me.profile.id, sealedToken: null, device: laptop, createdAt: h.clock.now() });
    const text = renderMail({ baseUrl: 'https://x.example', productName: 'Tunes', subjects: DEFAULT_MAIL_SUBJECTS }, { kind: 'new-device', username: me.profile.username, token: null, newEmail: null, device: { ...laptop, at: mails[0]!.createdAt }, validForMs: null });
    expect(text.subject).toBe('New sign-in to your account');
    expect(text.text).toContain(laptop.userAgent);
    expect(text.text).toContain(laptop.clientAddress);
    expect(text.html).toContain('198.51.100.23');
  });

  it('the same user agent from another address in the same /24 is the same device; another network or another user agent is new', async () => {
    const me = await verifiedUser();
    await me.login({ ...PHONE, clientAddress: '203.0.113.200' });
    expect(await notices()).toHaveLength(0);
    await me.login({ ...PHONE, clientAddress: '192.0.2.1' });
    await me.login({ ...PHONE, userAgent: 'Player/2.1 (iOS 18)' });
    expect((await notices()).map((m) => m.device)).toEqual([
      { ...PHONE, clientAddress: '192.0.2.1' },
      { ...PHONE, userAgent: 'Player/2.1 (iOS 18)' },
    ]);
  });

  it('the first device of an account, and any device of an unverified address, is remembered without a mail', async () => {
    const input = h.userInput();
    await h.service.registerUser(input);
    await signedIn(h.service.login({ login: input.username, password: PASSWORD }, PHONE));
    await signedIn(h.service.login({ login: input.username, password: PASSWORD }, { clientAddress: '192.0.2.7', userAgent: 'curl/8.5' }));
    expect(await notices()).toEqual([]);
  });

  it('a failed sign-in from a new device mails nothing and does not make the device known', async () => {
    const me = await verifiedUser();
    const tablet = { clientAddress: '192.0.2.50', userAgent: 'Tablet/1.0' };
    await expect(h.service.login({ login: me.profile.username, password: 'not the password' }, tablet)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(await notices()).toEqual([]);
    await me.login(tablet);
    expect(await notices()).toHaveLength(1);
  });

  it('a sign-in completed with a second factor is a sign-in from its device too', async () => {
    const me = await verifiedUser();
    const first = await me.login(PHONE);
    const caller = await h.service.authenticate(first.tokens.accessToken);
    const { secret } = await h.enrolTotp(caller, me.profile.id);
    const laptop = { clientAddress: '198.51.100.23', userAgent: 'Mozilla/5.0' };
    const login = await h.service.login({ login: me.profile.username, password: PASSWORD }, laptop);
    expect(await notices()).toEqual([]);
    await h.service.completeLogin({ ticket: login.secondFactor!.ticket, totpCode: h.nextTotpCode(secret) }, laptop);
    expect((await notices()).map((m) => m.device)).toEqual([laptop]);
    const sessions = await h.service.listSessions(caller, { id: me.profile.id });
    expect(sessions.sessions.map((s) => s.userAgent)).toContain('Mozilla/5.0');
  });

  it('off by default: no device is mailed about', async () => {
    h = await Harness.create({ hasher });
    const me = await verifiedUser();
    await me.login({ clientAddress: '192.0.2.1', userAgent: 'Other/1.0' });
    expect(await notices()).toEqual([]);
  });

  it('a notice that cannot be queued does not fail the sign-in', async () => {
    let failing = false;
    const failures: unknown[] = [];
    h = await Harness.create({
      hasher,
      settings: { notifyNewDevices: true },
      override: (deps) => ({ unitOfWork: failWhile(deps.unitOfWork, () => failing), newDeviceNoticeFailed: (error) => failures.push(error) }),
    });
    const me = await verifiedUser();
    failing = true;
    await expect(me.login({ clientAddress: '192.0.2.1', userAgent: 'Other/1.0' })).resolves.toMatchObject({ tokens: expect.anything() });
    failing = false;
    expect(failures).toHaveLength(1);
  });

  it('network prefixes: IPv4 /24, IPv6 /48 in any spelling, IPv4-mapped IPv6 as IPv4; the fingerprint holds neither agent nor address', () => {
    expect(networkPrefix('203.0.113.9')).toBe('203.0.113.0/24');
    expect(networkPrefix('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(networkPrefix('[2001:0DB8:ABCD:0099:0:0:0:7]')).toBe('2001:db8:abcd::/48');
    expect(networkPrefix('::ffff:203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkPrefix(null)).toBe('none');
    const fingerprint = deviceFingerprint(PHONE);
    expect(fingerprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(deviceFingerprint({ ...PHONE, clientAddress: '203.0.113.10' })).toBe(fingerprint);
    expect(deviceFingerprint({ ...PHONE, clientAddress: '::ffff:203.0.113.10' })).toBe(fingerprint);
    expect(deviceFingerprint({ ...PHONE, clientAddress: '203.0.114.9' })).not.toBe(fingerprint);
  });
});

/** A unit of work that fails while `down()` says so. */
function failWhile(inner: UnitOfWork, down: () => boolean): UnitOfWork {
  return { run: (work) => (down() ? Promise.reject(new Error('database down')) : inner.run(work)) };
}
