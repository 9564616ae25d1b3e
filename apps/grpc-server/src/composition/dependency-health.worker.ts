import type { DomainError } from '@authsvc/core';
import type { HealthReporter, ServingStatus } from '../grpc/health-reporter.port.js';
import type { AppLogger } from '../logging/logger.factory.js';

/** A required dependency and how to tell it can serve (must not throw). */
export interface DependencyProbe {
  name: string;
  check(): Promise<boolean>;
}

export interface DependencyHealthTimings {
  /** Between two probes while every dependency is up. Default 2 s. */
  intervalMs?: number;
  /** A probe slower than this counts as a failure. Default 1.5 s. */
  timeoutMs?: number;
  /** Between two probes while a dependency is down, so its return shows within this. Default 250 ms. */
  recoveryIntervalMs?: number;
}

/**
 * NOT_SERVING while any required dependency is down, SERVING otherwise. A dependency goes down at the first call
 * that finds it unavailable (its adapters report the outage as it happens: `reportOutage`) or at a failed probe,
 * whichever comes first; it is up again at the first probe that succeeds, and probes run every `recoveryIntervalMs`
 * while something is down (every `intervalMs` otherwise). Recovery is the probe's to decide, not a successful call's:
 * a store that answers reads but refuses writes (a replica after a failover) serves some calls, and letting those
 * turn health SERVING would make it flap. `drain()` pins NOT_SERVING for shutdown.
 */
export class DependencyHealth implements HealthReporter {
  private status: ServingStatus = 'SERVING';
  private draining = false;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private readonly listeners = new Set<(status: ServingStatus) => void>();
  /** Each dependency down, and since when (a probe that began before then says nothing about now). */
  private readonly down = new Map<string, number>();
  private readonly names: ReadonlySet<string>;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly recoveryIntervalMs: number;

  constructor(
    private readonly probes: readonly DependencyProbe[],
    private readonly logger: AppLogger,
    timings: DependencyHealthTimings = {},
  ) {
    this.names = new Set(probes.map((probe) => probe.name));
    this.intervalMs = timings.intervalMs ?? 2_000;
    this.timeoutMs = timings.timeoutMs ?? 1_500;
    this.recoveryIntervalMs = timings.recoveryIntervalMs ?? 250;
  }

  getStatus(): ServingStatus {
    return this.status;
  }

  onChange(listener: (status: ServingStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Probes once now, then on and on until `stop()`. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.probeAll();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Reports NOT_SERVING from now on, so load balancers stop sending traffic during shutdown. */
  drain(): void {
    this.draining = true;
    this.stop();
    this.set('NOT_SERVING');
  }

  /**
   * A call found `name` unavailable: NOT_SERVING now, and probes at the recovery pace until it answers. Reports of a
   * dependency that has no probe are ignored (nothing would ever bring it back).
   */
  reportOutage(name: string, outage: DomainError): void {
    if (this.draining || !this.names.has(name)) return;
    const wasDown = this.down.has(name);
    this.down.set(name, performance.now());
    if (wasDown) return;
    const cause = outage.cause instanceof Error ? outage.cause.message : undefined;
    this.logger.warn({ dependency: name, ...(cause === undefined ? {} : { reason: cause }) }, 'dependency is down: reporting NOT_SERVING');
    this.set('NOT_SERVING');
    if (!this.stopped && !this.probing) this.schedule();
  }

  /** Names of the dependencies that are down. */
  failing(): string[] {
    return [...this.down.keys()];
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.probeAll().finally(() => this.schedule()), this.down.size > 0 ? this.recoveryIntervalMs : this.intervalMs);
    this.timer.unref();
  }

  private async probeAll(): Promise<void> {
    this.probing = true;
    const began = performance.now();
    try {
      const results = await Promise.all(this.probes.map(async (p) => [p.name, await this.withTimeout(p)] as const));
      if (this.draining) return;
      for (const [name, up] of results) {
        const downSince = this.down.get(name);
        if (up && downSince !== undefined && downSince <= began) {
          this.down.delete(name);
          this.logger.info({ dependency: name }, 'dependency is back');
        }
        if (!up && downSince === undefined) {
          this.down.set(name, began);
          this.logger.warn({ dependency: name }, 'dependency is down: reporting NOT_SERVING');
        }
      }
      this.set(this.down.size === 0 ? 'SERVING' : 'NOT_SERVING');
    } finally {
      this.probing = false;
    }
  }

  private async withTimeout(probe: DependencyProbe): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.timeoutMs)));
    try {
      return await Promise.race([probe.check().catch(() => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private set(status: ServingStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const listener of this.listeners) listener(status);
  }
}
