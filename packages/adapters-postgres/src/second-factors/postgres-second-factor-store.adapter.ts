import type { Assurance, AuthMethod, ChallengePurpose, Passkey, SecondFactorKind, SecondFactorStore, StoredChallenge, TotpFactor } from '@authsvc/core';
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../schema/database-schema.types.js';
import { isUuid } from '../accounts/account-row.codec.js';
import { sessionAssuranceQuery } from './session-assurance.query.js';

/** Expired challenges and assurance rows deleted per write, at most: housekeeping that never makes a write slow. */
const SWEEP_ROWS = 100;

/**
 * Second factors in PostgreSQL. Each single-use thing is used by one conditional statement (UPDATE ... WHERE unused,
 * DELETE ... RETURNING), so the row lock settles concurrent uses: exactly one statement sees the row in its old state.
 * The two writes that touch two tables (confirm with recovery codes, remove with them) run in one transaction.
 */
export class PostgresSecondFactorStore implements SecondFactorStore {
  constructor(private readonly db: Kysely<Schema>) {}

  async enrolledFactors(accountId: string): Promise<SecondFactorKind[]> {
    if (!isUuid(accountId)) return [];
    const { rows } = await sql<{ totp: boolean; passkey: boolean; codes: boolean }>`
      select exists(select 1 from totp_factors where account_id = ${accountId} and confirmed_at is not null) as totp,
             exists(select 1 from passkeys where account_id = ${accountId}) as passkey,
             exists(select 1 from recovery_codes where account_id = ${accountId} and used_at is null) as codes`.execute(this.db);
    const factors: SecondFactorKind[] = [];
    if (rows[0]?.totp) factors.push('totp');
    if (rows[0]?.passkey) factors.push('passkey');
    if (rows[0]?.codes) factors.push('recovery_code');
    return factors;
  }

  async totpOf(accountId: string): Promise<TotpFactor | null> {
    if (!isUuid(accountId)) return null;
    const row = await this.db.selectFrom('totp_factors').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    if (row === undefined) return null;
    return {
      accountId: row.account_id,
      sealedSecret: row.sealed_secret,
      confirmedAt: row.confirmed_at,
      lastUsedStep: row.last_used_step === null ? null : Number(row.last_used_step),
      createdAt: row.created_at,
    };
  }

  async beginTotp(accountId: string, sealedSecret: string, now: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('totp_factors')
      .values({ account_id: accountId, sealed_secret: sealedSecret, confirmed_at: null, last_used_step: null, created_at: now })
      .onConflict((oc) =>
        oc.column('account_id').doUpdateSet({ sealed_secret: sealedSecret, created_at: now }).where('totp_factors.confirmed_at', 'is', null),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async confirmTotp(accountId: string, step: number, recoveryCodeHashes: readonly string[] | null, now: Date): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('totp_factors')
        .set({ confirmed_at: now, last_used_step: step })
        .where('account_id', '=', accountId)
        .where('confirmed_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      if (recoveryCodeHashes !== null) await replaceCodes(trx, accountId, recoveryCodeHashes, now);
      return true;
    });
  }

  async useTotpStep(accountId: string, step: number): Promise<boolean> {
    if (!isUuid(accountId)) return false;
    const result = await this.db
      .updateTable('totp_factors')
      .set({ last_used_step: step })
      .where('account_id', '=', accountId)
      .where('confirmed_at', 'is not', null)
      .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async removeTotp(accountId: string, withRecoveryCodes: boolean): Promise<boolean> {
    if (!isUuid(accountId)) return false;
    return this.db.transaction().execute(async (trx) => {
      const result = await trx.deleteFrom('totp_factors').where('account_id', '=', accountId).executeTakeFirst();
      const existed = Number(result.numDeletedRows) === 1;
      if (existed && withRecoveryCodes) await trx.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
      return existed;
    });
  }

  async replaceRecoveryCodes(accountId: string, hashes: readonly string[], now: Date): Promise<void> {
    await this.db.transaction().execute((trx) => replaceCodes(trx, accountId, hashes, now));
  }

  async useRecoveryCode(accountId: string, hash: string, now: Date): Promise<boolean> {
    if (!isUuid(accountId)) return false;
    const result = await this.db
      .updateTable('recovery_codes')
      .set({ used_at: now })
      .where('account_id', '=', accountId)
      .where('code_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async recoveryCodesLeft(accountId: string): Promise<number> {
    if (!isUuid(accountId)) return 0;
    const row = await this.db
      .selectFrom('recovery_codes')
      .select((eb) => eb.fn.countAll<string | number>().as('left'))
      .where('account_id', '=', accountId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.left);
  }

  async addPasskey(passkey: Passkey, recoveryCodeHashes: readonly string[] | null): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .insertInto('passkeys')
        .values({
          credential_id: passkey.credentialId,
          account_id: passkey.accountId,
          public_key: passkey.publicKey,
          counter: passkey.counter,
          transports: [...passkey.transports],
          device_type: passkey.deviceType,
          backed_up: passkey.backedUp,
          name: passkey.name,
          created_at: passkey.createdAt,
          last_used_at: passkey.lastUsedAt,
        })
        .onConflict((oc) => oc.column('credential_id').doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
      if (recoveryCodeHashes !== null) await replaceCodes(trx, passkey.accountId, recoveryCodeHashes, passkey.createdAt);
      return true;
    });
  }

