import { searchOrderOf, type AccountQuery } from '@authsvc/core';
import { sql, type RawBuilder } from 'kysely';
import { selectAccounts, type Queryable } from './account-row.codec.js';

/** A column compared and sorted in the "C" collation: the expression the search indexes of 0006 are built on. */
const byteOrder = (column: 'a.username_normalized' | 'a.email_normalized'): RawBuilder<string> => sql<string>`${sql.ref(column)} collate "C"`;

/**
 * The smallest string greater than every string that starts with `prefix`, in code-point order: the last code point
 * raised by one (past the surrogates); null when there is none (every code point at the top, or an empty prefix).
 */
export function prefixUpperBound(prefix: string): string | null {
  const points = [...prefix].map((c) => c.codePointAt(0)!);
  while (points.length > 0) {
    let last = points.pop()! + 1;
    if (last >= 0xd800 && last <= 0xdfff) last = 0xe000;
    if (last <= 0x10ffff) return String.fromCodePoint(...points, last);
  }
  return null;
}

/**
 * The search of AccountReader.search: every filter as a WHERE condition, the position as a keyset condition, and
 * the order of searchOrderOf. A prefix is a range (`>= prefix and < its upper bound`) rather than a LIKE, so the plan
 * stays an index range scan with bound parameters (a LIKE pattern in a parameter cannot become an index range).
 */
export function searchAccountsQuery(db: Queryable, query: AccountQuery, limit: number) {
  const order = searchOrderOf(query);
  let select = selectAccounts(db);
  const range = (column: 'a.username_normalized' | 'a.email_normalized', prefix: string) => {
    select = select.where(byteOrder(column), '>=', prefix);
    const upper = prefixUpperBound(prefix);
    if (upper !== null) select = select.where(byteOrder(column), '<', upper);
  };
  if (query.usernamePrefix !== undefined) range('a.username_normalized', query.usernamePrefix);
  if (query.emailPrefix !== undefined) range('a.email_normalized', query.emailPrefix);
  if (query.kind !== undefined) select = select.where('a.kind', '=', query.kind);
  if (query.role !== undefined) select = select.where('a.role', '=', query.role);
  if (query.createdFrom !== undefined) select = select.where('a.created_at', '>=', query.createdFrom);
  if (query.createdBefore !== undefined) select = select.where('a.created_at', '<', query.createdBefore);
  if (query.disabled !== undefined) {
    const now = query.now;
    select = query.disabled
      ? select.where((eb) => eb.and([eb('a.disabled_since', 'is not', null), eb.or([eb('a.disabled_until', 'is', null), eb('a.disabled_until', '>', now)])]))
      : select.where((eb) => eb.or([eb('a.disabled_since', 'is', null), eb('a.disabled_until', '<=', now)]));
  }
  if (query.deleted !== undefined) select = select.where('a.deleted_at', query.deleted ? 'is not' : 'is', null);
  const after = query.after;
  if (after !== undefined) {
    if (after.order === 'username') select = select.where(byteOrder('a.username_normalized'), '>', after.username);
    else if (after.order === 'email') select = select.where(byteOrder('a.email_normalized'), '>', after.email);
    else select = select.where(sql<boolean>`(a.created_at, a.id) > (${after.createdAt}, ${after.id}::uuid)`);
  }
  if (order === 'username') select = select.orderBy(byteOrder('a.username_normalized'));
  else if (order === 'email') select = select.orderBy(byteOrder('a.email_normalized'));
  else select = select.orderBy('a.created_at').orderBy('a.id');
  return select.limit(limit);
}
