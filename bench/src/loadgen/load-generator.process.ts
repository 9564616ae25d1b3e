import { performance } from 'node:perf_hooks';
import { Client, credentials, type ServiceError } from '@grpc/grpc-js';
import { callFactory, failureOutcome, type PreparedCall } from './call-kinds.scenario.ts';
import { connectLean, type CallTransport } from './lean-grpc-client.util.ts';
import { readCpu, storeCpuBetween, type CpuReading } from './cpu-meter.util.ts';
import type { LoadResult, LoadSpec } from './load-spec.types.ts';
import { SampleBuffer, round, summarize } from '../stats.util.ts';

/**
 * A load generator in its own process (forked by run-load.util.ts): one connection (a grpc-js channel, or the lean
 * generator's node:http2 session), the spec's calls, every response checked. It reports counts, latency percentiles and its own CPU use over IPC.
 */
/** The grpc-js generator: one channel, makeUnaryRequest, the response checked by the scenario. */
async function connectGrpcJs(target: string, callTimeoutMs: number): Promise<CallTransport> {
  const client = new Client(target, credentials.createInsecure(), { 'grpc.enable_retries': 0 });
  await new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 10_000, (e) => (e ? reject(e) : resolve())));
  const send = (call: PreparedCall): Promise<string | null> =>
    new Promise((resolve) => {
      client.makeUnaryRequest(call.codec.path, call.codec.serialize, call.codec.deserialize, call.request, call.metadata, { deadline: Date.now() + callTimeoutMs }, (error: ServiceError | null, response?: unknown) => {
        if (error) return resolve(failureOutcome(call, error.code, error.details));
        resolve(call.check(response));
      });
    });
  return { send, close: () => client.close() };
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const connect = spec.generator === 'lean' ? connectLean : connectGrpcJs;
  const transports = await Promise.all((spec.roundRobin ?? [spec.target]).map((target) => connect(target, spec.callTimeoutMs)));
  const send = (call: PreparedCall, index: number): Promise<string | null> => transports[index % transports.length]!.send(call);
  const next = callFactory(spec.kind, spec.accounts, spec.namePrefix);
  const samples = new SampleBuffer();
  const errorsByReason: Record<string, number> = {};
  let ok = 0;
  let errors = 0;
  let started = 0;

  const t0 = performance.now();
  const measureFrom = t0 + spec.warmupMs;
  const end = measureFrom + spec.durationMs;
  // The server's and the stores' CPU are read only for scenarios against the server (baselines have no serverPid).
  const readStack = (): CpuReading | undefined => (spec.serverPid === undefined ? undefined : readCpu(spec.serverPid));
  let cpuAtStart = process.cpuUsage();
  let stackAtStart = readStack();
  if (spec.warmupMs > 0) setTimeout(() => ((cpuAtStart = process.cpuUsage()), (stackAtStart = readStack())), spec.warmupMs);
  // The closed loop's window ends at `end` even though calls begun before it finish later.
  let stackAtEnd: CpuReading | undefined;
  const endTimer = setTimeout(() => (stackAtEnd = readStack()), Math.max(0, end - performance.now()));

  // Closed loop: a call counts when it completes inside the window (steady-state throughput, no tail of calls
  // begun before the end). Open loop: when it was due inside the window, however late it completes.
  const record = (intended: number, outcome: string | null): void => {
    const done = performance.now();
    const counted = spec.mode === 'closed' ? done >= measureFrom && done <= end : intended >= measureFrom;
    if (outcome === null) {
      if (!counted) return;
      ok += 1;
      samples.push(done - intended);
    } else {
      // Every error counts, warm-up included: a scenario that fails anywhere must not pass.
      errors += 1;
      errorsByReason[outcome] = (errorsByReason[outcome] ?? 0) + 1;
    }
  };
  const budgetLeft = (): boolean => spec.maxCalls === 0 || started < spec.maxCalls;

  if (spec.mode === 'closed') {
    const vu = async (id: number): Promise<void> => {
      for (let seq = 0; performance.now() < end && budgetLeft(); seq += 1) {
        started += 1;
        const intended = performance.now();
        record(intended, await send(next(id, seq), id));
      }
    };
    await Promise.all(Array.from({ length: spec.concurrency }, (_, id) => vu(id)));
  } else {
    // Open loop: call i is due at t0 + i/rate whatever happened to the calls before it; its latency counts from then.
    const interval = 1_000 / (spec.rate ?? 1);
    const inFlight = new Set<Promise<void>>();
    let i = 0;
    while (budgetLeft()) {
      const due = t0 + i * interval;
      if (due >= end) break;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 50)));
      if (performance.now() < due) continue;
      const call = next(i, i);
      started += 1;
      i += 1;
      const p: Promise<void> = send(call, i - 1).then((outcome) => {
        record(due, outcome);
        inFlight.delete(p);
      });
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  }
  const measuredMs = Math.min(performance.now(), end) - measureFrom;
  const cpu = process.cpuUsage(cpuAtStart);
  clearTimeout(endTimer);
  stackAtEnd ??= readStack();
  const percentOfCore = (cpuMs: (start: CpuReading, end: CpuReading) => number): number =>
    stackAtStart && stackAtEnd ? round((cpuMs(stackAtStart, stackAtEnd) / measuredMs) * 100, 1) : Number.NaN;
  const serverCpuPercent = percentOfCore((start, end) => end.server - start.server);
  const storesCpuPercent = {
    postgres: percentOfCore((start, end) => storeCpuBetween(start.postgres, end.postgres)),
    redis: percentOfCore((start, end) => storeCpuBetween(start.redis, end.redis)),
  };
  for (const transport of transports) transport.close();
  const offered = spec.mode === 'open' ? Math.floor(spec.durationMs / (1_000 / (spec.rate ?? 1))) : undefined;
  return {
    kind: spec.kind,
    mode: spec.mode,
    ok,
    errors,
    errorsByReason,
    throughput: round((ok / measuredMs) * 1_000, 1),
    latencyMs: summarize(samples.values()),
    measuredMs: round(measuredMs, 0),
    cpuPercent: round(((cpu.user + cpu.system) / 1_000 / measuredMs) * 100, 1),
    ...(Number.isFinite(serverCpuPercent) ? { serverCpuPercent } : {}),
    ...(Number.isFinite(storesCpuPercent.postgres) ? { storesCpuPercent } : {}),
    ...(offered === undefined ? {} : { offered }),
    ...(spec.kind === 'refresh' ? { accounts: spec.accounts } : {}),
  };
}

process.once('message', (spec: LoadSpec) => {
  run(spec).then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (error: unknown) => process.send!({ error: String(error) }, () => process.exit(1)),
  );
});
