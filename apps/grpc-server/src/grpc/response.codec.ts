import type { GetArtistOutput, Gender as CoreGender, PublicProfile, Role as CoreRole, TokenPair as CoreTokenPair } from '@authsvc/core';
import { ArtistView, Gender, Role, type AccountEntry, type ArtistProfile, type GetArtistResponse, type TokenPair, type UserProfile } from '@authsvc/proto/auth/v1/auth';

const GENDER_TO_PROTO: Readonly<Record<CoreGender, Gender>> = {
  female: Gender.GENDER_FEMALE,
  male: Gender.GENDER_MALE,
  non_binary: Gender.GENDER_NON_BINARY,
  prefer_not_to_say: Gender.GENDER_PREFER_NOT_TO_SAY,
};

export const ROLE_TO_PROTO: Readonly<Record<CoreRole, Role>> = {
  USER: Role.ROLE_USER,
  ARTIST: Role.ROLE_ARTIST,
  ADMIN: Role.ROLE_ADMIN,
};

type UserView = Extract<PublicProfile, { kind: 'user' }>;
type ArtistFull = Extract<PublicProfile, { kind: 'artist' }>;

export function encodeUser(profile: UserView): UserProfile {
  return {
    id: profile.id,
    username: profile.username,
    email: profile.email,
    gender: GENDER_TO_PROTO[profile.gender],
    country: profile.country,
    age: profile.age,
    role: ROLE_TO_PROTO[profile.role],
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
  };
}

export function encodeArtist(profile: ArtistFull): ArtistProfile {
  return {
    id: profile.id,
    username: profile.username,
    email: profile.email,
    author: profile.author,
    ...(profile.producer === null ? {} : { producer: profile.producer }),
    country: profile.country,
    description: profile.description,
    role: ROLE_TO_PROTO[profile.role],
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
  };
}

/**
 * GetArtist's answer. The public view leaves username, email, role and updated_at at their proto defaults (empty,
 * ROLE_UNSPECIFIED, absent), so a client built before the view existed reads empty fields rather than failing.
 */
export function encodeArtistView(output: GetArtistOutput): GetArtistResponse {
  if (output.view === 'full') return { artist: encodeArtist(output.artist), view: ArtistView.ARTIST_VIEW_FULL };
  const { artist } = output;
  return {
    artist: {
      id: artist.id,
      username: '',
      email: '',
      author: artist.author,
      ...(artist.producer === null ? {} : { producer: artist.producer }),
      country: artist.country,
      description: artist.description,
      role: Role.ROLE_UNSPECIFIED,
      createdAt: artist.createdAt,
      updatedAt: undefined,
    },
    view: ArtistView.ARTIST_VIEW_PUBLIC,
  };
}

/** The profile of a user-only response; an artist here is a bug in the use case, not a client error. */
export function expectUser(profile: PublicProfile): UserProfile {
  if (profile.kind !== 'user') throw new Error(`expected a user profile, got ${profile.kind}`);
  return encodeUser(profile);
}

export function expectArtist(profile: PublicProfile): ArtistProfile {
  if (profile.kind !== 'artist') throw new Error(`expected an artist profile, got ${profile.kind}`);
  return encodeArtist(profile);
}

export function encodeTokenPair(tokens: CoreTokenPair): TokenPair {
  return {
    accessToken: tokens.accessToken,
    accessTokenExpiresAt: tokens.accessTokenExpiresAt,
    refreshToken: tokens.refreshToken,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
    tokenType: tokens.tokenType,
  };
}

/** An account in an admin's list: its profile and, when it is disabled, why and until when. */
export function encodeAccountEntry(profile: PublicProfile): AccountEntry {
  const { disabled } = profile;
  return {
    profile: profile.kind === 'user' ? { $case: 'user', value: encodeUser(profile) } : { $case: 'artist', value: encodeArtist(profile) },
    disabled: disabled === null ? undefined : { reason: disabled.reason, since: disabled.since, until: disabled.until ?? undefined },
  };
}
