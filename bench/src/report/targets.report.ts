import { LEAN_SUFFIX, type ScenarioResult, type TargetCheck } from '../scenarios/scenario-result.types.ts';

export interface MemoryResult {
  rssAfterPass1MiB: number;
  rssAfterPass2MiB?: number;
  rssAtEndMiB: number;
}

/** Issue #22's closed-loop targets: [label, row name prefix, throughput vs transport, server CPU per call vs transport]. */
const CLOSED_LOOP_TARGETS: [string, string, number, number][] = [
  ['ValidateToken, closed loop', 'ValidateToken, closed loop', 0.85, 2],
  ['GetUser, closed loop', 'GetUser, closed loop', 0.5, 3],
  ['RefreshToken, closed loop', 'RefreshToken, closed loop', 0.35, 5],
];

/** µs of server CPU (every thread) per completed call; NaN without a CPU reading. */
const cpuPerCall = (row: ScenarioResult): number => (row.serverCpuPercent === undefined || row.throughput <= 0 ? Number.NaN : ((row.serverCpuPercent / 100) * 1e6) / row.throughput);

const find = (rows: ScenarioResult[], prefix: string): ScenarioResult | undefined => rows.find((r) => r.name.startsWith(prefix));
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** The targets, checked against one pass and the baselines of the same run. */
export function checkTargets(rows: ScenarioResult[], memory: MemoryResult): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const hash = find(rows, 'Baseline: hash')?.throughput ?? Number.NaN;
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
  // Issue #22: each closed loop against the transport limit measured by the same generator, in throughput and in the
  // server's CPU per call (µs of the whole server process per completed call, whatever the generator could offer).
  for (const suffix of ['', LEAN_SUFFIX]) {
    const base = rows.find((r) => r.name.startsWith('Baseline: transport') && r.name.endsWith(suffix) && (suffix !== '' || !r.name.endsWith(LEAN_SUFFIX)));
    if (!base) continue;
    const generator = suffix === '' ? 'grpc-js generator' : 'lean generator';
    for (const [label, prefix, factor, cpuFactor] of CLOSED_LOOP_TARGETS) {
      const row = rows.find((r) => r.name.startsWith(prefix) && (suffix === '' ? !r.name.endsWith(LEAN_SUFFIX) : r.name.endsWith(suffix)));
      if (!row) continue;
      const r = row.throughput / base.throughput;
      checks.push({ scenario: `${label} (${generator})`, target: `>= ${factor} x transport limit`, measured: `${fmt(row.throughput)} ${row.unit} = ${fmt(r, 2)} x`, met: r >= factor });
      const callUs = cpuPerCall(row);
      const baseUs = cpuPerCall(base);
      if (Number.isFinite(callUs) && Number.isFinite(baseUs)) {
        const cpuRatio = callUs / baseUs;
        checks.push({ scenario: `${label}, server CPU per call (${generator})`, target: `<= ${cpuFactor} x transport's`, measured: `${fmt(callUs, 0)} µs vs ${fmt(baseUs, 0)} µs = ${fmt(cpuRatio, 2)} x`, met: cpuRatio <= cpuFactor });
      }
    }
  }
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
