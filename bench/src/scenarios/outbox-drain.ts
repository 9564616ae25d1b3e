import pg from 'pg';
import type { AuthServer } from '../infra/auth-server.ts';
import type { EventCollector } from '../infra/event-collector.ts';
import { round } from '../stats.ts';
import type { ScenarioResult } from './scenario-result.ts';

/**
 * Outbox drain: with the server (and so its relay) down, `count` events are inserted straight into the
 * outbox table, copies of a real event with their own id and key; then the server starts and the clock
 * runs until the consumer has every one. Rate = count / (last received - server listening).
 */
export async function outboxDrain(args: {
  databaseUrl: string;
  collector: EventCollector;
  count: number;
  stopServer: () => Promise<void>;
  startServer: () => Promise<AuthServer>;
  log: (line: string) => void;
}): Promise<{ row: ScenarioResult; server: AuthServer }> {
  const { databaseUrl, collector, count } = args;
  args.log(`outbox drain: ${count} events inserted while the server is down`);
  await args.stopServer();
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const marker = `backlog-${Date.now().toString(36)}-`;
  try {
    const { rows } = await db.query<{ pending: string }>('select count(*) as pending from outbox where published_at is null');
    if (Number(rows[0]!.pending) !== 0) throw new Error('the outbox was not empty before the backlog was inserted');
    const inserted = await db.query(
      `insert into outbox (id, type, topic, key, payload, headers, created_at, next_attempt_at)
       select gen_random_uuid(), t.type, t.topic, $1 || g, t.payload, t.headers || jsonb_build_object('ce_id', gen_random_uuid()::text, 'ce_time', to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')), now(), now()
       from (select * from outbox order by seq limit 1) t cross join generate_series(1, $2::int) g`,
      [marker, count],
    );
    if (inserted.rowCount !== count) throw new Error(`inserted ${inserted.rowCount} backlog rows, wanted ${count} (is there a template event?)`);
  } finally {
    await db.end();
  }
  const seenBefore = collector.events.length;
  const spawnedAt = Date.now();
  const server = await args.startServer();
  const listeningAt = Date.now();
  const backlog = () => collector.events.slice(seenBefore).filter((e) => e.key.startsWith(marker));
  // Distinct keys: the relay publishes at least once, so a duplicate must not stand in for a lost event.
  const distinct = () => new Set(backlog().map((e) => e.key)).size;
  let missing = 0;
  await collector.waitFor(() => distinct() >= count, 300_000).catch(() => (missing = count - distinct()));
  const seen = backlog();
  const last = Math.max(...seen.map((e) => e.receivedAt));
  const first = Math.min(...seen.map((e) => e.receivedAt));
  const drainMs = last - listeningAt;
  return {
    server,
    row: {
      name: `Outbox: drain a backlog of ${count.toLocaleString('en-US')} events`,
      unit: 'events/s',
      throughput: round((distinct() / drainMs) * 1_000, 0),
      latencyMs: { p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN },
      ok: distinct(),
      errors: missing,
      errorsByReason: missing > 0 ? { 'events never consumed': missing } : {},
      loadgenCpuPercent: Number.NaN,
      extra: { serverStartMs: listeningAt - spawnedAt, firstEventAfterListeningMs: first - listeningAt, drainMs, ratePureDrainPerSecond: round((seen.length / Math.max(1, last - first)) * 1_000, 0) },
    },
  };
}
