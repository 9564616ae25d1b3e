import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAuthServer, type AuthServer } from '../infra/auth-server.process.ts';
import { BenchClient } from '../infra/bench-client.util.ts';
import { createDatabase, deleteRedisKeys, locateKafka } from '../infra/services.util.ts';
import { fullModeServerEnv } from '../infra/server-env.config.ts';
import type { BenchAccount, CallKind } from '../loadgen/call-kinds.scenario.ts';
import { readStat } from '../loadgen/cpu-meter.util.ts';
import type { LoadGenerator, LoadResult } from '../loadgen/load-spec.types.ts';
import { runLoad } from '../loadgen/run-load.util.ts';

/**
 * Scale points (issue #22, part 3): the bench's closed loops (ValidateToken, GetUser, RefreshToken) against 1, 2 and 3
 * server processes on this one machine, sharing one PostgreSQL database, one Redis prefix and one Kafka broker, with
 * client-side round robin (each load process keeps one connection to every server; virtual user i calls server
 * i mod n). The load is split over `--generators` processes (each with its own accounts, so no two processes share a
 * refresh chain). Reported per point: throughput, p99, the servers' CPU (all processes, % of one core) and µs per call,
 * the generators' CPU, and the machine's busy share, which says what bounds the point on 2 cores.
 *   node bench/src/experiments/scale-points.experiment.ts [--servers 3] [--seconds 10] [--generators 2] [--generator lean|grpc-js]
 * Needs a built server (`pnpm build`), PostgreSQL, Redis and Kafka as `pnpm bench`.
 */
const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => (argv.includes(name) ? argv[argv.indexOf(name) + 1]! : fallback);
const maxServers = Number(option('--servers', '3'));
const seconds = Number(option('--seconds', '10'));
const generators = Number(option('--generators', '2'));
const generator = option('--generator', 'lean') as LoadGenerator;
const concurrency = 16;

/** Busy and total jiffies of the whole machine. */
function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

/** CPU ms of every server process together (all threads). */
const serversCpuMs = (servers: AuthServer[]): number => servers.reduce((sum, s) => sum + (readStat(String(s.pid))?.cpuMs ?? 0), 0);

async function point(servers: AuthServer[], kind: CallKind, accounts: BenchAccount[]): Promise<string> {
  const perGenerator = concurrency / generators;
  const before = machineTicks();
  const serversBefore = serversCpuMs(servers);
  const started = Date.now();
  const results: LoadResult[] = await Promise.all(
    Array.from({ length: generators }, (_, g) =>
      runLoad({
        target: servers[0]!.address,
        roundRobin: servers.map((s) => s.address),
        kind,
        generator,
        mode: 'closed',
        concurrency: perGenerator,
        durationMs: seconds * 1_000,
        warmupMs: 1_000,
        accounts: accounts.slice(g * perGenerator, (g + 1) * perGenerator),
        namePrefix: '',
        callTimeoutMs: 10_000,
        maxCalls: 0,
      }),
    ),
  );
  const wallMs = Date.now() - started;
  const after = machineTicks();
  const errors = results.reduce((sum, r) => sum + r.errors, 0);
  if (errors > 0) throw new Error(`${kind} on ${servers.length} servers: ${JSON.stringify(results.map((r) => r.errorsByReason))}`);
  const throughput = results.reduce((sum, r) => sum + r.throughput, 0);
  const p99 = Math.max(...results.map((r) => r.latencyMs.p99));
  // Over the whole window, warm-up and process start included: a slight overestimate, the same for every point.
  const serversPercent = ((serversCpuMs(servers) - serversBefore) / wallMs) * 100;
  const generatorsPercent = results.reduce((sum, r) => sum + r.cpuPercent, 0);
  const busy = ((after.busy - before.busy) / (after.total - before.total)) * 100;
  const usPerCall = ((serversPercent / 100) * 1e6) / throughput;
  return `| ${servers.length} | ${kind} | ${throughput.toFixed(0)} | ${p99.toFixed(2)} | ${serversPercent.toFixed(0)} (${usPerCall.toFixed(0)}) | ${generatorsPercent.toFixed(0)} | ${busy.toFixed(0)} |`;
}

const runId = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const kafka = await locateKafka();
const database = await createDatabase(runId);
const dataDir = mkdtempSync(join(tmpdir(), 'authsvc-scale-points-'));
const servers: AuthServer[] = [];
try {
  const env = await fullModeServerEnv({ dataDir, databaseUrl: database.url, runId, kafkaBrokers: kafka.brokers });
  console.log(`scale points: ${generator} generator in ${generators} processes, ${concurrency} virtual users, ${seconds} s per point; load average ${loadavg()[0]!.toFixed(2)} at the start`);
  console.log('| servers | scenario | calls/s | p99 ms | servers CPU % (µs/call) | generators CPU % | machine busy % |');
  console.log('|---:|---|---:|---:|---:|---:|---:|');
  for (let n = 1; n <= maxServers; n += 1) {
    servers.push(await startAuthServer(env, join(dataDir, `server-${n}.log`)));
    const client = new BenchClient(servers[0]!.address);
    try {
      const accounts = await client.seed(`${runId.slice(6, 12)}${n}`, concurrency);
      for (const kind of ['validate', 'getUser', 'refresh'] as const) {
        // Fresh sessions per scenario, as the bench does (a refresh chain moves each account's refresh token on).
        const fresh = await Promise.all(accounts.map(async (a) => ({ ...a, ...(await client.login(a.username, a.password)) })));
        console.log(await point(servers, kind, fresh));
      }
    } finally {
      client.close();
    }
  }
  console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);
} finally {
  await Promise.all(servers.map((s) => s.stop()));
  await deleteRedisKeys(`${runId}:`);
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
  await kafka.stop();
}
