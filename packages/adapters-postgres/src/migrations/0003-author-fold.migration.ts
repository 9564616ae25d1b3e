import { normalizeAuthor } from '@authsvc/core';
import { sql, type Kysely } from 'kysely';

// Stage names become unique by their look-alike fold (core's normalizeAuthor: invisible characters removed, case
// folded, confusable letters mapped to one skeleton), where 0001 only lower-cased them. The fold runs in
// TypeScript, so the rows are read and rewritten in batches. If two existing artists' names fold alike ("Drake" and
// "Drake" + U+200B), the migration refuses and names them: which one keeps the name is the operator's decision (a
// rename changes what listeners see), never a silent suffix. Nothing is written then (one transaction).

/** The fold of 0001, for going back down: NFKC, trimmed, lower case. */
const LOWER_CASE_FOLD = (author: string): string => author.normalize('NFKC').trim().toLowerCase();

const BATCH_ROWS = 1_000;
/** How many clashing groups the refusal lists (the count says how many there are in all). */
const CLASHES_SHOWN = 20;

export async function up(db: Kysely<unknown>): Promise<void> {
  await refoldAuthors(db, normalizeAuthor, '0003_author_fold');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await refoldAuthors(db, LOWER_CASE_FOLD, '0003_author_fold (down)');
}

/**
 * Sets author_normalized of every artist to `fold(author)`. The new values go to a scratch column first, so clashes
 * are found before anything changes, and the unique index is rebuilt after the rewrite, because one UPDATE
 * statement checks uniqueness row by row and would trip over a value that a row later in the same statement gives up.
 */
async function refoldAuthors(db: Kysely<unknown>, fold: (author: string) => string, migration: string): Promise<void> {
  await sql`alter table artist_profiles add column author_refolded text`.execute(db);
  let after: string | undefined;
  for (;;) {
    const { rows } = await sql<{ account_id: string; author: string }>`
      select account_id, author from artist_profiles
      ${after === undefined ? sql`` : sql`where account_id > ${after}::uuid`}
      order by account_id limit ${BATCH_ROWS}`.execute(db);
    if (rows.length === 0) break;
    const values = rows.map((row) => sql`(${row.account_id}::uuid, ${fold(row.author)})`);
    await sql`
      update artist_profiles as p set author_refolded = v.folded
      from (values ${sql.join(values)}) as v(account_id, folded)
      where p.account_id = v.account_id`.execute(db);
    after = rows[rows.length - 1]!.account_id;
  }

  const { rows: clashes } = await sql<{ artists: string; total: number | string }>`
    select string_agg(account_id::text || ' ' || quote_literal(author), ', ' order by account_id) as artists,
           count(*) over () as total
    from artist_profiles group by author_refolded having count(*) > 1
    order by min(account_id::text) limit ${CLASHES_SHOWN}`.execute(db);
  if (clashes.length > 0) {
    const groups = clashes.map((clash) => `[${clash.artists}]`).join('; ');
    throw new Error(
      `${migration}: ${clashes[0]!.total} group(s) of artists have stage names that fold alike and cannot all stay unique: ${groups}. ` +
        'Rename all but one artist of each group (UPDATE artist_profiles SET author = ... WHERE account_id = ...), then run the migrations again.',
    );
  }

  await sql`drop index artist_profiles_author_normalized_key`.execute(db);
  await sql`update artist_profiles set author_normalized = author_refolded where author_normalized is distinct from author_refolded`.execute(db);
  await sql`alter table artist_profiles drop column author_refolded`.execute(db);
  await sql`create unique index artist_profiles_author_normalized_key on artist_profiles (author_normalized)`.execute(db);
}
