import { readdirSync, readFileSync } from 'node:fs';
import { startPortPrinter } from '../infra/auth-server.process.ts';
import type { BenchAccount, CallKind } from '../loadgen/call-kinds.scenario.ts';
import { listProcesses, readStat } from '../loadgen/cpu-meter.util.ts';
import { runLoad } from '../loadgen/run-load.util.ts';
import { withExperimentServer } from './experiment-server.util.ts';

/**
 * The closed-loop scenarios of the bench (bare transport, ValidateToken, GetUser, RefreshToken) alone, in rounds,
 * on one full-mode server: a quicker before/after loop for per-call cost than a whole `pnpm bench`. Besides the
 * server's CPU per call it reports the whole machine's (from /proc/stat: server, PostgreSQL, Redis and the load
 * generator together), since on 2 cores every process's cost per call takes from the same budget, and the server's
 * by thread (MainThread: the event loop; V8Worker: V8's helpers, i.e. concurrent marking, parallel scavenges and
 * optimizing compiles). Windows include the warm-up second, so these are slight overestimates, the same for each kind.
 *   node bench/src/experiments/closed-loops.experiment.ts [--rounds 3] [--seconds 10] [--kinds validate,getUser,refresh]
 *     [--no-transport] [--server-env K=V ...]
 * `--kinds login` with `--server-env AUTH_PASSWORD_ALGORITHM=argon2id` shows where a login's CPU goes beside the hash.
 * Needs a built server (`pnpm --filter @authsvc/grpc-server build`), PostgreSQL, Redis and Kafka as `pnpm bench`.
 */
const argv = process.argv.slice(2);
const option = (name: string, fallback: number): number => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
const rounds = option('--rounds', 3);
const seconds = option('--seconds', 10);
const serverEnv = Object.fromEntries(argv.flatMap((arg, i) => (arg === '--server-env' ? [argv[i + 1]!.split(/=(.*)/s).slice(0, 2) as [string, string]] : [])));
const concurrency = 16;
const kinds = (argv.includes('--kinds') ? argv[argv.indexOf('--kinds') + 1]!.split(',') : ['validate', 'getUser', 'refresh']) as CallKind[];
const withTransport = !argv.includes('--no-transport');

/** Busy and total jiffies of the whole machine. */
function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

/** CPU ms (user + system) of every process now, summed by command name (postgres, redis-server, node, java...). */
function cpuByCommand(): Map<string, number> {
  const byCommand = new Map<string, number>();
  for (const { command, cpuMs } of listProcesses()) byCommand.set(command, (byCommand.get(command) ?? 0) + cpuMs);
  return byCommand;
}

/** CPU ms of each thread of the server, summed by thread name (MainThread, V8Worker = GC and compiler helpers...). */
function serverCpuByThread(pid: number): Map<string, number> {
  const byThread = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readStat(`${pid}/task/${tid}`);
    if (stat) byThread.set(stat.command, (byThread.get(stat.command) ?? 0) + stat.cpuMs);
  }
  return byThread;
}

/** µs of CPU per call of each command that used any, over the window (processes that ended inside it are missed). */
function perCallByCommand(before: Map<string, number>, after: Map<string, number>, calls: number): string {
  return [...after]
    .map(([command, cpuMs]) => [command, ((cpuMs - (before.get(command) ?? 0)) * 1_000) / calls] as const)
    .filter(([, us]) => us >= 5)
    .sort((a, b) => b[1] - a[1])
    .map(([command, us]) => `${command} ${us.toFixed(0)}`)
    .join(', ');
}

async function measure(target: string, kind: CallKind, accounts: BenchAccount[], serverPid?: number): Promise<string> {
  const before = machineTicks();
  const commandsBefore = cpuByCommand();
  const threadsBefore = serverPid ? serverCpuByThread(serverPid) : undefined;
  const r = await runLoad({ target, kind, generator: 'grpc-js', mode: 'closed', concurrency, durationMs: seconds * 1_000, warmupMs: 1_000, accounts, namePrefix: '', callTimeoutMs: 10_000, maxCalls: 0, ...(serverPid ? { serverPid } : {}) });
  const after = machineTicks();
  const byCommand = perCallByCommand(commandsBefore, cpuByCommand(), r.ok);
  const byThread = serverPid && threadsBefore ? `\n      server µs/call by thread: ${perCallByCommand(threadsBefore, serverCpuByThread(serverPid), r.ok)}` : '';
  if (r.errors > 0) throw new Error(`${kind}: ${JSON.stringify(r.errorsByReason)}`);
  // The window includes the warm-up and the process start, so the machine's share is an approximation (same for every kind).
  const busyShare = (after.busy - before.busy) / (after.total - before.total);
  const machineUsPerCall = (busyShare * 2 * 1e6) / r.throughput;
  const serverUs = r.serverCpuPercent === undefined ? '–' : ((r.serverCpuPercent / 100) * 1e6 / r.throughput).toFixed(0);
  return `${kind.padEnd(9)} ${r.throughput.toFixed(0).padStart(6)}/s  p99 ${r.latencyMs.p99.toFixed(2).padStart(6)} ms  server ${serverUs.padStart(4)} µs/call  machine ${machineUsPerCall.toFixed(0).padStart(4)} µs/call  loadgen ${r.cpuPercent.toFixed(0)} %\n      µs/call by process: ${byCommand}${byThread}`;
}

await withExperimentServer('closed-loops', { serverEnv, accounts: concurrency }, async ({ server, client, accounts }) => {
  const transport = await startPortPrinter(new URL('../baselines/empty-server.process.ts', import.meta.url).pathname);
  try {
    for (let round = 1; round <= rounds; round += 1) {
      console.log(`round ${round}`);
      if (withTransport) console.log(`  ${await measure(transport.address, 'empty', [])}`);
      for (const kind of kinds) {
        // Fresh sessions per scenario, as the bench does (a refresh chain moves each account's refresh token on).
        const fresh = await Promise.all(accounts.map(async (a) => ({ ...a, ...(await client.login(a.username, a.password)) })));
        console.log(`  ${await measure(server.address, kind, fresh, server.pid)}`);
      }
    }
  } finally {
    await transport.stop();
  }
});
