import { beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf } from '../../src/fixtures/index.js';
import type { DomainError } from '../../src/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, ObservedHasher, sharedHasher } from './support/service-harness.support.js';

const hasher = sharedHasher();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('registrations per client address', () => {
  let h: Harness;
  let observed: ObservedHasher;
  beforeEach(async () => {
    observed = new ObservedHasher(hasher);
    h = await Harness.create({ hasher: observed, limits: { registrationsPerAddress: { max: 3, windowMs: HOUR } } });
  });

  it('refuses the registration after the limit with RATE_LIMITED and a retry-after, before any hash, until the window ends', async () => {
    const from = { clientAddress: '203.0.113.50' };
    for (let i = 0; i < 2; i += 1) await h.service.registerUser(h.userInput(), from);
    await h.service.registerArtist(h.artistInput(), from);
    let hashes = 0;
    observed.onHash = () => (hashes += 1);
    const refused = await rejectionOf(h.service.registerUser(h.userInput(), from));
    expect(refused).toMatchObject({ code: 'RATE_LIMITED' });
    await expectDomainError(h.service.registerArtist(h.artistInput(), from), 'RATE_LIMITED');
    expect(hashes).toBe(0);
    const retryAfterMs = (refused as DomainError).retryAfterMs!;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(HOUR);
    // Another address is not affected, and the window's end lets this one register again.
    await expect(h.service.registerUser(h.userInput(), { clientAddress: '203.0.113.51' })).resolves.toBeDefined();
    h.clock.advance(retryAfterMs);
    await expect(h.service.registerUser(h.userInput(), from)).resolves.toBeDefined();
  });

  it('counts a registration refused as taken (its hash was spent), but not one refused as invalid (no hash)', async () => {
    const from = { clientAddress: '203.0.113.60' };
    const first = h.userInput();
    await h.service.registerUser(first, from);
    for (let i = 0; i < 5; i += 1) await expectDomainError(h.service.registerUser(h.userInput({ age: -1 }), from), 'VALIDATION_FAILED');
    await expectDomainError(h.service.registerUser(h.userInput({ username: first.username }), from), 'USERNAME_TAKEN');
    await h.service.registerUser(h.userInput(), from);
    await expectDomainError(h.service.registerUser(h.userInput(), from), 'RATE_LIMITED');
  });

  it('does not limit a caller that passes no client address (the operator command, an embedding app that has none)', async () => {
    for (let i = 0; i < 6; i += 1) await h.service.registerUser(h.userInput());
    await expect(h.service.createAdmin(h.userInput())).resolves.toMatchObject({ role: 'ADMIN' });
  });
});

describe('changes of username and email per account', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher, limits: { identityChanges: { max: 2, windowMs: DAY } } });
  });

  it('allows the limit of new usernames or emails, then RATE_LIMITED with a retry-after until the window ends', async () => {
    const user = await h.signedInUser();
    const id = user.profile.id;
    await h.service.updateUser(user.caller, { id, email: 'first.change@example.com' });
    await h.service.updateUser(user.caller, { id, username: 'second_change', email: 'second.change@example.com' });
    const refused = await rejectionOf(h.service.updateUser(user.caller, { id, email: 'third.change@example.com' }));
    expect(refused).toMatchObject({ code: 'RATE_LIMITED' });
    expect((refused as DomainError).retryAfterMs).toBeGreaterThan(DAY - 60_000);
    expect((await h.service.getUser(user.caller, { id })).email).toBe('second.change@example.com');
    // Other fields still change; the same values again (a client sending every field) and a change of case count nothing.
    await h.service.updateUser(user.caller, { id, age: 44, username: 'SECOND_change', email: 'Second.Change@example.com' });
    h.clock.advance((refused as DomainError).retryAfterMs!);
    await expect(h.service.updateUser(user.caller, { id, email: 'third.change@example.com' })).resolves.toMatchObject({ email: 'third.change@example.com' });
  });

  it('counts a probe answered EMAIL_TAKEN: probing which emails are registered costs the prober its changes', async () => {
    const prober = await h.signedInUser();
    const registered = await h.signedInUser();
    await expectDomainError(h.service.updateUser(prober.caller, { id: prober.profile.id, email: registered.profile.email }), 'EMAIL_TAKEN');
    await expectDomainError(h.service.updateUser(prober.caller, { id: prober.profile.id, username: registered.profile.username }), 'USERNAME_TAKEN');
    await expectDomainError(h.service.updateUser(prober.caller, { id: prober.profile.id, email: 'maybe.registered@example.com' }), 'RATE_LIMITED');
  });

  it('limits artists alike, and counts an admin\'s changes against the account changed', async () => {
    const artist = await h.signedInArtist();
    const admin = await h.signedInUser({ admin: true });
    await h.service.updateArtist(artist.caller, { id: artist.profile.id, email: 'artist.one@example.com' });
    await h.service.updateArtist(admin.caller, { id: artist.profile.id, username: 'renamed_by_admin' });
    await expectDomainError(h.service.updateArtist(artist.caller, { id: artist.profile.id, email: 'artist.two@example.com' }), 'RATE_LIMITED');
    await expectDomainError(h.service.updateArtist(admin.caller, { id: artist.profile.id, email: 'artist.two@example.com' }), 'RATE_LIMITED');
    await expect(h.service.updateArtist(artist.caller, { id: artist.profile.id, description: 'still editable' })).resolves.toMatchObject({ description: 'still editable' });
  });
});
