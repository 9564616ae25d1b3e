/** The second factors an account may hold. */
export const SECOND_FACTORS = ['totp', 'passkey', 'recovery_code'] as const;
export type SecondFactorKind = (typeof SECOND_FACTORS)[number];

/**
 * Authentication method references (RFC 8176) carried in access tokens as `amr`: `pwd` a password, `otp` a TOTP or
 * recovery code, `hwk`/`swk` a passkey (hardware- or software-bound key), `mfa` two or more of them.
 */
export type AuthMethod = 'pwd' | 'otp' | 'hwk' | 'swk' | 'mfa';

/** How the session behind a token was signed in: the methods used and when the last of them was presented. */
export interface Assurance {
  amr: AuthMethod[];
  authTime: Date;
}

/** `methods` in a stable order, with `mfa` added when two or more distinct methods were used. */
export function assuranceOf(methods: readonly AuthMethod[], authTime: Date): Assurance {
  const distinct = [...new Set(methods.filter((m) => m !== 'mfa'))];
  return { amr: distinct.length >= 2 ? [...distinct, 'mfa'] : distinct, authTime };
}

/** True when the methods include something besides a password. */
export function usedSecondFactor(amr: readonly AuthMethod[]): boolean {
  return amr.some((m) => m === 'otp' || m === 'hwk' || m === 'swk');
}

/**
 * The role policy: an account whose role requires a second factor (`mfa.requiredForRoles`) and whose token shows no
 * sign-in with one may only enrol a factor (and read its own profile) until it signs in again with it.
 */
export function mustEnrolSecondFactor(role: string, amr: readonly AuthMethod[], requiredForRoles: readonly string[]): boolean {
  return requiredForRoles.includes(role) && !usedSecondFactor(amr);
}

/** The TOTP authenticator of an account: pending until its first code confirms it. */
export interface TotpFactor {
  accountId: string;
  /** The shared secret, sealed (see SecretBox): never stored or logged in clear. */
  sealedSecret: string;
  /** When the first code confirmed it; null while enrolment is pending. */
  confirmedAt: Date | null;
  /** The last time step (unix time / 30 s) a code was accepted for: a code of this or an earlier step is refused. */
  lastUsedStep: number | null;
  createdAt: Date;
}

/** A registered WebAuthn credential (passkey) of an account. */
export interface Passkey {
  /** The credential id, base64url: unique across accounts. */
  credentialId: string;
  accountId: string;
  /** The COSE public key the authenticator registered. */
  publicKey: Uint8Array;
  /** The authenticator's signature counter at its last use (0: it keeps none). */
  counter: number;
  /** How the browser may reach the authenticator (usb, nfc, ble, internal, hybrid), as it said at registration. */
  transports: string[];
  /** `multiDevice`: a synced passkey (amr `swk`); `singleDevice`: bound to one authenticator (amr `hwk`). */
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  /** A name its owner gave it; null when none. */
  name: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** The amr of a passkey: a key bound to one device is hardware-bound (`hwk`), a synced one software-bound (`swk`). */
export function passkeyMethod(passkey: Pick<Passkey, 'deviceType'>): AuthMethod {
  return passkey.deviceType === 'singleDevice' ? 'hwk' : 'swk';
}

/** What a challenge (MFA ticket, passkey ceremony) is for; a challenge of one purpose never serves another. */
export type ChallengePurpose = 'mfa-login' | 'passkey-registration' | 'passkey-login';

/** A single-use secret handed to a client, stored under the SHA-256 of its secret only. */
export interface StoredChallenge {
  purpose: ChallengePurpose;
  /** The account it is bound to; null for a passwordless passkey sign-in, where nobody is known yet. */
  accountId: string | null;
  /** Purpose-specific state (the ticket's binding, the WebAuthn challenge...). Never a secret of the client's. */
  data: Record<string, unknown>;
  expiresAt: Date;
}
