import { createQueryId, type CompiledQuery } from 'kysely';
import { compileOnly } from '../connection/compile-only.util.js';
import { keepPrepared } from '../connection/prepared-statements.util.js';
import { selectAccounts, type AccountRow } from './account-row.codec.js';

/**
 * The account-by-id select, built and compiled once (only its one parameter changes from call to call) and kept
 * prepared on every PostgreSQL connection.
 */
const ACCOUNT_BY_ID = keepPrepared(selectAccounts(compileOnly).where('a.id', '=', '00000000-0000-0000-0000-000000000000').compile(), 'authsvc_account_by_id');

/**
 * The query of `findById`, which every GetUser, RefreshToken and Login runs: building and compiling it with the
 * query builder on each call cost ~20 µs of the event loop (measured: docs/PERFORMANCE.md), a tenth of a GetUser.
 */
export function accountByIdQuery(id: string): CompiledQuery<AccountRow> {
  return { ...ACCOUNT_BY_ID, parameters: [id], queryId: createQueryId() };
}
