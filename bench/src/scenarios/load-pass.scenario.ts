import type { BenchSettings } from '../bench.config.ts';
import type { AuthServer } from '../infra/auth-server.process.ts';
import { scrapeMetric, scrapeMetrics } from '../infra/auth-server.process.ts';
import type { BenchClient } from '../infra/bench-client.util.ts';
import type { EventCollector } from '../infra/event-collector.util.ts';
import type { BenchAccount, CallKind } from '../loadgen/call-kinds.scenario.ts';
import type { LoadGenerator, LoadResult, LoadSpec } from '../loadgen/load-spec.types.ts';
import { runLoad } from '../loadgen/run-load.util.ts';
import { round, summarize } from '../stats.util.ts';
import { generatorSuffix, toRow, type ScenarioResult } from './scenario-result.types.ts';
import { hashBaseline, transportBaseline } from './baselines.scenario.ts';
import type { TimeWindow } from '../report/cpu-profile.report.ts';

export interface PassContext {
  settings: BenchSettings;
  server: AuthServer;
  client: BenchClient;
  collector: EventCollector;
  accounts: BenchAccount[];
  /** Unique per pass: registration names. */
  namePrefix: string;
  log: (line: string) => void;
  /** Where each measured scenario sits on the monotonic clock, for the CPU profile's timeline. */
  windows: TimeWindow[];
  /** Resolves once the server's outbox holds no unpublished event (its relay is idle again). */
  waitForEmptyOutbox(): Promise<void>;
}

const nowUs = (): number => Number(process.hrtime.bigint() / 1_000n);

const ELD = 'nodejs_event_loop_delay_seconds';

/** The server's event-loop delay since the previous scrape (the gauge resets on each scrape). */
async function eventLoopDelay(server: AuthServer): Promise<{ p99: number; max: number } | undefined> {
  // One scrape: each scrape resets the histogram behind the gauge.
  const [p99, max] = await scrapeMetrics(server.metricsUrl, [`${ELD}{quantile="0.99"}`, `${ELD}{quantile="1"}`]);
  return p99 == null || max == null ? undefined : { p99: round(p99 * 1_000), max: round(max * 1_000) };
}

export function spec(ctx: PassContext, kind: CallKind, overrides: Partial<LoadSpec> = {}): LoadSpec {
  const s = ctx.settings;
  return { target: ctx.server.address, kind, generator: 'grpc-js', mode: 'closed', concurrency: s.concurrency, durationMs: s.closedLoopMs, warmupMs: s.warmupMs, accounts: ctx.accounts, namePrefix: ctx.namePrefix, callTimeoutMs: s.callTimeoutMs, maxCalls: 0, serverPid: ctx.server.pid, ...overrides };
}

/** Runs loads side by side, with the server's event-loop delay over exactly that time. */
async function measured(ctx: PassContext, specs: LoadSpec[]): Promise<{ results: LoadResult[]; eld: { p99: number; max: number } | undefined }> {
  await eventLoopDelay(ctx.server);
  const startUs = nowUs();
  const results = await Promise.all(specs.map(runLoad));
  ctx.windows.push({ name: specs.map((s) => `${s.kind}/${s.mode}`).join(' + '), startUs, endUs: nowUs() });
  return { results, eld: await eventLoopDelay(ctx.server) };
}

/** Fresh logins of every seeded account (tokens stay far from expiry; sessions of a refresh chain are separate). */
async function freshSessions(ctx: PassContext): Promise<BenchAccount[]> {
  return Promise.all(ctx.accounts.map(async (a) => ({ ...a, ...(await ctx.client.login(a.username, a.password)) })));
}

