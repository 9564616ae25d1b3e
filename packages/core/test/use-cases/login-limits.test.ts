import { beforeEach, describe, expect, it } from 'vitest';
import { DomainError, type PasswordHasher, type PublicProfile } from '../../src/index.js';
import { rejectionOf } from '../../src/fixtures/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, ObservedHasher, PASSWORD, sharedHasher } from './support/service-harness.support.js';

const hasher = sharedHasher();
const WINDOW_MS = 60_000;
const PER_ADDRESS = 5;
const ATTACKER = '203.0.113.7';
const OWNER = '198.51.100.20';

/** The outcome of a call as a client sees it: the code and message of the error, or OK. */
async function outcome(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (error === null) return 'OK';
  return error instanceof DomainError ? `${error.code}: ${error.message}` : `unexpected ${String(error)}`;
}

describe('login limits: counted before the hash, per login name and client address', () => {
  let h: Harness;
  let observed: ObservedHasher;
  let victim: PublicProfile;
  beforeEach(async () => {
    observed = new ObservedHasher(hasher);
    h = await Harness.create({
      hasher: observed,
      limits: {
        loginPerAddress: { max: PER_ADDRESS, windowMs: WINDOW_MS },
        loginPerName: { max: 3 * PER_ADDRESS, windowMs: WINDOW_MS },
        failedLoginsPerAddress: { max: 12, windowMs: WINDOW_MS },
      },
    });
    victim = await h.service.registerUser(h.userInput());
  });

  const guess = (login: string, clientAddress?: string, password = 'wrong password') =>
    h.service.login({ login, password }, clientAddress === undefined ? {} : { clientAddress });

  it('200 concurrent wrong guesses at one account verify at most the limit; every other is refused unverified', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, () => outcome(guess(victim.username, ATTACKER))));
    expect(observed.verifiedAgainst).toHaveLength(PER_ADDRESS);
    expect(results.filter((r) => r.startsWith('INVALID_CREDENTIALS'))).toHaveLength(PER_ADDRESS);
    expect(results.filter((r) => r.startsWith('LOGIN_THROTTLED'))).toHaveLength(200 - PER_ADDRESS);
  });

  it('200 concurrent wrong guesses without a client address (an embedding app) verify at most the limit too', async () => {
    await Promise.all(Array.from({ length: 200 }, () => outcome(guess(victim.email))));
    expect(observed.verifiedAgainst).toHaveLength(PER_ADDRESS);
  });

  it('50 concurrent wrong old passwords through ChangePassword verify at most the limit', async () => {
    const input = h.userInput();
    const profile = await h.service.registerUser(input);
    const { caller } = await h.signIn(profile, input.password);
    const before = observed.verifiedAgainst.length;
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        outcome(h.service.changePassword(caller, { id: profile.id, oldPassword: 'guessed password', newPassword: 'new password x' }, { clientAddress: ATTACKER })),
      ),
    );
    expect(observed.verifiedAgainst.length - before).toBe(PER_ADDRESS);
    expect(results.filter((r) => r.startsWith('LOGIN_THROTTLED'))).toHaveLength(50 - PER_ADDRESS);
  });

  it('an existing and an unknown login name are indistinguishable: same codes, same messages, locked by the same attempt, whatever the spelling', async () => {
    const known = await h.service.registerUser(h.userInput({ username: 'Alice_K', email: 'alice.k@example.com' }));
    // Spellings of one name that reach one account: surrounding spaces, letter case, compatibility forms (NFKC).
    const spellings = (name: string) => [name, ` ${name} `, name.toUpperCase(), `\u00a0${name}\u3000`, [...name].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('')];
    const run = async (name: string) => {
      const seen: string[] = [];
      for (let i = 0; i < PER_ADDRESS + 2; i += 1) seen.push(await outcome(guess(spellings(name)[i % 5]!, ATTACKER)));
      return seen;
    };
    const forKnown = await run('alice_k');
    const forUnknown = await run('alice_q');
    expect(forKnown).toEqual(forUnknown);
    expect(forKnown.slice(0, PER_ADDRESS).every((r) => r.startsWith('INVALID_CREDENTIALS'))).toBe(true);
    expect(forKnown.slice(PER_ADDRESS).every((r) => r.startsWith('LOGIN_THROTTLED'))).toBe(true);
    // And every spelling did reach the account: once the window passes, each of them signs in.
    h.clock.advance(WINDOW_MS);
    for (const spelling of spellings('alice_k')) {
      await expect(h.service.login({ login: spelling, password: PASSWORD }, { clientAddress: OWNER })).resolves.toMatchObject({ accountId: known.id });
    }
  });

  it('an attacker at one address locks only that address out: the owner signs in from elsewhere, the attacker stays locked', async () => {
    for (let i = 0; i < PER_ADDRESS; i += 1) await expectDomainError(guess(victim.username, ATTACKER), 'INVALID_CREDENTIALS');
    await expectDomainError(guess(victim.username, ATTACKER, PASSWORD), 'LOGIN_THROTTLED');
    await expect(h.service.login({ login: victim.username, password: PASSWORD }, { clientAddress: OWNER })).resolves.toMatchObject({ accountId: victim.id });
    await expectDomainError(guess(victim.username, ATTACKER, PASSWORD), 'LOGIN_THROTTLED');
  });

  it('the looser per-name cap stops guesses spread over many addresses, and then refuses the owner too until the window ends', async () => {
    // 3 addresses x 5 fill the per-name cap of 15; a fourth address is refused before any hash.
    for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
      for (let i = 0; i < PER_ADDRESS; i += 1) await expectDomainError(guess(victim.username, address), 'INVALID_CREDENTIALS');
    }
    const verified = observed.verifiedAgainst.length;
    const refused = await rejectionOf(guess(victim.username, OWNER, PASSWORD));
    expect(refused).toMatchObject({ code: 'LOGIN_THROTTLED' });
    expect((refused as DomainError).retryAfterMs).toBeGreaterThan(0);
    expect(observed.verifiedAgainst).toHaveLength(verified);
    h.clock.advance((refused as DomainError).retryAfterMs!);
    await expect(h.service.login({ login: victim.username, password: PASSWORD }, { clientAddress: OWNER })).resolves.toBeDefined();
  });

  it('limits failed logins from one address across login names, without counting its successes', async () => {
    const own = h.userInput();
    const mine = await h.service.registerUser(own);
    // Successes do not count: an attacker cannot clear its count by signing in to its own account between guesses.
    for (let i = 0; i < 10; i += 1) await h.service.login({ login: mine.username, password: own.password }, { clientAddress: ATTACKER });
    for (let i = 0; i < 12; i += 1) await expectDomainError(guess(`sprayed_${i}`, ATTACKER), 'INVALID_CREDENTIALS');
    await expectDomainError(guess('sprayed_13', ATTACKER), 'LOGIN_THROTTLED');
    await expectDomainError(h.service.login({ login: mine.username, password: own.password }, { clientAddress: ATTACKER }), 'LOGIN_THROTTLED');
    await expectDomainError(guess('sprayed_13', OWNER), 'INVALID_CREDENTIALS');
  });

  it('counts an IPv6 client by its /64 and an IPv4-mapped address as its IPv4 address', async () => {
    for (let i = 0; i < PER_ADDRESS; i += 1) await expectDomainError(guess(victim.username, `2001:db8:1:2::${i + 1}`), 'INVALID_CREDENTIALS');
    await expectDomainError(guess(victim.username, '2001:db8:1:2:ffff:ffff:ffff:ffff'), 'LOGIN_THROTTLED');
    await expectDomainError(guess(victim.username, '2001:db8:1:3::1'), 'INVALID_CREDENTIALS');
    for (let i = 0; i < PER_ADDRESS; i += 1) await expectDomainError(guess(victim.email, '192.0.2.9'), 'INVALID_CREDENTIALS');
    await expectDomainError(guess(victim.email, '::ffff:192.0.2.9'), 'LOGIN_THROTTLED');
  });

  it('a success forgives the failures of its name from its address', async () => {
    for (let i = 0; i < PER_ADDRESS - 1; i += 1) await expectDomainError(guess(victim.username, OWNER), 'INVALID_CREDENTIALS');
    await h.service.login({ login: victim.username, password: PASSWORD }, { clientAddress: OWNER });
    for (let i = 0; i < PER_ADDRESS; i += 1) await expectDomainError(guess(victim.username, OWNER), 'INVALID_CREDENTIALS');
    await expectDomainError(guess(victim.username, OWNER), 'LOGIN_THROTTLED');
  });
});

