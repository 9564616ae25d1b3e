import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { randomBytes } from 'node:crypto';
import type { Account } from '../domain/account.model.js';
import { passkeyMethod, type AuthMethod, type ChallengePurpose, type Passkey } from '../domain/second-factor.model.js';
import { DomainError } from '../errors/domain.errors.js';
import { secretDigest } from '../crypto/one-time-secret.codec.js';
import type { AuthServiceDependencies, AuthServiceOptions, PasskeySettings } from '../service/auth-service.config.js';
import type { FieldViolations } from '../validation/field-violations.errors.js';
import { secondFactorInvalid } from './second-factor-verifier.service.js';

/** The longest WebAuthn response accepted (JSON text): an attestation "none" with a P-256 key is about 1 KiB. */
export const MAX_WEBAUTHN_RESPONSE_LENGTH = 16_384;

/** The relying party's settings; PASSKEYS_NOT_CONFIGURED when the service was built without them. */
export function requirePasskeys(options: Pick<AuthServiceOptions, 'passkeys'>): PasskeySettings {
  if (options.passkeys === undefined) throw new DomainError('PASSKEYS_NOT_CONFIGURED');
  return options.passkeys;
}

/** Field check of a WebAuthn response (JSON text of PublicKeyCredential.toJSON()): an object with an id and a response. */
export function checkWebAuthnResponse(violations: FieldViolations, field: string, value: string | undefined): void {
  if (value === undefined || value === '') return violations.add(field, 'is required');
  if (value.length > MAX_WEBAUTHN_RESPONSE_LENGTH) return violations.add(field, `must be at most ${MAX_WEBAUTHN_RESPONSE_LENGTH} characters`);
  const parsed = parseJson(value);
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { id?: unknown }).id !== 'string' || typeof (parsed as { response?: unknown }).response !== 'object') {
    violations.add(field, 'must be the JSON of a WebAuthn credential (PublicKeyCredential.toJSON())');
  }
}

/** A verified assertion: the passkey used (its counter moved) and its amr. */
export interface VerifiedAssertion {
  passkey: Passkey;
  method: AuthMethod;
}

/**
 * The WebAuthn ceremonies of passkeys (@simplewebauthn/server): options with a fresh challenge, stored as its SHA-256
 * under its purpose, bound to the account (null for a passwordless sign-in) and living mfa.ticketTtl; responses
 * verified against the relying party's id and origins after their challenge is taken (single use: a replayed or
 * expired response finds nothing). The signature counter must move forward (a cloned key is refused).
 */
