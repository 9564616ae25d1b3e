import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchSettings } from '../bench.config.ts';
import { startPortPrinter } from '../infra/auth-server.process.ts';
import type { LoadGenerator } from '../loadgen/load-spec.types.ts';
import { runLoad } from '../loadgen/run-load.util.ts';
import { round } from '../stats.util.ts';
import { generatorSuffix, toRow, type ScenarioResult } from './scenario-result.types.ts';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Transport limit: the same load generator and concurrency against a bare grpc-js server (own process, empty unary call). */
export async function transportBaseline(settings: BenchSettings, generator: LoadGenerator = 'grpc-js'): Promise<ScenarioResult> {
  const server = await startPortPrinter(here('../baselines/empty-server.process.ts'));
  try {
    const result = await runLoad({ target: server.address, kind: 'empty', generator, mode: 'closed', concurrency: settings.concurrency, durationMs: settings.baselineMs, warmupMs: settings.warmupMs, accounts: [], namePrefix: '', callTimeoutMs: 10_000, maxCalls: 0, serverPid: server.pid });
    if (result.ok === 0) throw new Error('the transport baseline completed no call');
    return toRow(`Baseline: transport limit (bare grpc-js, empty unary)${generatorSuffix(generator)}`, 'calls/s', result);
  } finally {
    await server.stop();
  }
}

/** Hash limit: bcrypt verifications/s of core's BcryptPasswordHasher on its worker pool alone, in a process of its own. */
export async function hashBaseline(settings: BenchSettings): Promise<ScenarioResult> {
  const args = JSON.stringify({ cost: settings.bcryptCost, threads: settings.hashThreads, concurrency: settings.concurrency, durationMs: settings.baselineMs });
  const { stdout } = await promisify(execFile)(process.execPath, ['--no-warnings', here('../baselines/hash-limit.process.ts'), args], { timeout: settings.baselineMs + 120_000 });
  const r = JSON.parse(stdout.trim().split('\n').pop()!) as { hashesPerSecond: number; verifications: number; cpuPercent: number };
  if (r.verifications === 0) throw new Error('the hash baseline completed no verification');
  return {
    name: `Baseline: hash limit (bcrypt cost ${settings.bcryptCost}, ${settings.hashThreads} worker threads)`,
    unit: 'hashes/s',
    throughput: round(r.hashesPerSecond, 1),
    latencyMs: { p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN },
    ok: r.verifications,
    errors: 0,
    errorsByReason: {},
    loadgenCpuPercent: Number.NaN,
    extra: { hasherProcessCpuPercent: round(r.cpuPercent, 1) },
  };
}
