import { describe, expect, it } from 'vitest';
import { RefreshTokenCodec } from '../../src/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, TEST_REFRESH_SECRET, sharedHasher } from '../use-cases/support/service-harness.support.js';

const hasher = sharedHasher();

describe('createAuthService', () => {
  it('uses the documented defaults when only the secret is given', async () => {
    const h = await Harness.create({ hasher });
    const start = h.clock.now().getTime();
    const { tokens, profile } = await h.signedInUser();
    expect(Math.abs(tokens.accessTokenExpiresAt.getTime() - (start + 15 * 60_000))).toBeLessThan(1000);
    expect(tokens.refreshTokenExpiresAt.getTime()).toBe(start + 30 * 24 * 3_600_000);
    const [event] = await h.events(profile.id);
    expect(event).toMatchObject({ topic: 'user.created', headers: { ce_source: '/authsvc' } });
  });

  it('applies custom lifetimes, topics and event source, keeping the default topics not overridden', async () => {
    const h = await Harness.create({
      hasher,
      settings: { accessTokenTtlMs: 60_000, topics: { 'user.created': 'accounts.v1' } as never, eventSource: '//auth.example/x' },
    });
    const start = h.clock.now().getTime();
    const { tokens, profile } = await h.signedInUser();
    const artist = await h.signedInArtist();
    expect(Math.abs(tokens.accessTokenExpiresAt.getTime() - (start + 60_000))).toBeLessThan(1000);
    expect(await h.events(profile.id)).toMatchObject([{ topic: 'accounts.v1', headers: { ce_source: '//auth.example/x' } }]);
    expect(await h.events(artist.profile.id)).toMatchObject([{ topic: 'artist.created' }]);
  });

  it('treats an option given as undefined as not given', async () => {
    const h = await Harness.create({ hasher, settings: { refreshGraceMs: undefined } });
    const { tokens } = await h.signedInUser();
    const next = await h.service.refreshToken({ refreshToken: tokens.refreshToken });
    expect((await h.service.refreshToken({ refreshToken: tokens.refreshToken })).refreshToken).toBe(next.refreshToken);
  });

  it('signs refresh tokens with the given secret', async () => {
    const h = await Harness.create({ hasher });
    const { tokens, caller } = await h.signedInUser();
    expect(new RefreshTokenCodec(TEST_REFRESH_SECRET).decode(tokens.refreshToken)).toEqual({ sessionId: caller!.sessionId, counter: 0 });
    const other = await Harness.create({ hasher, settings: { refreshTokenSecret: new Uint8Array(32).fill(3) } });
    await expectDomainError(other.service.logout({ refreshToken: tokens.refreshToken }), 'REFRESH_TOKEN_INVALID');
  });

  it.each([
    [{ refreshTokenSecret: new Uint8Array(16) }, /at least 32 bytes/],
    [{ accessTokenTtlMs: 0 }, /accessTokenTtlMs/],
    [{ sessionTtlMs: -1 }, /sessionTtlMs/],
    [{ refreshGraceMs: -5 }, /refreshGraceMs/],
    [{ accessTokenTtlMs: 1.5 }, /accessTokenTtlMs/],
    [{ eventSource: '' }, /eventSource/],
  ])('refuses the nonsensical setting %o at construction', async (settings, message) => {
    await expect(Harness.create({ hasher, settings })).rejects.toThrow(message);
  });
});
