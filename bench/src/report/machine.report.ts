import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  /** 1-minute load average when the run started. */
  loadBefore: number;
  /** Linux CPU pressure (PSI "some", avg10, %) when the run started: share of time some task waited for a CPU. */
  cpuPressureBefore: number | null;
}

/** PSI "some avg10" of /proc/pressure/cpu, or null where the kernel does not expose it. */
export function cpuPressure(): number | null {
  if (!existsSync('/proc/pressure/cpu')) return null;
  const match = /some avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
  return match ? Number(match[1]) : null;
}

export function machineInfo(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadBefore: loadavg()[0]!,
    cpuPressureBefore: cpuPressure(),
  };
}

export interface LoadSummary {
  min: number;
  mean: number;
  max: number;
  /** Mean CPU pressure (PSI some avg10, %) over the samples, null where unavailable. */
  cpuPressureMean: number | null;
}

/** Samples the 1-minute load average and CPU pressure every few seconds while the bench runs. */
export class LoadSampler {
  readonly samples: number[] = [];
  readonly pressure: number[] = [];
  readonly #timer = setInterval(() => this.#sample(), 5_000);

  constructor() {
    this.#timer.unref();
  }

  #sample(): void {
    this.samples.push(loadavg()[0]!);
    const p = cpuPressure();
    if (p !== null) this.pressure.push(p);
  }

  stop(): LoadSummary {
    clearInterval(this.#timer);
    if (this.samples.length === 0) this.#sample();
    const mean = (values: number[]) => Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
    return { min: Math.min(...this.samples), mean: mean(this.samples), max: Math.max(...this.samples), cpuPressureMean: this.pressure.length > 0 ? mean(this.pressure) : null };
  }
}