describe('login limits: an attempt whose hash never ran is given back', () => {
  it('a verification refused by a full hash queue does not count', async () => {
    let full = true;
    const refusing: PasswordHasher = {
      hash: (password, signal) => hasher.hash(password, signal),
      verify: (password, hash, signal) => (full ? Promise.reject(new DomainError('OVERLOADED', { retryAfterMs: 1_000 })) : hasher.verify(password, hash, signal)),
      needsRehash: (hash) => hasher.needsRehash(hash),
      maxPasswordBytes: hasher.maxPasswordBytes,
    };
    const h = await Harness.create({ hasher: refusing, limits: { loginPerAddress: { max: 2, windowMs: WINDOW_MS } } });
    const profile = await h.service.registerUser(h.userInput());
    for (let i = 0; i < 10; i += 1) await expectDomainError(h.service.login({ login: profile.username, password: 'wrong password' }, { clientAddress: ATTACKER }), 'OVERLOADED');
    full = false;
    await expect(h.service.login({ login: profile.username, password: PASSWORD }, { clientAddress: ATTACKER })).resolves.toBeDefined();
  });

  it('a caller that gave up while its verification waited for a worker does not count', async () => {
    let queueing = true;
    // Like the bcrypt pool: a task still waiting for a worker is dropped when its signal fires.
    const waiting: PasswordHasher = {
      hash: (password, signal) => hasher.hash(password, signal),
      verify: (password, hash, signal) =>
        queueing ? new Promise((_, reject) => signal!.addEventListener('abort', () => reject(signal!.reason), { once: true })) : hasher.verify(password, hash, signal),
      needsRehash: (hash) => hasher.needsRehash(hash),
      maxPasswordBytes: hasher.maxPasswordBytes,
    };
    const h = await Harness.create({ hasher: waiting, limits: { loginPerAddress: { max: 2, windowMs: WINDOW_MS } } });
    const profile = await h.service.registerUser(h.userInput());
    for (let i = 0; i < 5; i += 1) {
      const controller = new AbortController();
      const login = h.service.login({ login: profile.username, password: 'wrong password' }, { signal: controller.signal, clientAddress: ATTACKER });
      setTimeout(() => controller.abort(), 5);
      await expectDomainError(login, 'CANCELLED');
    }
    queueing = false;
    await expect(h.service.login({ login: profile.username, password: PASSWORD }, { clientAddress: ATTACKER })).resolves.toBeDefined();
  });
});
