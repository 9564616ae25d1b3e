import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountQuery } from '@authsvc/core';
import type { DatabaseHandle } from '../src/connection/database-handle.types.js';
import { searchAccountsQuery } from '../src/accounts/account-search.query.js';
import { availableBackends, createMigratedBackend, type Backend } from './support/backends.support.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];
const NOW = new Date();

/**
 * SearchAccounts must read one index range per page however many accounts there are (the bench measures how fast on
 * 1,000,000): a prefix through the "C"-collation index of its column, no prefix through (created_at, id), and never
 * a sequential scan of accounts or a sort of the matches.
 */
describe.skipIf(!(await availableBackends()).includes('postgres'))('the account search on many accounts (PostgreSQL server)', () => {
  let backend: Backend;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    ({ backend, handle } = await createMigratedBackend('postgres'));
    await sql`
      insert into accounts (id, kind, role, username, username_normalized, email, email_normalized, password_hash, created_at, updated_at)
      select gen_random_uuid(), 'user', 'USER', 'User_' || md5(g::text), 'user_' || md5(g::text), md5(g::text) || '@example.com',
             md5(g::text) || '@example.com', 'x', now() - g * interval '1 second', now()
      from generate_series(1, 50000) g`.execute(handle.db);
    await sql`insert into user_profiles (account_id, gender, country, age) select id, 'female', 'SE', 30 from accounts`.execute(handle.db);
    await sql`analyze`.execute(handle.db);
  }, 120_000);
  afterAll(async () => backend.close());

  const planOf = async (query: Omit<AccountQuery, 'now'>): Promise<PlanNode[]> => {
    const { rows } = await sql<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>`explain (format json) ${searchAccountsQuery(handle.db, { now: NOW, ...query }, 101)}`.execute(handle.db);
    return nodesOf(rows[0]!['QUERY PLAN'][0].Plan);
  };
  const accountsScans = (nodes: PlanNode[]) => nodes.filter((n) => n['Relation Name'] === 'accounts');

  it.each([
    ['a username prefix', { usernamePrefix: 'user_ab' }, 'accounts_username_search_idx'],
    ['a username prefix after a position', { usernamePrefix: 'user_a', after: { order: 'username', username: 'user_a5' } }, 'accounts_username_search_idx'],
    ['an email prefix', { emailPrefix: 'ab' }, 'accounts_email_search_idx'],
    ['no prefix, a creation range and a role', { createdFrom: new Date(0), role: 'USER' }, 'accounts_created_search_idx'],
    ['no prefix after a position', { after: { order: 'created', createdAt: new Date(), id: '00000000-0000-0000-0000-000000000000' } }, 'accounts_created_search_idx'],
  ] satisfies [string, Omit<AccountQuery, 'now'>, string][])('%s reads accounts through its index, with no sort and no sequential scan of accounts or profiles', async (_name, query, index) => {
    const nodes = await planOf(query);
    expect(accountsScans(nodes).map((n) => [n['Node Type'], n['Index Name']])).toEqual([[expect.stringMatching(/^Index( Only)? Scan$/), index]]);
    expect(nodes.map((n) => n['Node Type'])).not.toContain('Sort');
    // The profile joins probe their primary keys (artist_profiles is empty here, so any plan of it is cheap).
    expect(nodes.filter((n) => n['Relation Name'] === 'user_profiles').map((n) => n['Node Type'])).not.toContain('Seq Scan');
  });
});