/** One pass of the load scenarios; each first proves its call succeeds for real. */
export async function runLoadPass(ctx: PassContext): Promise<ScenarioResult[]> {
  const s = ctx.settings;
  const rows: ScenarioResult[] = [];
  const first = ctx.accounts[0]!;

  // The hash limit next to the storms it bounds, the transport limit next to the closed loops it bounds.
  ctx.log('baseline: hash limit');
  rows.push(await hashBaseline(s));
  const session = await ctx.client.login(first.username, first.password);
  await ctx.client.expectValidToken(session.accessToken, first.id);
  // Quick mode measures the storm once, with the probe; the full run also measures it alone.
  if (!s.quick) {
    ctx.log('login storm');
    const storm = await measured(ctx, [spec(ctx, 'login', { durationMs: s.loginStormMs })]);
    rows.push({ ...toRow('Login storm', 'logins/s', storm.results[0]!), ...(storm.eld ? { eventLoopDelayMs: storm.eld } : {}) });
  }

  ctx.log(`login storm + GetUser at ${s.probeRate}/s offered`);
  const accounts = await freshSessions(ctx);
  const { user } = await ctx.client.call<{ user: { id: string } }>('GetUser', { id: first.id }, accounts[0]!.accessToken);
  if (user.id !== first.id) throw new Error('GetUser answered another profile');
  const mixed = await measured(ctx, [
    spec(ctx, 'login', { durationMs: s.loginStormMs }),
    spec(ctx, 'getUser', { mode: 'open', rate: s.probeRate, durationMs: s.loginStormMs, accounts }),
  ]);
  const [mixedLogin, probe] = mixed.results as [LoadResult, LoadResult];
  rows.push({ ...toRow('Login storm, with GetUser probe', 'logins/s', mixedLogin), ...(mixed.eld ? { eventLoopDelayMs: mixed.eld } : {}) });
  // The server's and the stores' CPU over this window are on the login storm's row; per probe call they would mean nothing.
  const { serverCpuPercent: _sameWindow, storesCpuPercent: _sameStoresWindow, ...probeRow } = toRow(`GetUser at ${s.probeRate}/s offered during the login storm`, 'calls/s', probe, { offered: probe.offered ?? 0 });
  rows.push({ ...probeRow, loadgenCpuPercent: probe.cpuPercent });

  ctx.log('register storm');
  const register = await measured(ctx, [spec(ctx, 'register', { durationMs: s.registerStormMs, namePrefix: `${ctx.namePrefix}r` })]);
  rows.push({ ...toRow('Register storm', 'registrations/s', register.results[0]!), ...(register.eld ? { eventLoopDelayMs: register.eld } : {}) });

  // Issue #18: a failed login writes a security event (queued, batched off the caller's path: decision 0009).
  ctx.log('failed-login storm');
  const refused = await ctx.client.call('Login', { login: `${ctx.namePrefix}probe`, password: 'not-the-password-1' }).then(
    () => 'accepted',
    (error: Error) => error.message,
  );
  if (!refused.includes('UNAUTHENTICATED')) throw new Error(`a failed login answered ${refused}`);
  const failedStorm = await measured(ctx, [spec(ctx, 'failedLogin', { durationMs: s.loginStormMs })]);
  rows.push({ ...toRow('Failed-login storm (unknown names)', 'failed logins/s', failedStorm.results[0]!), ...(failedStorm.eld ? { eventLoopDelayMs: failedStorm.eld } : {}) });

  // The storm's events are published before the closed loops start, so the relay's work does not fall into them.
  await ctx.waitForEmptyOutbox();
  // The closed loops and their transport limit twice: with the grpc-js generator (what calling services use) and with
  // the lean one (lean-grpc-client.util.ts), which costs less per call and so shows more of the server's own ceiling.
  for (const generator of ['grpc-js', 'lean'] as const) rows.push(...(await closedLoops(ctx, generator)));

  rows.push(await logoutLoop(ctx));
  rows.push(await outboxSteady(ctx));
  return rows;
}

/** The transport limit, then ValidateToken, GetUser and RefreshToken in closed loops, all sent by one generator. */
async function closedLoops(ctx: PassContext, generator: LoadGenerator): Promise<ScenarioResult[]> {
  const rows: ScenarioResult[] = [];
  const first = ctx.accounts[0]!;
  const named = (name: string): string => `${name}${generatorSuffix(generator)}`;
  ctx.log(named('baseline: transport limit'));
  rows.push(await transportBaseline(ctx.settings, generator));

  ctx.log(named('ValidateToken closed loop'));
  const accounts = await freshSessions(ctx);
  await ctx.client.expectValidToken(accounts[0]!.accessToken, first.id);
  const validate = await measured(ctx, [spec(ctx, 'validate', { accounts, generator })]);
  rows.push({ ...toRow(named('ValidateToken, closed loop'), 'calls/s', validate.results[0]!), ...(validate.eld ? { eventLoopDelayMs: validate.eld } : {}) });

  ctx.log(named('GetUser closed loop'));
  const getUser = await measured(ctx, [spec(ctx, 'getUser', { accounts, generator })]);
  rows.push({ ...toRow(named('GetUser, closed loop'), 'calls/s', getUser.results[0]!), ...(getUser.eld ? { eventLoopDelayMs: getUser.eld } : {}) });

  ctx.log(named('RefreshToken closed loop'));
  const chains = await freshSessions(ctx);
  const refreshed = await ctx.client.call<{ tokens: { accessToken: string; refreshToken: string } }>('RefreshToken', { refreshToken: chains[0]!.refreshToken });
  await ctx.client.expectValidToken(refreshed.tokens.accessToken, first.id);
  chains[0] = { ...chains[0]!, ...refreshed.tokens };
  const refresh = await measured(ctx, [spec(ctx, 'refresh', { accounts: chains, generator })]);
  rows.push({ ...toRow(named('RefreshToken, closed loop (one chain per virtual user)'), 'calls/s', refresh.results[0]!), ...(refresh.eld ? { eventLoopDelayMs: refresh.eld } : {}) });
  return rows;
}