export class PasskeyCeremonies {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'secondFactors'>,
    private readonly options: Pick<AuthServiceOptions, 'passkeys' | 'mfaTicketTtlMs'>,
  ) {}

  /** Registration options for `account` (JSON of PublicKeyCredentialCreationOptions): discoverable, attestation none. */
  async registrationOptions(account: Pick<Account, 'id' | 'username'>, existing: readonly Passkey[], now: Date): Promise<string> {
    const rp = requirePasskeys(this.options);
    const options = await generateRegistrationOptions({
      rpName: rp.rpName,
      rpID: rp.rpId,
      userName: account.username,
      userID: new TextEncoder().encode(account.id),
      challenge: randomBytes(32),
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      supportedAlgorithmIDs: [-7, -8, -257],
    });
    await this.#remember(options.challenge, 'passkey-registration', account.id, now);
    return JSON.stringify(options);
  }

  /** Verifies a registration of `accountId` (its challenge taken): the passkey to store. SECOND_FACTOR_INVALID otherwise. */
  async verifyRegistration(accountId: string, responseJson: string, name: string | null, now: Date): Promise<Passkey> {
    const rp = requirePasskeys(this.options);
    const response = parseJson(responseJson) as RegistrationResponseJSON;
    const challenge = await this.#take(response, 'passkey-registration', now);
    if (challenge === null || challenge.accountId !== accountId) throw secondFactorInvalid();
    const verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge.value,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpId,
      requireUserVerification: false,
    }).catch(() => null);
    if (verified === null || !verified.verified) throw secondFactorInvalid();
    const { credential, credentialDeviceType, credentialBackedUp } = verified.registrationInfo;
    return {
      credentialId: credential.id,
      accountId,
      publicKey: new Uint8Array(credential.publicKey),
      counter: credential.counter,
      transports: [...(credential.transports ?? [])],
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
      name,
      createdAt: now,
      lastUsedAt: null,
    };
  }

  /**
   * Sign-in options (JSON of PublicKeyCredentialRequestOptions): for `account`'s passkeys (second factor), or for any
   * discoverable one with user verification required (passwordless, `account` null).
   */
  async authenticationOptions(accountId: string | null, now: Date): Promise<string> {
    const rp = requirePasskeys(this.options);
    const passkeys = accountId === null ? [] : await this.deps.secondFactors.passkeysOf(accountId);
    const options = await generateAuthenticationOptions({
      rpID: rp.rpId,
      challenge: randomBytes(32),
      allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: p.transports as never })),
      userVerification: accountId === null ? 'required' : 'preferred',
    });
    await this.#remember(options.challenge, 'passkey-login', accountId, now);
    return JSON.stringify(options);
  }

  /**
   * Verifies an assertion (its challenge taken): for `accountId`'s passkeys when given (second factor), else for any
   * account's discoverable passkey with user verification (passwordless; the user handle must name its owner).
   * Moves the passkey's counter. SECOND_FACTOR_INVALID for anything wrong, used, expired or for another account.
   */
  async verifyAssertion(accountId: string | null, responseJson: string, now: Date): Promise<VerifiedAssertion> {
    const rp = requirePasskeys(this.options);
    const response = parseJson(responseJson) as AuthenticationResponseJSON;
    const challenge = await this.#take(response, 'passkey-login', now);
    if (challenge === null || challenge.accountId !== accountId) throw secondFactorInvalid();
    const passkey = typeof response.id === 'string' ? await this.deps.secondFactors.passkeyById(response.id) : null;
    if (passkey === null || (accountId !== null && passkey.accountId !== accountId)) throw secondFactorInvalid();
    const passwordless = accountId === null;
    if (passwordless && decodeBase64url(response.response?.userHandle) !== passkey.accountId) throw secondFactorInvalid();
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge.value,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpId,
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: passkey.counter, transports: passkey.transports as never },
      requireUserVerification: passwordless,
    }).catch(() => null);
    if (verified === null || !verified.verified) throw secondFactorInvalid();
    if (!(await this.deps.secondFactors.usePasskey(passkey.credentialId, verified.authenticationInfo.newCounter, now))) throw secondFactorInvalid();
    return { passkey, method: passkeyMethod(passkey) };
  }

  /** The account a passwordless assertion claims (its passkey's owner), before any check; null when unknown. */
  async claimedAccount(responseJson: string): Promise<string | null> {
    const id = (parseJson(responseJson) as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? ((await this.deps.secondFactors.passkeyById(id))?.accountId ?? null) : null;
  }

  async #remember(challenge: string, purpose: ChallengePurpose, accountId: string | null, now: Date): Promise<void> {
    const expiresAt = new Date(now.getTime() + this.options.mfaTicketTtlMs);
    await this.deps.secondFactors.putChallenge(secretDigest(challenge), { purpose, accountId, data: {}, expiresAt });
  }

  /** Takes the challenge the response's client data names (single use); null when none is live. */
  async #take(response: { response?: { clientDataJSON?: unknown } }, purpose: ChallengePurpose, now: Date): Promise<{ value: string; accountId: string | null } | null> {
    const clientData = parseJson(decodeBase64url(response.response?.clientDataJSON) ?? '') as { challenge?: unknown } | null;
    const value = clientData?.challenge;
    if (typeof value !== 'string' || value === '' || value.length > 256) return null;
    const stored = await this.deps.secondFactors.takeChallenge(secretDigest(value), purpose, now);
    return stored === null ? null : { value, accountId: stored.accountId };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function decodeBase64url(value: unknown): string | null {
  return typeof value === 'string' && /^[A-Za-z0-9_-]*={0,2}$/.test(value) ? Buffer.from(value, 'base64url').toString('utf8') : null;
}
