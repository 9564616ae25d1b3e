import type { HealthReporter, ServingStatus } from '../grpc/health-reporter.port.js';
import type { AppLogger } from '../logging/logger.factory.js';

/** A required dependency and how to tell it is up (must not throw). */
export interface DependencyProbe {
  name: string;
  check(): Promise<boolean>;
}

/**
 * NOT_SERVING while any required dependency fails its probe, SERVING otherwise. Probes run every
 * `intervalMs`; a probe slower than `timeoutMs` counts as a failure. `drain()` pins NOT_SERVING for shutdown.
 */
export class DependencyHealth implements HealthReporter {
  private status: ServingStatus = 'SERVING';
  private draining = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(status: ServingStatus) => void>();
  private readonly down = new Set<string>();

  constructor(
    private readonly probes: readonly DependencyProbe[],
    private readonly logger: AppLogger,
    private readonly intervalMs = 2_000,
    private readonly timeoutMs = 1_500,
  ) {}

  getStatus(): ServingStatus {
    return this.status;
  }

  onChange(listener: (status: ServingStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Probes once now, then every interval. */
  async start(): Promise<void> {
    await this.probeAll();
    this.timer = setInterval(() => void this.probeAll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reports NOT_SERVING from now on, so load balancers stop sending traffic during shutdown. */
  drain(): void {
    this.draining = true;
    this.stop();
    this.set('NOT_SERVING');
  }

  /** Names of the dependencies failing their last probe. */
  failing(): string[] {
    return [...this.down];
  }

  private async probeAll(): Promise<void> {
    const results = await Promise.all(this.probes.map(async (p) => [p.name, await this.withTimeout(p)] as const));
    if (this.draining) return;
    for (const [name, up] of results) {
      if (up && this.down.delete(name)) this.logger.info({ dependency: name }, 'dependency is back');
      if (!up && !this.down.has(name)) {
        this.down.add(name);
        this.logger.warn({ dependency: name }, 'dependency is down: reporting NOT_SERVING');
      }
    }
    this.set(this.down.size === 0 ? 'SERVING' : 'NOT_SERVING');
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