  async passkeysOf(accountId: string): Promise<Passkey[]> {
    if (!isUuid(accountId)) return [];
    const rows = await this.db.selectFrom('passkeys').selectAll().where('account_id', '=', accountId).orderBy('created_at').orderBy('credential_id').execute();
    return rows.map(toPasskey);
  }

  async passkeyById(credentialId: string): Promise<Passkey | null> {
    const row = await this.db.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
    return row === undefined ? null : toPasskey(row);
  }

  async usePasskey(credentialId: string, counter: number, now: Date): Promise<boolean> {
    // One conditional UPDATE: of two uses racing with the same counter, one moves it.
    const result = await this.db
      .updateTable('passkeys')
      .set({ counter, last_used_at: now })
      .where('credential_id', '=', credentialId)
      // A key that keeps no counter (0) may be used again at 0; any other use must move the counter forward.
      .where('counter', counter === 0 ? '=' : '<', counter)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async removePasskey(accountId: string, credentialId: string, withRecoveryCodes: boolean): Promise<boolean> {
    if (!isUuid(accountId)) return false;
    return this.db.transaction().execute(async (trx) => {
      const result = await trx.deleteFrom('passkeys').where('account_id', '=', accountId).where('credential_id', '=', credentialId).executeTakeFirst();
      const existed = Number(result.numDeletedRows) === 1;
      if (existed && withRecoveryCodes) await trx.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
      return existed;
    });
  }

  async putChallenge(hash: string, challenge: StoredChallenge): Promise<void> {
    await sweep(this.db, 'auth_challenges');
    await this.db
      .insertInto('auth_challenges')
      .values({ hash, purpose: challenge.purpose, account_id: challenge.accountId, data: { ...challenge.data }, expires_at: challenge.expiresAt })
      .execute();
  }

  async peekChallenge(hash: string, purpose: ChallengePurpose, now: Date): Promise<StoredChallenge | null> {
    const row = await this.db
      .selectFrom('auth_challenges')
      .selectAll()
      .where('hash', '=', hash)
      .where('purpose', '=', purpose)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row === undefined ? null : toChallenge(row);
  }

  async takeChallenge(hash: string, purpose: ChallengePurpose, now: Date): Promise<StoredChallenge | null> {
    const row = await this.db
      .deleteFrom('auth_challenges')
      .where('hash', '=', hash)
      .where('purpose', '=', purpose)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? null : toChallenge(row);
  }

  async putSessionAssurance(sessionId: string, assurance: Assurance, expiresAt: Date): Promise<void> {
    await sweep(this.db, 'session_assurance');
    await this.db
      .insertInto('session_assurance')
      .values({ session_id: sessionId, amr: [...assurance.amr], auth_time: assurance.authTime, expires_at: expiresAt })
      .onConflict((oc) => oc.column('session_id').doUpdateSet({ amr: [...assurance.amr], auth_time: assurance.authTime, expires_at: expiresAt }))
      .execute();
  }

  async sessionAssurance(sessionId: string, now: Date): Promise<Assurance | null> {
    const { rows } = await this.db.executeQuery(sessionAssuranceQuery(sessionId, now));
    const row = rows[0];
    return row === undefined ? null : { amr: row.amr as AuthMethod[], authTime: row.auth_time };
  }
}

async function replaceCodes(trx: Kysely<Schema>, accountId: string, hashes: readonly string[], now: Date): Promise<void> {
  await trx.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
  if (hashes.length === 0) return;
  await trx
    .insertInto('recovery_codes')
    .values(hashes.map((code_hash) => ({ account_id: accountId, code_hash, used_at: null, created_at: now })))
    .execute();
}

/**
 * Deletes up to SWEEP_ROWS rows of `table` that expired by the database's clock: housekeeping only (reads check expiry
 * against the caller's clock), skipping rows another sweep holds.
 */
async function sweep(db: Kysely<Schema>, table: 'auth_challenges' | 'session_assurance'): Promise<void> {
  const key = table === 'auth_challenges' ? sql.ref('hash') : sql.ref('session_id');
  await sql`delete from ${sql.table(table)} where ${key} in (
    select ${key} from ${sql.table(table)} where expires_at < now() order by expires_at limit ${SWEEP_ROWS} for update skip locked)`.execute(db);
}

function toChallenge(row: { purpose: string; account_id: string | null; data: Record<string, unknown>; expires_at: Date }): StoredChallenge {
  return { purpose: row.purpose as ChallengePurpose, accountId: row.account_id, data: row.data, expiresAt: row.expires_at };
}

function toPasskey(row: {
  credential_id: string;
  account_id: string;
  public_key: Uint8Array;
  counter: string | number;
  transports: string[];
  device_type: string;
  backed_up: boolean;
  name: string | null;
  created_at: Date;
  last_used_at: Date | null;
}): Passkey {
  return {
    credentialId: row.credential_id,
    accountId: row.account_id,
    publicKey: new Uint8Array(row.public_key),
    counter: Number(row.counter),
    transports: [...row.transports],
    deviceType: row.device_type === 'singleDevice' ? 'singleDevice' : 'multiDevice',
    backedUp: row.backed_up,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}
