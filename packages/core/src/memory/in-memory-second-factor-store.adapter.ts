import type { Assurance, ChallengePurpose, Passkey, SecondFactorKind, StoredChallenge, TotpFactor } from '../domain/second-factor.model.js';
import type { SecondFactorStore } from '../ports/second-factor-store.port.js';

interface RecoveryCode {
  hash: string;
  usedAt: Date | null;
}

/** Second factors in process memory (one instance only). Each method is synchronous inside, hence atomic on the event loop. */
export class InMemorySecondFactorStore implements SecondFactorStore {
  readonly #totp = new Map<string, TotpFactor>();
  readonly #recoveryCodes = new Map<string, RecoveryCode[]>();
  readonly #challenges = new Map<string, StoredChallenge>();
  readonly #passkeys = new Map<string, Passkey>();
  readonly #assurance = new Map<string, { assurance: Assurance; expiresAt: Date }>();

  async enrolledFactors(accountId: string): Promise<SecondFactorKind[]> {
    const factors: SecondFactorKind[] = [];
    if (this.#totp.get(accountId)?.confirmedAt) factors.push('totp');
    if ([...this.#passkeys.values()].some((p) => p.accountId === accountId)) factors.push('passkey');
    if ((await this.recoveryCodesLeft(accountId)) > 0) factors.push('recovery_code');
    return factors;
  }

  async totpOf(accountId: string): Promise<TotpFactor | null> {
    const factor = this.#totp.get(accountId);
    return factor === undefined ? null : { ...factor };
  }

  async beginTotp(accountId: string, sealedSecret: string, now: Date): Promise<boolean> {
    if (this.#totp.get(accountId)?.confirmedAt) return false;
    this.#totp.set(accountId, { accountId, sealedSecret, confirmedAt: null, lastUsedStep: null, createdAt: now });
    return true;
  }

  async confirmTotp(accountId: string, step: number, recoveryCodeHashes: readonly string[] | null, now: Date): Promise<boolean> {
    const factor = this.#totp.get(accountId);
    if (factor === undefined || factor.confirmedAt !== null) return false;
    this.#totp.set(accountId, { ...factor, confirmedAt: now, lastUsedStep: step });
    if (recoveryCodeHashes !== null) this.#replace(accountId, recoveryCodeHashes);
    return true;
  }

  async useTotpStep(accountId: string, step: number): Promise<boolean> {
    const factor = this.#totp.get(accountId);
    if (factor === undefined || factor.confirmedAt === null) return false;
    if (factor.lastUsedStep !== null && factor.lastUsedStep >= step) return false;
    this.#totp.set(accountId, { ...factor, lastUsedStep: step });
    return true;
  }

  async removeTotp(accountId: string, withRecoveryCodes: boolean): Promise<boolean> {
    const existed = this.#totp.delete(accountId);
    if (existed && withRecoveryCodes) this.#recoveryCodes.delete(accountId);
    return existed;
  }

  async replaceRecoveryCodes(accountId: string, hashes: readonly string[]): Promise<void> {
    this.#replace(accountId, hashes);
  }

  async useRecoveryCode(accountId: string, hash: string, now: Date): Promise<boolean> {
    const code = this.#recoveryCodes.get(accountId)?.find((c) => c.hash === hash && c.usedAt === null);
    if (code === undefined) return false;
    code.usedAt = now;
    return true;
  }

  async recoveryCodesLeft(accountId: string): Promise<number> {
    return (this.#recoveryCodes.get(accountId) ?? []).filter((c) => c.usedAt === null).length;
  }

  async addPasskey(passkey: Passkey, recoveryCodeHashes: readonly string[] | null): Promise<boolean> {
    if (this.#passkeys.has(passkey.credentialId)) return false;
    this.#passkeys.set(passkey.credentialId, copyPasskey(passkey));
    if (recoveryCodeHashes !== null) this.#replace(passkey.accountId, recoveryCodeHashes);
    return true;
  }

  async passkeysOf(accountId: string): Promise<Passkey[]> {
    return [...this.#passkeys.values()]
      .filter((p) => p.accountId === accountId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map(copyPasskey);
  }

  async passkeyById(credentialId: string): Promise<Passkey | null> {
    const passkey = this.#passkeys.get(credentialId);
    return passkey === undefined ? null : copyPasskey(passkey);
  }

  async usePasskey(credentialId: string, counter: number, now: Date): Promise<boolean> {
    const passkey = this.#passkeys.get(credentialId);
    if (passkey === undefined) return false;
    if (!(counter > passkey.counter || (counter === 0 && passkey.counter === 0))) return false;
    this.#passkeys.set(credentialId, { ...passkey, counter, lastUsedAt: now });
    return true;
  }

  async removePasskey(accountId: string, credentialId: string, withRecoveryCodes: boolean): Promise<boolean> {
    if (this.#passkeys.get(credentialId)?.accountId !== accountId) return false;
    this.#passkeys.delete(credentialId);
    if (withRecoveryCodes) this.#recoveryCodes.delete(accountId);
    return true;
  }

  async putChallenge(hash: string, challenge: StoredChallenge): Promise<void> {
    const now = Date.now();
    for (const [key, stored] of this.#challenges) if (stored.expiresAt.getTime() <= now) this.#challenges.delete(key);
    this.#challenges.set(hash, structuredClone(challenge));
  }

  async peekChallenge(hash: string, purpose: ChallengePurpose, now: Date): Promise<StoredChallenge | null> {
    const stored = this.#live(hash, purpose, now);
    return stored === null ? null : structuredClone(stored);
  }

  async takeChallenge(hash: string, purpose: ChallengePurpose, now: Date): Promise<StoredChallenge | null> {
    // Found and deleted without an await between: atomic on the event loop.
    const stored = this.#live(hash, purpose, now);
    if (stored !== null) this.#challenges.delete(hash);
    return stored;
  }

  #live(hash: string, purpose: ChallengePurpose, now: Date): StoredChallenge | null {
    const stored = this.#challenges.get(hash);
    return stored === undefined || stored.purpose !== purpose || stored.expiresAt.getTime() <= now.getTime() ? null : stored;
  }

  async putSessionAssurance(sessionId: string, assurance: Assurance, expiresAt: Date): Promise<void> {
    this.#assurance.set(sessionId, { assurance: { amr: [...assurance.amr], authTime: assurance.authTime }, expiresAt });
  }

  async sessionAssurance(sessionId: string, now: Date): Promise<Assurance | null> {
    const entry = this.#assurance.get(sessionId);
    if (entry === undefined) return null;
    if (entry.expiresAt.getTime() <= now.getTime()) {
      this.#assurance.delete(sessionId);
      return null;
    }
    return { amr: [...entry.assurance.amr], authTime: entry.assurance.authTime };
  }

  #replace(accountId: string, hashes: readonly string[]): void {
    this.#recoveryCodes.set(accountId, hashes.map((hash) => ({ hash, usedAt: null })));
  }
}

function copyPasskey(passkey: Passkey): Passkey {
  return { ...passkey, publicKey: new Uint8Array(passkey.publicKey), transports: [...passkey.transports] };
}
