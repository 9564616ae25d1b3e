import { beforeEach, describe, expect, it } from 'vitest';
import { EVENT_SCHEMA_VERSION } from '../../src/index.js';
import type { AccountEventPayload, UnitOfWork } from '../../src/index.js';
import { aUserAccount, rejectionOf } from '../../src/fixtures/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, ObservedHasher, PASSWORD, sharedHasher } from './support/service-harness.support.js';

const hasher = sharedHasher();

describe('RegisterUser and RegisterArtist', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher, settings: { eventSource: '/authsvc/test' } });
  });

  it('returns the new user profile, without the password hash, with role USER', async () => {
    const input = h.userInput({ country: 'se' });
    const profile = await h.service.registerUser(input);
    expect(profile).toMatchObject({ kind: 'user', role: 'USER', username: input.username, email: input.email, country: 'SE', age: 30 });
    expect(profile).not.toHaveProperty('passwordHash');
    expect(await h.service.getUser({ accountId: profile.id, sessionId: 's', role: 'USER' }, { id: profile.id })).toEqual(profile);
  });

  it('stores a bcrypt hash, never the password', async () => {
    const profile = await h.service.registerUser(h.userInput());
    const stored = await h.deps.accounts.findById(profile.id);
    expect(stored?.passwordHash).toMatch(/^\$2[aby]\$04\$/);
    expect(stored?.passwordHash).not.toContain(PASSWORD);
  });

  it('writes user.created in the outbox with the public profile and CloudEvents headers', async () => {
    const profile = await h.service.registerUser(h.userInput());
    const [event, ...more] = await h.events(profile.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({ type: 'user.created', topic: 'user.created', key: profile.id });
    expect(event!.payload).toEqual({
      schema_version: EVENT_SCHEMA_VERSION,
      account: {
        id: profile.id,
        kind: 'user',
        role: 'USER',
        username: profile.username,
        email: profile.email,
        country: 'SE',
        gender: 'female',
        age: 30,
        created_at: profile.createdAt.toISOString(),
        updated_at: profile.updatedAt.toISOString(),
        email_verified: false,
        email_verified_at: null,
      },
    });
    expect(JSON.stringify(event!.payload)).not.toContain('$2');
    expect(event!.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: event!.id,
      ce_type: 'user.created',
      ce_source: '/authsvc/test',
      ce_time: h.clock.now().toISOString(),
      ce_subject: profile.id,
      'content-type': 'application/json',
    });
    expect(event!.createdAt).toEqual(h.clock.now());
  });

  it('dates the account and its event after the hash, so ce_time is when it was stored, not when the request came', async () => {
    const observed = new ObservedHasher(hasher);
    const slow = await Harness.create({ hasher: observed });
    const arrived = slow.clock.now();
    observed.onHash = () => slow.clock.advance(80);
    const user = await slow.service.registerUser(slow.userInput());
    const artist = await slow.service.registerArtist(slow.artistInput());
    expect(user.createdAt.getTime()).toBe(arrived.getTime() + 80);
    expect(artist.createdAt.getTime()).toBe(arrived.getTime() + 160);
    const events = await slow.events(user.id, artist.id);
    expect(events.map((e) => e.headers['ce_time'])).toEqual([user.createdAt.toISOString(), artist.createdAt.toISOString()]);
  });

  it('registers an artist with role ARTIST and artist.created, a missing producer stored as null', async () => {
    const profile = await h.service.registerArtist(h.artistInput({ producer: undefined }));
    expect(profile).toMatchObject({ kind: 'artist', role: 'ARTIST', producer: null });
    const [event] = await h.events(profile.id);
    expect(event).toMatchObject({ type: 'artist.created', key: profile.id });
    expect((event!.payload as AccountEventPayload).account).toMatchObject({ author: profile.kind === 'artist' ? profile.author : '', producer: null });
  });

  it('gives every event a unique id', async () => {
    const a = await h.service.registerUser(h.userInput());
    const b = await h.service.registerArtist(h.artistInput());
    const ids = (await h.events(a.id, b.id)).map((e) => e.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('rejects a username taken by an artist, in other case, and writes no second account or event', async () => {
    const artist = await h.service.registerArtist(h.artistInput({ username: 'Shared.Name' }));
    await expectDomainError(h.service.registerUser(h.userInput({ username: 'shared.NAME' })), 'USERNAME_TAKEN');
    expect(await h.deps.accounts.findByLogin('shared.name')).toMatchObject({ id: artist.id });
    expect((await h.store.relayStore.stats(h.clock.now())).backlog).toBe(1);
  });

  it('rejects an email taken in other case, and an artist author taken in other case', async () => {
    await h.service.registerUser(h.userInput({ email: 'Mixed@Example.com' }));
    await expectDomainError(h.service.registerArtist(h.artistInput({ email: 'mixed@example.COM' })), 'EMAIL_TAKEN');
    await h.service.registerArtist(h.artistInput({ author: 'Sigur Rós' }));
    await expectDomainError(h.service.registerArtist(h.artistInput({ author: 'SIGUR RÓS' })), 'AUTHOR_TAKEN');
  });

  it('rejects a stage name that only looks different (look-alike letters, width, spacing) as taken, and one with a hidden character as invalid', async () => {
    await h.service.registerArtist(h.artistInput({ author: 'Drake' }));
    for (const author of ['Dr\u0430ke', 'Ｄｒａｋｅ', ' DRAKE ']) {
      await expectDomainError(h.service.registerArtist(h.artistInput({ author })), 'AUTHOR_TAKEN');
    }
    const hidden = await rejectionOf(h.service.registerArtist(h.artistInput({ author: 'Dra\u200bke' })));
    expect(hidden).toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ field: 'author' }] });
  });

  it('leaves no account and no event when the outbox append fails after the account insert', async () => {
    const failing = await Harness.create({
      hasher,
      override: (deps) => ({ unitOfWork: failingOutbox(deps.unitOfWork) }),
    });
    const input = failing.userInput();
    const error = await rejectionOf(failing.service.registerUser(input));
    expect(error).toMatchObject({ message: 'outbox down' });
    expect(await failing.deps.accounts.findByLogin(input.username)).toBeNull();
    expect((await failing.store.relayStore.stats(failing.clock.now())).backlog).toBe(0);
    // Nothing half-written still holds the name: the real store accepts it again.
    await failing.store.unitOfWork.run((scope) => scope.accounts.insert(aUserAccount({ username: input.username, email: input.email })));
  });

  it('hashes before opening the unit of work, never inside it (registration and password change)', async () => {
    const observed = new ObservedHasher(hasher);
    let openUnitsOfWork = 0;
    const openAtEachHash: number[] = [];
    observed.onHash = () => openAtEachHash.push(openUnitsOfWork);
    const watched = await Harness.create({
      hasher: observed,
      override: (deps) => ({
        unitOfWork: {
          run: (work) =>
            deps.unitOfWork.run(async (scope) => {
              openUnitsOfWork += 1;
              try {
                return await work(scope);
              } finally {
                openUnitsOfWork -= 1;
              }
            }),
        },
      }),
    });
    const user = await watched.signedInUser();
    await watched.signedInArtist();
    await watched.service.changePassword(user.caller, { id: user.profile.id, oldPassword: PASSWORD, newPassword: 'a new password' });
    expect(openAtEachHash).toEqual([0, 0, 0]);
  });

  it('names every invalid field through the service and hashes nothing', async () => {
    const error = await rejectionOf(h.service.registerUser({ ...h.userInput(), username: 'no', age: 0, country: 'XX' }));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((error as { violations: { field: string }[] }).violations.map((v) => v.field).sort()).toEqual(['age', 'country', 'username']);
  });

  it('refuses a password over 72 UTF-8 bytes with a clear message instead of truncating it', async () => {
    const error = await rejectionOf(h.service.registerUser(h.userInput({ password: 'ü'.repeat(37) })));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ field: 'password', description: 'must be at most 72 bytes in UTF-8' }] });
  });

  it('CreateAdmin makes a user account with role ADMIN and a user.created event', async () => {
    const admin = await h.service.createAdmin(h.userInput());
    expect(admin).toMatchObject({ kind: 'user', role: 'ADMIN' });
    const [event] = await h.events(admin.id);
    expect(event).toMatchObject({ type: 'user.created', payload: { account: { role: 'ADMIN' } } });
  });
});

/** A unit of work whose outbox append throws after the account insert already happened in the same unit. */
function failingOutbox(inner: UnitOfWork): UnitOfWork {
  return {
    run: (work) =>
      inner.run((scope) =>
        work({
          accounts: scope.accounts,
          tokens: scope.tokens,
          mail: scope.mail,
          securityEvents: scope.securityEvents,
          devices: scope.devices,
          outbox: {
            append: async () => {
              throw new Error('outbox down');
            },
            forgetPublished: async () => 0,
          },
        }),
      ),
  };
}