/**
 * Logout in a closed loop, each call ending a session of its own: the sessions are made by logins first (a hash each,
 * so their number is the budget: `logoutSessions`), and the window is the time the budget took.
 */
async function logoutLoop(ctx: PassContext): Promise<ScenarioResult> {
  const s = ctx.settings;
  ctx.log(`Logout closed loop (${s.logoutSessions} sessions)`);
  const sessions: BenchAccount[] = [];
  let next = 0;
  const login = async (): Promise<void> => {
    while (next < s.logoutSessions) {
      const account = ctx.accounts[next++ % ctx.accounts.length]!;
      sessions.push({ ...account, ...(await ctx.client.login(account.username, account.password)) });
    }
  };
  await Promise.all(Array.from({ length: 16 }, login));
  // Proves the call: a logged-out session's refresh token works no more.
  const proof = await ctx.client.login(ctx.accounts[0]!.username, ctx.accounts[0]!.password);
  await ctx.client.call('Logout', { refreshToken: proof.refreshToken });
  await ctx.client.call('RefreshToken', { refreshToken: proof.refreshToken }).then(
    () => {
      throw new Error('a refresh token worked after its logout');
    },
    () => undefined,
  );
  await ctx.waitForEmptyOutbox();
  const logout = await measured(ctx, [spec(ctx, 'logout', { accounts: sessions, maxCalls: sessions.length, warmupMs: 0 })]);
  return { ...toRow(`Logout, closed loop (${s.logoutSessions} sessions)`, 'calls/s', logout.results[0]!), ...(logout.eld ? { eventLoopDelayMs: logout.eld } : {}) };
}

/** Registrations at a steady rate; latency from each event's ce_time (set just before commit) to the consumer receiving it. */
async function outboxSteady(ctx: PassContext): Promise<ScenarioResult> {
  const s = ctx.settings;
  ctx.log(`outbox: registrations at a steady ${s.outboxRate}/s`);
  // Start from an empty backlog: the register storm's events must not count here.
  const backlogDeadline = Date.now() + 60_000;
  while (((await scrapeMetric(ctx.server.metricsUrl, 'authsvc_outbox_backlog')) ?? 0) > 0) {
    if (Date.now() > backlogDeadline) throw new Error('the outbox backlog did not drain before the steady-rate scenario');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const from = Date.now();
  const result = await runLoad(spec(ctx, 'register', { mode: 'open', rate: s.outboxRate, durationMs: s.outboxSteadyMs, warmupMs: 0, namePrefix: `${ctx.namePrefix}o` }));
  const inWindow = () => ctx.collector.events.filter((e) => e.eventTime >= from);
  let missing = 0;
  await ctx.collector.waitFor(() => inWindow().length >= result.ok, 30_000).catch(() => (missing = result.ok - inWindow().length));
  const seen = inWindow();
  const latency = summarize(seen.map((e) => e.receivedAt - e.eventTime));
  return {
    name: `Outbox: registrations at ${s.outboxRate}/s, ce_time to consumer`,
    unit: 'events/s',
    throughput: round((seen.length / s.outboxSteadyMs) * 1_000, 1),
    latencyMs: latency,
    ok: seen.length,
    errors: result.errors + missing,
    errorsByReason: { ...result.errorsByReason, ...(missing > 0 ? { 'events never consumed': missing } : {}) },
    loadgenCpuPercent: result.cpuPercent,
    extra: { registrations: result.ok },
  };
}
