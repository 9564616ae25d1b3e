import type { LoadGenerator, LoadResult } from '../loadgen/load-spec.types.ts';
import type { LatencySummary } from '../stats.util.ts';

/** One row of the results table. */
export interface ScenarioResult {
  name: string;
  /** What the throughput counts. */
  unit: string;
  throughput: number;
  latencyMs: LatencySummary;
  ok: number;
  errors: number;
  errorsByReason: Record<string, number>;
  /** CPU of the load generator(s), % of one core. */
  loadgenCpuPercent: number;
  /** CPU of the whole server process (all its threads) over the scenario, % of one core. */
  serverCpuPercent?: number;
  /** CPU of the PostgreSQL and Redis processes over the scenario, % of one core (they share the server's cores). */
  storesCpuPercent?: { postgres: number; redis: number };
  /** Server event-loop delay over the scenario, from its /metrics (ms). */
  eventLoopDelayMs?: { p99: number; max: number };
  /** Anything else measured (offered rate, drain timings). */
  extra?: Record<string, number | string>;
}

export interface TargetCheck {
  scenario: string;
  target: string;
  measured: string;
  met: boolean;
}

/** A results-table row from a load generator's report. */
export function toRow(name: string, unit: string, result: LoadResult, extra?: Record<string, number | string>): ScenarioResult {
  return { name, unit, throughput: result.throughput, latencyMs: result.latencyMs, ok: result.ok, errors: result.errors, errorsByReason: result.errorsByReason, loadgenCpuPercent: result.cpuPercent, ...(result.serverCpuPercent === undefined ? {} : { serverCpuPercent: result.serverCpuPercent }), ...(result.storesCpuPercent === undefined ? {} : { storesCpuPercent: result.storesCpuPercent }), ...(extra ? { extra } : {}) };
}

/** What a row's name carries when the lean generator sent its calls (rows of the grpc-js generator keep their names). */
export const LEAN_SUFFIX = ' [lean generator]';
export const generatorSuffix = (generator: LoadGenerator): string => (generator === 'lean' ? LEAN_SUFFIX : '');
