import { readFileSync } from 'node:fs';
import { scrapeMetrics, type AuthServer } from '../infra/auth-server.process.ts';
import { runLoad } from '../loadgen/run-load.util.ts';
import { withExperimentServer } from './experiment-server.util.ts';

/**
 * The bench's "login storm, with GetUser probe" alone, in rounds, on one full-mode server: logins/s, the server's
 * event-loop delay p99 and max over the window, and the probe's p99. A quicker before/after loop than a whole
 * `pnpm bench` for the three storm targets (event-loop delay p99 <= 20 ms, probe p99 <= 50 ms). It also reads the
 * main thread's scheduler statistics, to tell a loop that is busy from one that is runnable but waits for a core.
 *   node bench/src/experiments/login-storm-probe.experiment.ts [--rounds 3] [--seconds 30] [--no-probe] [--server-env K=V ...]
 * Needs a built server (`pnpm --filter @authsvc/grpc-server build`), PostgreSQL, Redis and Kafka as `pnpm bench`.
 */
const argv = process.argv.slice(2);
const option = (name: string, fallback: number): number => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
const rounds = option('--rounds', 3);
const seconds = option('--seconds', 30);
const serverEnv = Object.fromEntries(argv.flatMap((arg, i) => (arg === '--server-env' ? [argv[i + 1]!.split(/=(.*)/s).slice(0, 2) as [string, string]] : [])));
const concurrency = 16;
/** `--no-probe`: the login storm alone (the bench's "Login storm" row, whose target is logins/s against the hash limit). */
const probeRate = argv.includes('--no-probe') ? 0 : 200;
const ELD = 'nodejs_event_loop_delay_seconds';

/** The server's event-loop delay p99 and max (ms) since the previous scrape, which resets it. */
async function eventLoopDelay(server: AuthServer): Promise<string> {
  const [p99, max] = await scrapeMetrics(server.metricsUrl, [`${ELD}{quantile="0.99"}`, `${ELD}{quantile="1"}`]);
  return `ELD p99 ${((p99 ?? Number.NaN) * 1_000).toFixed(1)} ms, max ${((max ?? Number.NaN) * 1_000).toFixed(1)} ms`;
}

/** The main thread's time on a CPU and waiting for one (ns), and its number of timeslices: /proc/<pid>/task/<pid>/schedstat. */
function mainThreadSchedule(pid: number): [running: number, waiting: number, slices: number] {
  return readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number) as [number, number, number];
}

/** Per second of the window: how long the event loop ran and how long it was runnable but waited for a core. */
function scheduleShare(before: [number, number, number], after: [number, number, number], windowMs: number): string {
  const [run, wait, slices] = after.map((value, i) => value - before[i]!) as [number, number, number];
  return `main thread on a CPU ${(run / 1e6 / (windowMs / 1_000)).toFixed(0)} ms/s, waiting for one ${(wait / 1e6 / (windowMs / 1_000)).toFixed(0)} ms/s (${(wait / 1e3 / Math.max(1, slices)).toFixed(0)} µs per wake-up)`;
}

await withExperimentServer('storm-probe', { serverEnv, accounts: concurrency }, async ({ server, client, accounts }) => {
  for (let round = 1; round <= rounds; round += 1) {
    const sessions = await Promise.all(accounts.map(async (a) => ({ ...a, ...(await client.login(a.username, a.password)) })));
    const common = { target: server.address, generator: 'grpc-js', durationMs: seconds * 1_000, warmupMs: 2_000, namePrefix: '', callTimeoutMs: 10_000, maxCalls: 0, serverPid: server.pid } as const;
    await eventLoopDelay(server);
    const scheduleBefore = mainThreadSchedule(server.pid);
    const startedMs = Date.now();
    const [storm, probe] = await Promise.all([
      runLoad({ ...common, kind: 'login', mode: 'closed', concurrency, accounts }),
      probeRate > 0 ? runLoad({ ...common, kind: 'getUser', mode: 'open', rate: probeRate, concurrency, accounts: sessions }) : undefined,
    ]);
    const eld = await eventLoopDelay(server);
    const schedule = scheduleShare(scheduleBefore, mainThreadSchedule(server.pid), Date.now() - startedMs);
    if (storm.errors + (probe?.errors ?? 0) > 0) throw new Error(`errors: ${JSON.stringify({ ...storm.errorsByReason, ...probe?.errorsByReason })}`);
    const probed = probe ? `, probe p50 ${probe.latencyMs.p50.toFixed(1)} / p99 ${probe.latencyMs.p99.toFixed(1)} ms` : '';
    console.log(`round ${round}: ${storm.throughput.toFixed(1)} logins/s, ${eld}${probed}\n  ${schedule}`);
  }
});
