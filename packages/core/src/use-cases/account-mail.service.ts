import type { Account } from '../domain/account.model.js';
import { normalizeEmail } from '../domain/account.model.js';
import { isWellFormedToken, newSecretToken, tokenHash, type AccountToken, type TokenPurpose } from '../domain/account-token.model.js';
import type { MailKind } from '../domain/outgoing-mail.model.js';
import type { MailTokenSealer } from '../crypto/mail-token-sealer.codec.js';
import { DomainError, isDomainError } from '../errors/domain.errors.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import type { TransactionScope } from '../ports/unit-of-work.port.js';
import type { Reservation } from './attempt-limiter.service.js';

export const invalidToken = (): DomainError => new DomainError('ACCOUNT_TOKEN_INVALID');

/**
 * Issues mailed tokens and queues their mails, inside the caller's unit of work: the token row and its mail commit
 * together or not at all. The token itself only ever exists in the sealed mail; the store keeps its hash.
 */
export class AccountMailer {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'ids'>,
    private readonly sealer: MailTokenSealer,
    private readonly lifetimesMs: Record<TokenPurpose, number>,
  ) {}

  /** A new token of `purpose` for `account`, bound to `to` (earlier ones of the purpose voided), and its mail of `kind` to `to`. */
  async sendToken(scope: TransactionScope, purpose: TokenPurpose, kind: Exclude<MailKind, 'email-change-notice'>, account: Account, to: string, now: Date): Promise<void> {
    const token = newSecretToken();
    await scope.tokens.issue({
      hash: tokenHash(token),
      purpose,
      accountId: account.id,
      email: to,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.lifetimesMs[purpose]),
    });
    await scope.mail.enqueue([
      { id: this.deps.ids.uuid(), kind, to, accountId: account.id, username: account.username, sealedToken: this.sealer.seal(token), newEmail: null, createdAt: now },
    ]);
  }

  /** Tells the current address of `account` that a change to `newEmail` was asked for (no link, no token). */
  async sendChangeNotice(scope: TransactionScope, account: Account, newEmail: string, now: Date): Promise<void> {
    await scope.mail.enqueue([
      { id: this.deps.ids.uuid(), kind: 'email-change-notice', to: account.email, accountId: account.id, username: account.username, sealedToken: null, newEmail, createdAt: now },
    ]);
  }
}

/**
 * Spends `token` for `purpose` in `scope` and returns it with its account; ACCOUNT_TOKEN_INVALID for any token that
 * does not work, whatever the reason. `boundToCurrentEmail`: the token was mailed to the account's address, which must
 * still be the account's (a verification or reset link of a former address works no more).
 */
export async function redeemToken(
  scope: TransactionScope,
  token: string,
  purpose: TokenPurpose,
  now: Date,
  boundToCurrentEmail: boolean,
): Promise<{ record: AccountToken; account: Account }> {
  const record = isWellFormedToken(token) ? await scope.tokens.redeem(tokenHash(token), purpose, now) : null;
  if (record === null) throw invalidToken();
  const account = await scope.accounts.findById(record.accountId);
  if (account === null) throw invalidToken();
  if (boundToCurrentEmail && normalizeEmail(account.email) !== normalizeEmail(record.email)) throw invalidToken();
  return { record, account };
}

/**
 * Runs a redemption under its counted attempt: a token that did not work stays counted (that is what a guesser
 * spends), a success or a failure that says nothing about the token (a store outage) gives the attempt back.
 */
export async function underRedemption<T>(attempt: Reservation, work: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    if (!isDomainError(error, 'ACCOUNT_TOKEN_INVALID')) await attempt.cancel();
    throw error;
  }
  await attempt.succeeded();
  return result;
}
