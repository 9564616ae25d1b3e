import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/connection/database-handle.types.js';
import { claimDueEventsQuery } from '../src/outbox/outbox-claim.query.js';
import { availableBackends, createMigratedBackend, type Backend } from './support/backends.support.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/**
 * The relay's claim must stay on index probes however large the batch and the backlog: an earlier shape of the
 * statement made PostgreSQL hash the whole outbox twice per claim once the batch reached a few hundred rows on a
 * backlog of 50,000 (83 ms per claim instead of 6). The plan is what this checks; how fast it runs is the bench's.
 */
describe.skipIf(!(await availableBackends()).includes('postgres'))('the outbox claim on a large backlog (PostgreSQL server)', () => {
  let backend: Backend;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    ({ backend, handle } = await createMigratedBackend('postgres'));
    // 20,000 pending events, one key each but every tenth key shared with the next row (ordering work for the check).
    await sql`
      insert into outbox (id, type, topic, key, payload, headers, created_at, next_attempt_at)
      select gen_random_uuid(), 'user.created', 'topic', 'key-' || (g / 10 * 10 + case when g % 10 = 9 then 8 else g % 10 end), '{}'::jsonb, '{}'::jsonb, now(), now()
      from generate_series(1, 20000) g`.execute(handle.db);
    await sql`analyze outbox`.execute(handle.db);
  }, 60_000);
  afterAll(async () => backend.close());

  it.each([100, 500, 2_000])('a claim of %i reads the outbox through its indexes only, never a sequential scan', async (limit) => {
    const { rows } = await sql<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>`explain (format json) ${claimDueEventsQuery(limit, new Date())}`.execute(handle.db);
    const nodes = nodesOf(rows[0]!['QUERY PLAN'][0].Plan);
    expect(nodes.filter((n) => n['Relation Name'] === 'outbox').map((n) => n['Node Type'])).not.toContain('Seq Scan');
    expect(nodes.map((n) => n['Node Type'])).not.toContain('Hash Join');
  });
});
