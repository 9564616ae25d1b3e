import type { ScenarioResult, TargetCheck } from '../scenarios/scenario-result.types.ts';

export interface MemoryResult {
  rssAfterPass1MiB: number;
  rssAfterPass2MiB?: number;
  rssAtEndMiB: number;
}

const find = (rows: ScenarioResult[], prefix: string): ScenarioResult | undefined => rows.find((r) => r.name.startsWith(prefix));
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** The targets, checked against one pass and the baselines of the same run. */
export function checkTargets(rows: ScenarioResult[], memory: MemoryResult): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const hash = find(rows, 'Baseline: hash')?.throughput ?? Number.NaN;
  const transport = find(rows, 'Baseline: transport')?.throughput ?? Number.NaN;
  const ratio = (scenario: string, prefix: string, base: number, baseName: string, factor: number) => {
    const row = find(rows, prefix);
    if (!row) return;
    const r = row.throughput / base;
    checks.push({ scenario, target: `>= ${factor} x ${baseName}`, measured: `${fmt(row.throughput)} ${row.unit} = ${fmt(r, 2)} x`, met: r >= factor });
  };
  ratio('Login storm', 'Login storm', hash, 'hash limit', 0.85);
  ratio('Register storm', 'Register storm', hash, 'hash limit', 0.8);
  for (const prefix of ['Login storm', 'Login storm, with GetUser probe']) {
    const row = rows.find((r) => r.name === prefix);
    if (row?.eventLoopDelayMs) checks.push({ scenario: `Event-loop delay p99, ${prefix.toLowerCase()}`, target: '<= 20 ms', measured: `${fmt(row.eventLoopDelayMs.p99, 2)} ms (max ${fmt(row.eventLoopDelayMs.max, 2)} ms)`, met: row.eventLoopDelayMs.p99 <= 20 });
  }
  const probe = find(rows, 'GetUser at');
  if (probe) checks.push({ scenario: probe.name, target: 'p99 <= 50 ms, no errors', measured: `p99 ${fmt(probe.latencyMs.p99)} ms, ${probe.errors} errors`, met: probe.latencyMs.p99 <= 50 && probe.errors === 0 });
  ratio('ValidateToken, closed loop', 'ValidateToken', transport, 'transport limit', 0.5);
  ratio('GetUser, closed loop', 'GetUser, closed', transport, 'transport limit', 0.3);
  ratio('RefreshToken, closed loop', 'RefreshToken', transport, 'transport limit', 0.25);
  const steady = find(rows, 'Outbox: registrations');
  if (steady) checks.push({ scenario: 'Outbox at a steady 10 registrations/s', target: 'commit-to-consumer p99 <= 100 ms', measured: `p99 ${fmt(steady.latencyMs.p99)} ms`, met: steady.latencyMs.p99 <= 100 });
  const drain = find(rows, 'Outbox: drain');
  if (drain) checks.push({ scenario: drain.name, target: '>= 5,000 events/s', measured: `${fmt(drain.throughput, 0)} events/s`, met: drain.throughput >= 5_000 && drain.errors === 0 });
  checks.push({ scenario: 'Server RSS at the end', target: '<= 256 MiB', measured: `${fmt(memory.rssAtEndMiB)} MiB`, met: memory.rssAtEndMiB <= 256 });
  if (memory.rssAfterPass2MiB !== undefined) {
    const growth = (memory.rssAfterPass2MiB / memory.rssAfterPass1MiB - 1) * 100;
    checks.push({ scenario: 'RSS growth over a second identical pass', target: '< 10 %', measured: `${fmt(memory.rssAfterPass1MiB)} -> ${fmt(memory.rssAfterPass2MiB)} MiB (${fmt(growth)} %)`, met: growth < 10 });
  }
  return checks;
}
