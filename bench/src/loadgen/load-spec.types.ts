import type { BenchAccount, CallKind } from './call-kinds.scenario.ts';
import type { LatencySummary } from '../stats.util.ts';

export type LoadGenerator = 'grpc-js' | 'lean';

/** What one load-generator process is asked to do. */
export interface LoadSpec {
  /** host:port of the gRPC server under test. */
  target: string;
  /**
   * Several servers behind client-side round robin (the scale points): one connection to each, virtual user i (an
   * open loop's call i) sent to servers[i % n]. Absent: `target` alone.
   */
  roundRobin?: string[];
  kind: CallKind;
  /**
   * Who sends the calls: `grpc-js` (a grpc-js client, what services calling this one use) or `lean` (calls written
   * straight onto a node:http2 session: lean-grpc-client.util.ts). Ratios compare rows of one generator only.
   */
  generator: LoadGenerator;
  /** closed: `concurrency` virtual users, each sends when its previous call returned. open: `rate` calls/s on a fixed schedule. */
  mode: 'closed' | 'open';
  concurrency: number;
  rate?: number;
  durationMs: number;
  /** Calls in the first warmupMs run but are not counted. */
  warmupMs: number;
  accounts: BenchAccount[];
  /** Registration: prefix of the generated usernames (unique per run and process). */
  namePrefix: string;
  /** Deadline of one call. */
  callTimeoutMs: number;
  /** Stop the whole run after this many calls (registrations bound the rows they create). 0: no bound. */
  maxCalls: number;
  /** The server's process id, to read its CPU time (all threads) over the measured window; absent for baselines. */
  serverPid?: number;
}

/** What it reports back. */
export interface LoadResult {
  kind: CallKind;
  mode: 'closed' | 'open';
  ok: number;
  errors: number;
  errorsByReason: Record<string, number>;
  /** Calls per second completed successfully in the measured window. */
  throughput: number;
  /** Open loop: measured from the intended send time (no coordinated omission). */
  latencyMs: LatencySummary;
  measuredMs: number;
  /** CPU the load generator used, in % of one core, over the measured window. */
  cpuPercent: number;
  /** CPU the server process used (every thread: event loop, hash workers, libuv pool), % of one core, same window. */
  serverCpuPercent?: number;
  /** CPU of every PostgreSQL and every Redis process on the machine, % of one core, same window (server scenarios). */
  storesCpuPercent?: { postgres: number; redis: number };
  /** Open loop: calls the schedule asked for in the window. */
  offered?: number;
  accounts?: BenchAccount[];
}
