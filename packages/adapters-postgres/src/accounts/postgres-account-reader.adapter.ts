import type { Account, AccountQuery, AccountReader } from '@authsvc/core';
import { normalizeLogin } from '@authsvc/core';
import { sql } from 'kysely';
import { accountByIdQuery } from './account-by-id.query.js';
import { isUuid, selectAccounts, toAccount, type Queryable } from './account-row.codec.js';
import { searchAccountsQuery } from './account-search.query.js';

/** Account lookups on the pool, or on a transaction when built by the unit of work. */
export class PostgresAccountReader implements AccountReader {
  constructor(protected readonly db: Queryable) {}

  async findById(id: string): Promise<Account | null> {
    if (!isUuid(id)) return null;
    const { rows } = await this.db.executeQuery(accountByIdQuery(id));
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async findByLogin(login: string): Promise<Account | null> {
    // One normalisation for both columns (and for core's login limits): for every valid username and email it is the
    // one their normalized columns were written with.
    const name = normalizeLogin(login);
    // Both unique indexes answer this; a username match wins if one account's username is another's email.
    const row = await selectAccounts(this.db)
      .where((eb) => eb.or([eb('a.username_normalized', '=', name), eb('a.email_normalized', '=', name)]))
      .orderBy(sql`a.username_normalized = ${name}`, 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toAccount(row) : null;
  }

  async search(query: AccountQuery, limit: number): Promise<Account[]> {
    const rows = await searchAccountsQuery(this.db, query, limit).execute();
    return rows.map(toAccount);
  }

  async deletedBefore(cutoff: Date, limit: number): Promise<string[]> {
    // accounts_deleted_at_idx: a range of the partial index, only deleted accounts in it.
    const rows = await this.db
      .selectFrom('accounts')
      .select('id')
      .where('deleted_at', 'is not', null)
      .where('deleted_at', '<=', cutoff)
      .orderBy('deleted_at')
      .orderBy('id')
      .limit(Math.max(0, limit))
      .execute();
    return rows.map((row) => row.id);
  }
}
