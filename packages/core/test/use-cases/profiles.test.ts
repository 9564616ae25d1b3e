import { beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf, testUuidV7 } from '../../src/fixtures/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import type { AccountEventPayload, Caller } from '../../src/index.js';
import { Harness, sharedHasher } from './support/service-harness.support.js';

const hasher = sharedHasher();

describe('GetUser and GetArtist', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher });
  });

  it('GetUser returns the profile to the user and to an admin', async () => {
    const user = await h.signedInUser();
    const admin = await h.signedInUser({ admin: true });
    expect(await h.service.getUser(user.caller, { id: user.profile.id })).toEqual(user.profile);
    expect(await h.service.getUser(admin.caller, { id: user.profile.id })).toEqual(user.profile);
  });

  it('GetArtist shows any other signed-in account the public view only: no username, email, role or last change', async () => {
    const artist = await h.signedInArtist();
    const user = await h.signedInUser();
    const otherArtist = await h.signedInArtist();
    if (artist.profile.kind !== 'artist') throw new Error('expected an artist');
    const { id, kind, author, producer, country, description, createdAt } = artist.profile;
    for (const viewer of [user, otherArtist]) {
      const seen = await h.service.getArtist(viewer.caller, { id: artist.profile.id });
      expect(seen).toEqual({ view: 'public', artist: { id, kind, author, producer, country, description, createdAt } });
      expect(JSON.stringify(seen)).not.toContain(artist.profile.email);
      expect(JSON.stringify(seen)).not.toContain(artist.profile.username);
    }
  });

  it('GetArtist shows the artist itself and an admin the whole profile', async () => {
    const artist = await h.signedInArtist();
    const admin = await h.signedInUser({ admin: true });
    expect(await h.service.getArtist(artist.caller, { id: artist.profile.id })).toEqual({ view: 'full', artist: artist.profile });
    expect(await h.service.getArtist(admin.caller, { id: artist.profile.id })).toEqual({ view: 'full', artist: artist.profile });
  });

  it('does not find an artist through GetUser, nor a user through GetArtist', async () => {
    const artist = await h.signedInArtist();
    const admin = await h.signedInUser({ admin: true });
    await expectDomainError(h.service.getUser(admin.caller, { id: artist.profile.id }), 'ACCOUNT_NOT_FOUND');
    await expectDomainError(h.service.getArtist(admin.caller, { id: admin.profile.id }), 'ACCOUNT_NOT_FOUND');
  });

  it('checks permission before existence: a non-admin learns nothing about ids that are not its own', async () => {
    const user = await h.signedInUser();
    const other = await h.signedInUser();
    const unknown = testUuidV7();
    await expectDomainError(h.service.getUser(user.caller, { id: other.profile.id }), 'PERMISSION_DENIED');
    await expectDomainError(h.service.getUser(user.caller, { id: unknown }), 'PERMISSION_DENIED');
    const admin = await h.signedInUser({ admin: true });
    await expectDomainError(h.service.getUser(admin.caller, { id: unknown }), 'ACCOUNT_NOT_FOUND');
    await expectDomainError(h.service.getArtist(user.caller, { id: unknown }), 'ACCOUNT_NOT_FOUND');
    await expectDomainError(h.service.getUser(admin.caller, { id: 'not-a-uuid' }), 'ACCOUNT_NOT_FOUND');
  });

  it('requires a caller', async () => {
    const artist = await h.signedInArtist();
    await expectDomainError(h.service.getArtist(null, { id: artist.profile.id }), 'UNAUTHENTICATED');
    await expectDomainError(h.service.getUser(null, { id: artist.profile.id }), 'UNAUTHENTICATED');
  });
});

