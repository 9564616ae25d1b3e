import pg from 'pg';
import type { AuthServer } from '../infra/auth-server.process.ts';
import type { EventCollector, SeenEvent } from '../infra/event-collector.util.ts';
import type { TimeWindow } from '../report/cpu-profile.report.ts';
import { commandCpuMs, readCpu, storeCpuBetween } from '../loadgen/cpu-meter.util.ts';
import { round } from '../stats.util.ts';
import type { ScenarioResult } from './scenario-result.types.ts';

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
  /** Where the drain sits on the monotonic clock (from the restarted server's listening line to the last event). */
  windows?: TimeWindow[];
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
  const startUs = Number(process.hrtime.bigint() / 1_000n);
  const cpuAtStart = { bench: process.cpuUsage(), stack: readCpu(server.pid), kafka: commandCpuMs('java') };
  // Distinct keys: the relay publishes at least once, so a duplicate must not stand in for a lost event. The check
  // runs after every consumed batch, so it looks only at the events that came since the last one.
  const keys = new Set<string>();
  const seen: SeenEvent[] = [];
  let scanned = seenBefore;
  const distinct = (): number => {
    for (; scanned < collector.events.length; scanned += 1) {
      const event = collector.events[scanned]!;
      if (!event.key.startsWith(marker)) continue;
      seen.push(event);
      keys.add(event.key);
    }
    return keys.size;
  };
  let missing = 0;
  await collector.waitFor(() => distinct() >= count, 300_000).catch(() => (missing = count - distinct()));
  const windowMs = Date.now() - listeningAt;
  args.windows?.push({ name: 'outbox drain', startUs, endUs: Number(process.hrtime.bigint() / 1_000n) });
  const bench = process.cpuUsage(cpuAtStart.bench);
  const stack = readCpu(server.pid);
  // Where the drain's CPU went, in % of one core over the drain: the relay is in the server, the consumer in this
  // process, the broker in `java` (this machine's Kafka).
  const cpuPercent = (ms: number): number => round((ms / windowMs) * 100, 1);
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
      // The consumer (this process) stands where a load generator stands in the other rows.
      loadgenCpuPercent: cpuPercent((bench.user + bench.system) / 1_000),
      serverCpuPercent: cpuPercent(stack.server - cpuAtStart.stack.server),
      storesCpuPercent: { postgres: cpuPercent(storeCpuBetween(cpuAtStart.stack.postgres, stack.postgres)), redis: cpuPercent(storeCpuBetween(cpuAtStart.stack.redis, stack.redis)) },
      extra: {
        serverStartMs: listeningAt - spawnedAt,
        firstEventAfterListeningMs: first - listeningAt,
        drainMs,
        ratePureDrainPerSecond: round((seen.length / Math.max(1, last - first)) * 1_000, 0),
        kafkaBrokerCpuPercent: cpuPercent(commandCpuMs('java') - cpuAtStart.kafka),
      },
    },
  };
}
