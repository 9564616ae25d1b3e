import type { Assurance, ChallengePurpose, Passkey, SecondFactorKind, StoredChallenge, TotpFactor } from '../domain/second-factor.model.js';

/**
 * Second factors (TOTP, recovery codes), sign-in challenges and how each session was signed in. Every method is
 * atomic on its own: the store, not the caller, settles concurrent uses of one code, step or challenge.
 */
export interface SecondFactorStore {
  /** The factors the account can sign in with, in SECOND_FACTORS order: a confirmed TOTP, a passkey, unused recovery codes. One round trip. */
  enrolledFactors(accountId: string): Promise<SecondFactorKind[]>;
  /** The account's TOTP authenticator, pending or confirmed; null when it has none. */
  totpOf(accountId: string): Promise<TotpFactor | null>;
  /** Stores a pending TOTP secret, replacing a pending one; false (nothing written) when a confirmed one exists. */
  beginTotp(accountId: string, sealedSecret: string, now: Date): Promise<boolean>;
  /** Confirms the pending TOTP with `step` as its last used step and, in the same transaction, replaces the recovery codes with `recoveryCodeHashes` when given; false (nothing written) when no enrolment is pending. */
  confirmTotp(accountId: string, step: number, recoveryCodeHashes: readonly string[] | null, now: Date): Promise<boolean>;
  /** Records `step` as used when the confirmed factor's last used step is earlier: true once per step, false for a replay, an earlier step or no confirmed factor. */
  useTotpStep(accountId: string, step: number): Promise<boolean>;
  /** Deletes the TOTP authenticator, and the recovery codes with it when `withRecoveryCodes`; false when there was none. */
  removeTotp(accountId: string, withRecoveryCodes: boolean): Promise<boolean>;
  /** Replaces every recovery code of the account with these hashes: the old codes stop working. */
  replaceRecoveryCodes(accountId: string, hashes: readonly string[], now: Date): Promise<void>;
  /** Marks the account's unused code with this hash used: true once, false for a used or unknown code. */
  useRecoveryCode(accountId: string, hash: string, now: Date): Promise<boolean>;
  /** How many unused recovery codes the account has. */
  recoveryCodesLeft(accountId: string): Promise<number>;
  /** Registers a passkey and, in the same transaction, replaces the recovery codes with `recoveryCodeHashes` when given; false (nothing written) when its credential id is registered already. */
  addPasskey(passkey: Passkey, recoveryCodeHashes: readonly string[] | null): Promise<boolean>;
  /** The account's passkeys, oldest first. */
  passkeysOf(accountId: string): Promise<Passkey[]>;
  /** The passkey with this credential id, whoever holds it; null when unknown. */
  passkeyById(credentialId: string): Promise<Passkey | null>;
  /** Records a use with the authenticator's new signature counter: true when it is later than the stored one (or both are 0, a key that keeps no counter), false otherwise (a cloned key, a replay) or for an unknown key. */
  usePasskey(credentialId: string, counter: number, now: Date): Promise<boolean>;
  /** Deletes the account's passkey, and the recovery codes with it when `withRecoveryCodes`; false when the account has no such passkey. */
  removePasskey(accountId: string, credentialId: string, withRecoveryCodes: boolean): Promise<boolean>;
  /** Stores a challenge under the hash of its secret (and forgets expired challenges). */
  putChallenge(hash: string, challenge: StoredChallenge): Promise<void>;
  /** The live challenge with this hash and purpose; null when unknown, used or expired. Changes nothing. */
  peekChallenge(hash: string, purpose: ChallengePurpose, now: Date): Promise<StoredChallenge | null>;
  /** Removes the live challenge with this hash and purpose and returns it: of concurrent takes exactly one gets it. */
  takeChallenge(hash: string, purpose: ChallengePurpose, now: Date): Promise<StoredChallenge | null>;
  /** Records how a session was signed in, until `expiresAt` (the session's end). */
  putSessionAssurance(sessionId: string, assurance: Assurance, expiresAt: Date): Promise<void>;
  /** How the session was signed in; null when nothing was recorded (a password-only session) or it expired. */
  sessionAssurance(sessionId: string, now: Date): Promise<Assurance | null>;
}