describe('UpdateUser and UpdateArtist', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher });
  });

  it('changes only the fields sent and keeps the others', async () => {
    const user = await h.signedInUser();
    h.clock.advance(1000);
    const updated = await h.service.updateUser(user.caller, { id: user.profile.id, age: 41 });
    expect(updated).toEqual({ ...user.profile, age: 41, updatedAt: h.clock.now() });
    expect(await h.service.getUser(user.caller, { id: user.profile.id })).toEqual(updated);
  });

  it('writes user.updated with the whole new public profile, in the same unit of work', async () => {
    const user = await h.signedInUser();
    const updated = await h.service.updateUser(user.caller, { id: user.profile.id, country: 'no', gender: 'male' });
    expect(updated).toMatchObject({ country: 'NO', gender: 'male' });
    const events = await h.events(user.profile.id);
    expect(events.map((e) => e.type)).toEqual(['user.created', 'user.updated']);
    expect((events[1]!.payload as AccountEventPayload).account).toMatchObject({ id: user.profile.id, country: 'NO', gender: 'male', age: 30, username: user.profile.username });
    expect(events[1]!.headers).toMatchObject({ ce_type: 'user.updated', ce_subject: user.profile.id, ce_id: events[1]!.id });
  });

  it('an empty patch returns the profile unchanged and writes no event', async () => {
    const user = await h.signedInUser();
    h.clock.advance(1000);
    expect(await h.service.updateUser(user.caller, { id: user.profile.id })).toEqual(user.profile);
    expect((await h.events(user.profile.id)).map((e) => e.type)).toEqual(['user.created']);
  });

  it('updates an artist partially, clears the producer with null, and writes artist.updated', async () => {
    const artist = await h.signedInArtist();
    const updated = await h.service.updateArtist(artist.caller, { id: artist.profile.id, producer: null, description: 'Now louder.' });
    expect(updated).toMatchObject({ producer: null, description: 'Now louder.', country: 'IS', username: artist.profile.username });
    if (artist.profile.kind === 'artist' && updated.kind === 'artist') expect(updated.author).toBe(artist.profile.author);
    const types = (await h.events(artist.profile.id)).map((e) => e.type);
    expect(types).toEqual(['artist.created', 'artist.updated']);
  });

  it('lets an admin update someone else, and nobody else', async () => {
    const user = await h.signedInUser();
    const other = await h.signedInUser();
    const admin = await h.signedInUser({ admin: true });
    await expect(h.service.updateUser(admin.caller, { id: user.profile.id, age: 50 })).resolves.toMatchObject({ age: 50 });
    await expectDomainError(h.service.updateUser(other.caller, { id: user.profile.id, age: 51 }), 'PERMISSION_DENIED');
    await expectDomainError(h.service.updateUser(null, { id: user.profile.id, age: 51 }), 'UNAUTHENTICATED');
  });

  it('does not update an artist through UpdateUser', async () => {
    const artist = await h.signedInArtist();
    await expectDomainError(h.service.updateUser(artist.caller, { id: artist.profile.id, age: 20 }), 'ACCOUNT_NOT_FOUND');
    const admin = await h.signedInUser({ admin: true });
    await expectDomainError(h.service.updateArtist(admin.caller, { id: admin.profile.id, description: 'x' }), 'ACCOUNT_NOT_FOUND');
  });

  it('rejects a username taken in other case, changes nothing and writes no event', async () => {
    const user = await h.signedInUser();
    const other = await h.signedInUser();
    await expectDomainError(
      h.service.updateUser(user.caller, { id: user.profile.id, username: other.profile.username.toUpperCase(), age: 99 }),
      'USERNAME_TAKEN',
    );
    expect(await h.service.getUser(user.caller, { id: user.profile.id })).toEqual(user.profile);
    expect((await h.events(user.profile.id)).map((e) => e.type)).toEqual(['user.created']);
  });

  it('lets an account change the case of its own username', async () => {
    const user = await h.signedInUser();
    const updated = await h.service.updateUser(user.caller, { id: user.profile.id, username: user.profile.username.toUpperCase() });
    expect(updated.username).toBe(user.profile.username.toUpperCase());
  });

  it('names every invalid field of a patch and changes nothing', async () => {
    const artist = await h.signedInArtist();
    const error = await rejectionOf(
      h.service.updateArtist(artist.caller, { id: artist.profile.id, author: '', email: 'not-an-email', description: 'fine' }),
    );
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((error as { violations: { field: string }[] }).violations.map((v) => v.field).sort()).toEqual(['author', 'email']);
    expect(await h.service.getArtist(artist.caller, { id: artist.profile.id })).toEqual({ view: 'full', artist: artist.profile });
  });

  it('checks permission before validating, so a stranger learns nothing from the error', async () => {
    const user = await h.signedInUser();
    const stranger: Caller = { accountId: testUuidV7(), sessionId: 'x', role: 'USER' };
    await expectDomainError(h.service.updateUser(stranger, { id: user.profile.id, age: -1 }), 'PERMISSION_DENIED');
  });
});
