import type { ScenarioResult, TargetCheck } from '../scenarios/scenario-result.types.ts';
import type { LoadSummary, MachineInfo } from './machine.report.ts';

const n = (value: number | undefined, digits = 1): string => (value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));

export interface BenchReport {
  startedAt: string;
  command: string;
  mode: 'quick' | 'full';
  machine: MachineInfo;
  load: { before: number; during: LoadSummary };
  server: { algorithm?: string; bcryptCost: number; hashThreads: number; concurrency: number; extraEnv: Record<string, string> };
  passes: ScenarioResult[][];
  drain?: ScenarioResult;
  memory: { retainedAfterGcMiB?: Record<string, Record<string, number>>; rssIdleMiB: number; rssAfterPass1MiB: number; rssAfterPass2MiB?: number; rssAfterDrainMiB: number; rssAtEndMiB: number };
  targets: TargetCheck[];
  durationS: number;
}

/** µs of CPU per completed call from a % of one core over the window; '' when there were no calls. */
const usPerCall = (percent: number, throughput: number): string => (throughput > 0 ? ((percent / 100) * 1e6 / throughput).toFixed(0) : '');

function table(rows: ScenarioResult[]): string[] {
  const lines = [
    '| scenario | throughput | p50 ms | p95 ms | p99 ms | errors | load-gen CPU % | server CPU % (µs/call) | PostgreSQL / Redis CPU % (µs/call) | server ELD p99 / max ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const eld = r.eventLoopDelayMs ? `${n(r.eventLoopDelayMs.p99, 2)} / ${n(r.eventLoopDelayMs.max, 2)}` : '–';
    // CPU per call: what a call costs whatever else the machine did (time waiting for a CPU is not counted).
    const server = r.serverCpuPercent === undefined ? '–' : `${n(r.serverCpuPercent)} (${usPerCall(r.serverCpuPercent, r.throughput)})`;
    const stores = r.storesCpuPercent === undefined ? '–' : `${n(r.storesCpuPercent.postgres)} / ${n(r.storesCpuPercent.redis)} (${usPerCall(r.storesCpuPercent.postgres, r.throughput)} / ${usPerCall(r.storesCpuPercent.redis, r.throughput)})`;
    lines.push(`| ${r.name} | ${n(r.throughput)} ${r.unit} | ${n(r.latencyMs.p50, 2)} | ${n(r.latencyMs.p95, 2)} | ${n(r.latencyMs.p99, 2)} | ${r.errors} | ${n(r.loadgenCpuPercent)} | ${server} | ${stores} | ${eld} |`);
  }
  return lines;
}

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const out = [
    `# Bench run ${report.startedAt} (${report.mode})`,
    '',
    `Command: \`${report.command}\` — ${report.durationS.toFixed(0)} s`,
    '',
    `Machine: ${m.cores} cores, ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}. Load average (1 min): ${report.load.before.toFixed(2)} before, ${report.load.during.min.toFixed(2)}–${report.load.during.max.toFixed(2)} (mean ${report.load.during.mean.toFixed(2)}) during. CPU pressure (PSI some, avg10): ${m.cpuPressureBefore ?? '–'} % before, ${report.load.during.cpuPressureMean ?? '–'} % mean during (share of time a runnable task waited for a CPU: ~0 on a quiet machine).`,
    `Server: full mode (PostgreSQL, Redis, Kafka), ${report.server.algorithm === 'argon2id' ? 'argon2id (m=19 MiB, t=2, p=1)' : `bcrypt cost ${report.server.bcryptCost}`}, ${report.server.hashThreads} hash threads${Object.keys(report.server.extraEnv).length > 0 ? `, ${Object.entries(report.server.extraEnv).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}. Closed loops: ${report.server.concurrency} virtual users, one load-generator process each.`,
    '',
    ...table([...(report.passes[0] ?? []), ...(report.drain ? [report.drain] : [])]),
  ];
  if (report.passes[1]) out.push('', 'Second identical pass (same server process):', '', ...table(report.passes[1]));
  out.push('', `Server RSS: ${n(report.memory.rssIdleMiB)} MiB after start and seeding, ${n(report.memory.rssAfterPass1MiB)} MiB after pass 1${report.memory.rssAfterPass2MiB === undefined ? '' : `, ${n(report.memory.rssAfterPass2MiB)} MiB after pass 2`}, ${n(report.memory.rssAfterDrainMiB)} MiB after the drain (a new server process); the end value checked is the larger.`);
  if (report.memory.retainedAfterGcMiB) {
    out.push('', 'Retained after a forced GC (process.memoryUsage, MiB):', '');
    for (const [when, usage] of Object.entries(report.memory.retainedAfterGcMiB)) out.push(`- ${when}: ${Object.entries(usage).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  out.push('', '| target | wanted | measured | met |', '|---|---|---|---|');
  for (const t of report.targets) out.push(`| ${t.scenario} | ${t.target} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`);
  const errors = [...report.passes.flat(), ...(report.drain ? [report.drain] : [])].filter((r) => r.errors > 0);
  if (errors.length > 0) {
    out.push('', 'Errors:');
    for (const r of errors) out.push(`- ${r.name}: ${JSON.stringify(r.errorsByReason)}`);
  }
  return `${out.join('\n')}\n`;
}
