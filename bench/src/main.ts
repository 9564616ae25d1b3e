import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSettings } from './bench.config.ts';
import { scrapeMetric, startAuthServer, type AuthServer } from './infra/auth-server.process.ts';
import { InspectorSession, inspectorUrl } from './infra/inspector.util.ts';
import { BenchClient } from './infra/bench-client.util.ts';
import { EventCollector } from './infra/event-collector.util.ts';
import { deleteTopics } from '@authsvc/test-support/resources';
import { createDatabase, deleteRedisKeys, locateKafka } from './infra/services.util.ts';
import { fullModeServerEnv } from './infra/server-env.config.ts';
import { REPO_DIR } from './proto.codec.ts';
import { summarizeCpuProfile, type ProfileSummary, type TimeWindow } from './report/cpu-profile.report.ts';
import { LoadSampler, machineInfo } from './report/machine.report.ts';
import { renderChart } from './report/chart.report.ts';
import { renderMarkdown, type BenchReport } from './report/markdown.report.ts';
import { checkTargets } from './report/targets.report.ts';
import { runLoadPass } from './scenarios/load-pass.scenario.ts';
import { outboxDrain } from './scenarios/outbox-drain.scenario.ts';
import type { ScenarioResult } from './scenarios/scenario-result.types.ts';

const settings = parseSettings(process.argv.slice(2));
const began = Date.now();
const log = (line: string): void => console.error(`[bench +${((Date.now() - began) / 1_000).toFixed(1)}s] ${line}`);
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

// Everything this run creates is named after its id: database, Redis prefix, topics, consumer group.
const runId = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const stamp = new Date(began).toISOString().replace(/[:.]/g, '-');
const resultsDir = join(REPO_DIR, 'bench', 'results');
const topics = { USER_CREATED: `${runId}.user.created`, ARTIST_CREATED: `${runId}.artist.created`, USER_UPDATED: `${runId}.user.updated`, ARTIST_UPDATED: `${runId}.artist.updated` };
/**
 * Undo steps, run last registered first: everything is released before what it depends on (the consumer and the
 * server before the topics, the topics before the broker that holds them, the server before its database).
 */
const cleanups: [string, () => Promise<unknown>][] = [];
const machine = machineInfo();
const sampler = new LoadSampler();

