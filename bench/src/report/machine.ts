import { cpus, loadavg, totalmem, availableParallelism } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  /** 1-minute load average when the run started. */
  loadBefore: number;
}

export function machineInfo(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadBefore: loadavg()[0]!,
  };
}

/** Samples the 1-minute load average every few seconds while the bench runs. */
export class LoadSampler {
  readonly samples: number[] = [];
  readonly #timer = setInterval(() => this.samples.push(loadavg()[0]!), 5_000);

  constructor() {
    this.#timer.unref();
  }

  stop(): { min: number; mean: number; max: number } {
    clearInterval(this.#timer);
    const values = this.samples.length > 0 ? this.samples : [loadavg()[0]!];
    const sum = values.reduce((a, b) => a + b, 0);
    return { min: Math.min(...values), mean: Math.round((sum / values.length) * 100) / 100, max: Math.max(...values) };
  }
}
