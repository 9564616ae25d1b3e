import type { AccountToken, AccountTokenStore, TokenPurpose } from '@authsvc/core';
import type { Selectable, Transaction } from 'kysely';
import type { AccountTokensTable, Schema } from '../schema/database-schema.types.js';

const toToken = (row: Selectable<AccountTokensTable>): AccountToken => ({
  hash: row.token_hash,
  purpose: row.purpose,
  accountId: row.account_id,
  email: row.email,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

/**
 * Mailed tokens inside the unit of work's transaction. One row per account and purpose: issuing upserts it (the
 * earlier token is gone), redeeming deletes it with DELETE ... RETURNING, which under READ COMMITTED lets exactly one
 * of concurrent redemptions have the row (the others wait for its lock, then find it gone).
 */
export class PostgresAccountTokenStore implements AccountTokenStore {
  constructor(private readonly trx: Transaction<Schema>) {}

  async issue(token: AccountToken): Promise<void> {
    const row = {
      account_id: token.accountId,
      purpose: token.purpose,
      token_hash: token.hash,
      email: token.email,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
    };
    await this.trx
      .insertInto('account_tokens')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['account_id', 'purpose']).doUpdateSet({ token_hash: row.token_hash, email: row.email, created_at: row.created_at, expires_at: row.expires_at }),
      )
      .execute();
  }

  async redeem(hash: string, purpose: TokenPurpose, now: Date): Promise<AccountToken | null> {
    const row = await this.trx
      .deleteFrom('account_tokens')
      .where('token_hash', '=', hash)
      .where('purpose', '=', purpose)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    return row ? toToken(row) : null;
  }

  async voidAll(accountId: string, purpose: TokenPurpose, _now: Date): Promise<number> {
    const result = await this.trx.deleteFrom('account_tokens').where('account_id', '=', accountId).where('purpose', '=', purpose).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
