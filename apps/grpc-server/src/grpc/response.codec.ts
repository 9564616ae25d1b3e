import type {
  GetArtistOutput, Gender as CoreGender, ListedSession, LoginResult, PublicProfile, Role as CoreRole, SecondFactorKind, SecondFactorProof,
  SecurityEvent as CoreSecurityEvent, TokenPair as CoreTokenPair,
} from '@authsvc/core';
import {
  ArtistView, Gender, Role, SecondFactor, type AccountEntry, type ArtistProfile, type GetArtistResponse, type LoginResponse, type SecurityEvent,
  type Session, type TokenPair, type UserProfile,
} from '@authsvc/proto/auth/v1/auth';

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
    ...emailVerification(profile),
  };
}

/** email_verified and, when it is, email_verified_at. */
function emailVerification(profile: PublicProfile): { emailVerified: boolean; emailVerifiedAt?: Date } {
  return profile.emailVerifiedAt === null ? { emailVerified: false } : { emailVerified: true, emailVerifiedAt: profile.emailVerifiedAt };
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
    ...emailVerification(profile),
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
      emailVerified: false,
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

const SECOND_FACTOR_TO_PROTO: Readonly<Record<SecondFactorKind, SecondFactor>> = {
  totp: SecondFactor.SECOND_FACTOR_TOTP,
  passkey: SecondFactor.SECOND_FACTOR_PASSKEY,
  recovery_code: SecondFactor.SECOND_FACTOR_RECOVERY_CODE,
};

/** A factor kind as the API names it. */
export function encodeSecondFactor(kind: SecondFactorKind): SecondFactor {
  return SECOND_FACTOR_TO_PROTO[kind];
}

/** Login's answer: the token pair, or the MFA ticket and the factors that complete it. */
export function encodeLoginResult(result: LoginResult): LoginResponse {
  const head = { accountId: result.accountId, username: result.username, role: ROLE_TO_PROTO[result.role] };
  if (result.tokens !== undefined) return { ...head, tokens: encodeTokenPair(result.tokens), mfaTicket: '', secondFactors: [] };
  const { ticket, expiresAt, factors } = result.secondFactor;
  return { ...head, mfaTicket: ticket, mfaTicketExpiresAt: expiresAt, secondFactors: factors.map(encodeSecondFactor) };
}

/** A request's totp_code, recovery_code (and passkey_assertion) as core's proof (proto3 sends "" for absent: core checks exactly one is set). */
export function proofOf(request: { totpCode: string; recoveryCode: string; passkeyAssertion?: string }): SecondFactorProof {
  return {
    ...(request.totpCode === '' ? {} : { totpCode: request.totpCode }),
    ...(request.recoveryCode === '' ? {} : { recoveryCode: request.recoveryCode }),
    ...(request.passkeyAssertion === undefined || request.passkeyAssertion === '' ? {} : { passkeyAssertion: request.passkeyAssertion }),
  };
}

/** A listed session; unknown device fields are empty strings (proto3 has no null). */
export function encodeSession(session: ListedSession): Session {
  return {
    sessionId: session.sessionId,
    createdAt: session.createdAt,
    lastUsedAt: session.lastUsedAt,
    expiresAt: session.expiresAt,
    clientAddress: session.clientAddress ?? '',
    userAgent: session.userAgent ?? '',
    deviceName: session.deviceName ?? '',
    current: session.current,
  };
}

/** A security event as ListSecurityEvents answers it (the keyed login hash stays on the topic for correlation). */
export function encodeSecurityEvent(event: CoreSecurityEvent): SecurityEvent {
  return {
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt,
    sessionId: event.sessionId ?? '',
    clientAddress: event.clientAddress ?? '',
    userAgent: event.userAgent ?? '',
    reason: event.reason ?? '',
    sessionCount: event.sessionCount ?? 0,
  };
}

/** An account in an admin's list: its profile, when it is disabled why and until when, and when it was deleted. */
export function encodeAccountEntry(profile: PublicProfile): AccountEntry {
  const { disabled } = profile;
  return {
    profile: profile.kind === 'user' ? { $case: 'user', value: encodeUser(profile) } : { $case: 'artist', value: encodeArtist(profile) },
    disabled: disabled === null ? undefined : { reason: disabled.reason, since: disabled.since, until: disabled.until ?? undefined },
    deletedAt: profile.deletedAt ?? undefined,
  };
}