async function main(): Promise<number> {
  log(`run ${runId}: ${settings.quick ? 'quick' : 'full'} mode, load average ${loadavg()[0]!.toFixed(2)}`);
  const kafka = await locateKafka();
  cleanups.push(['kafka broker', kafka.stop]);
  const database = await createDatabase(runId);
  cleanups.push(['database', database.drop]);
  const dataDir = mkdtempSync(join(tmpdir(), 'authsvc-bench-'));
  cleanups.push(['data folder', async () => rmSync(dataDir, { recursive: true, force: true })]);
  cleanups.push(['redis keys', () => deleteRedisKeys(`${runId}:`)]);
  cleanups.push(['kafka topics', () => deleteTopics(kafka.brokers, Object.values(topics))]);

  const env: Record<string, string> = {
    ...(await fullModeServerEnv({ dataDir, databaseUrl: database.url, runId, kafkaBrokers: kafka.brokers })),
    AUTH_PASSWORD_BCRYPT_COST: String(settings.bcryptCost),
    AUTH_PASSWORD_ALGORITHM: settings.algorithm,
    AUTH_PASSWORD_HASH_THREADS: String(settings.hashThreads),
    ...Object.fromEntries(Object.entries(topics).map(([key, topic]) => [`AUTH_KAFKA_TOPICS_${key}`, topic])),
    ...settings.serverEnv,
  };
  const serverLog = join(dataDir, 'server.log');
  const profileDir = join(resultsDir, `${stamp}-cpuprofile`);
  let server: AuthServer = await startAuthServer(env, serverLog, { ...(settings.cpuProf ? { cpuProfileDir: profileDir } : {}), inspect: settings.inspectMemory });
  failureLog = () => server.output();
  const inspector = settings.inspectMemory ? await InspectorSession.connect(inspectorUrl(server.output()) ?? '') : undefined;
  const retained: Record<string, Record<string, number>> = {};
  cleanups.push(['server', () => server.stop()]);
  log(`server pid ${server.pid} on ${server.address}`);

  const collector = new EventCollector();
  await collector.start(kafka.brokers, [topics.USER_CREATED], `${runId}-consumer`);
  cleanups.push(['consumer', () => collector.stop()]);
  const client = new BenchClient(server.address);
  log(`seeding ${settings.accounts} accounts`);
  const accounts = await client.seed(`${runId.slice(6, 12)}s`, settings.accounts);
  await client.expectValidToken(accounts[0]!.accessToken, accounts[0]!.id);
  const rssIdle = server.rss();
  log(`server RSS after start and seeding: ${mib(rssIdle)} MiB`);
  if (inspector) retained['after seeding'] = await inspector.retainedMemory();

  const passes: ScenarioResult[][] = [];
  const windows: TimeWindow[] = [];
  const rss: number[] = [];
  for (let pass = 1; pass <= (settings.secondPass ? 2 : 1); pass += 1) {
    log(`pass ${pass}`);
    const before = windows.length;
    passes.push(await runLoadPass({ settings, server, client, collector, accounts, namePrefix: `${runId.slice(6, 12)}${pass}`, log, windows, waitForEmptyOutbox: () => waitForEmptyOutbox(server) }));
    for (const w of windows.slice(before)) w.name = `pass ${pass}: ${w.name}`;
    rss.push(server.rss());
    log(`server RSS after pass ${pass}: ${mib(rss.at(-1)!)} MiB`);
    if (inspector) {
      retained[`after pass ${pass}`] = await inspector.retainedMemory();
      log(`retained after a forced GC: ${JSON.stringify(retained[`after pass ${pass}`])} MiB; RSS now ${mib(server.rss())} MiB`);
    }
  }
  inspector?.close();

  client.close();
  // The drain needs an empty outbox first: every event of the passes published and marked.
  const drained = await outboxDrain({
    databaseUrl: database.url,
    collector,
    count: settings.drainEvents,
    stopServer: async () => {
      await waitForEmptyOutbox(server);
      await server.stop();
    },
    // With --cpu-prof the restarted server is profiled too, into a folder of its own (profile-summary reads it).
    startServer: async () => (server = await startAuthServer(env, serverLog, settings.cpuProf ? { cpuProfileDir: join(profileDir, 'drain') } : {})),
    log,
    windows,
  }).catch((error: unknown) => {
    log(`outbox drain failed: ${String(error)}`);
    return { server, row: failedRow(`Outbox: drain a backlog of ${settings.drainEvents} events`, error) };
  });
  server = drained.server;
  const rssAfterDrain = server.rss();

  const memory = { ...(inspector ? { retainedAfterGcMiB: retained } : {}), rssIdleMiB: mib(rssIdle), rssAfterPass1MiB: mib(rss[0]!), ...(rss[1] === undefined ? {} : { rssAfterPass2MiB: mib(rss[1]) }), rssAfterDrainMiB: mib(rssAfterDrain), rssAtEndMiB: mib(Math.max(rss.at(-1)!, rssAfterDrain)) };
  const lastPass = passes.at(-1)!;
  // Each pass measures its own baselines next to the scenarios they are the limits of, so a pass's ratios compare
  // numbers taken within a minute of each other on a machine whose speed drifts (its neighbours come and go).
  const targets = checkTargets([...lastPass, drained.row], memory);
  const report: BenchReport = {
    startedAt: new Date(began).toISOString(),
    command: `pnpm bench ${process.argv.slice(2).join(' ')}`.trim(),
    mode: settings.quick ? 'quick' : 'full',
    machine,
    load: { before: machine.loadBefore, during: sampler.stop() },
    server: { algorithm: settings.algorithm, bcryptCost: settings.bcryptCost, hashThreads: settings.hashThreads, concurrency: settings.concurrency, extraEnv: settings.serverEnv },
    passes,
    drain: drained.row,
    memory,
    targets,
    durationS: (Date.now() - began) / 1_000,
  };
  await cleanup();
  let profiles: Record<string, ProfileSummary> | undefined;
  if (settings.cpuProf) {
    profiles = Object.fromEntries(readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => [f, summarizeCpuProfile(join(profileDir, f), windows)]));
  }
  mkdirSync(resultsDir, { recursive: true });
  const markdown = renderMarkdown(report);
  writeFileSync(join(resultsDir, `${stamp}.json`), `${JSON.stringify({ ...report, windows, ...(profiles ? { profiles } : {}) }, null, 2)}\n`);
  writeFileSync(join(resultsDir, `${stamp}.md`), markdown);
  console.log(markdown);
  log(`wrote bench/results/${stamp}.json and .md`);
  await writeChart(report, stamp, settings.smoke);

  const failed = [...passes.flat(), drained.row].filter((r) => r.errors > 0 || r.ok === 0);
  if (failed.length > 0) {
    log(`FAILED: ${failed.map((r) => r.name).join('; ')} had errors or no successful call`);
    return 1;
  }
  const missed = targets.filter((t) => !t.met);
  if (missed.length > 0) log(`targets missed: ${missed.map((t) => t.scenario).join('; ')}`);
  return missed.length > 0 && !settings.smoke ? 2 : 0;
}

/**
 * The run's chart next to its results, and (unless a smoke run, whose timings mean nothing) as docs/bench/latest.svg,
 * which PERFORMANCE.md shows. A chart that fails to render is reported, never fatal: the tables are the record.
 */
async function writeChart(report: BenchReport, stamp: string, smoke: boolean): Promise<void> {
  try {
    const svg = await renderChart(report);
    writeFileSync(join(resultsDir, `${stamp}.svg`), svg);
    if (!smoke) {
      mkdirSync(join(REPO_DIR, 'docs', 'bench'), { recursive: true });
      writeFileSync(join(REPO_DIR, 'docs', 'bench', 'latest.svg'), svg);
    }
    log(`chart: bench/results/${stamp}.svg${smoke ? '' : ' and docs/bench/latest.svg'}`);
  } catch (error) {
    log(`chart not written: ${String(error)}`);
  }
}

/** The last lines of the server's log, kept next to the results when the run fails. */
let failureLog: () => string = () => '';

async function waitForEmptyOutbox(server: AuthServer): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (((await scrapeMetric(server.metricsUrl, 'authsvc_outbox_backlog')) ?? 0) > 0) {
    if (Date.now() > deadline) throw new Error('the outbox backlog did not reach 0 within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function failedRow(name: string, error: unknown): ScenarioResult {
  const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return { name, unit: '', throughput: Number.NaN, latencyMs: { p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN }, ok: 0, errors: 1, errorsByReason: { [reason]: 1 }, loadgenCpuPercent: Number.NaN };
}

async function cleanup(): Promise<void> {
  for (const [name, step] of cleanups.splice(0).reverse()) {
    await step().catch((error: unknown) => log(`cleanup of ${name} failed: ${String(error)}`));
  }
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const tail = failureLog().slice(-100_000);
    if (tail) {
      mkdirSync(resultsDir, { recursive: true });
      writeFileSync(join(resultsDir, `${stamp}-server.log`), tail);
      log(`server log tail: bench/results/${stamp}-server.log`);
    }
    await cleanup();
    process.exit(1);
  },
);
