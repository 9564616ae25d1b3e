import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { MailOutboxStats, OutboxStats } from '@authsvc/core';

export interface HashPoolStats {
  queued: number;
  active: number;
  threads: number;
  /** New hashes the workers finished since the start (absent when the hasher does not count them). */
  hashes?: number;
  /** Password verifications the workers finished since the start: what password guessing really cost. */
  verifications?: number;
}

export interface RuntimeMetricSources {
  /** The password-hash worker pool, when the hasher has one. */
  hashPool?: () => HashPoolStats;
  /** Outbox backlog; omitted when this process has no database (never the case today). */
  outbox?: () => Promise<OutboxStats>;
  /** Mail outbox counts. */
  mail?: () => Promise<MailOutboxStats>;
}

/** Event-loop delay, password-hash pool and outbox gauges, read when /metrics is scraped. Returns a stop function. */
export function registerRuntimeMetrics(registry: Registry, sources: RuntimeMetricSources): () => void {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  new Gauge({
    name: 'nodejs_event_loop_delay_seconds',
    help: 'Event-loop delay since the previous scrape (p50, p99, max).',
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      // The histogram reports nanoseconds; before the first sample it reports absurd minimums, so guard on count.
      const seconds = (ns: number) => (loop.count > 0 ? ns / 1e9 : 0);
      this.set({ quantile: '0.5' }, seconds(loop.percentile(50)));
      this.set({ quantile: '0.99' }, seconds(loop.percentile(99)));
      this.set({ quantile: '1' }, seconds(loop.max));
      loop.reset();
    },
  });

  const hashPool = sources.hashPool;
  if (hashPool) {
    const gauge = (name: string, help: string, read: (s: HashPoolStats) => number) =>
      new Gauge({ name, help, registers: [registry], collect() { this.set(read(hashPool())); } });
    gauge('authsvc_password_hash_queue_size', 'Password hashes waiting for a worker thread.', (s) => s.queued);
    gauge('authsvc_password_hash_active', 'Password hashes running now.', (s) => s.active);
    gauge('authsvc_password_hash_threads', 'Worker threads of the password-hash pool.', (s) => s.threads);
    new Counter({
      name: 'authsvc_password_hash_operations_total',
      help: 'Password-hash operations (every algorithm) the worker threads finished, by op: hash (a new hash) or verify (a password checked). Refused or dropped ones are not counted.',
      labelNames: ['op'],
      registers: [registry],
      collect() {
        const stats = hashPool();
        this.reset();
        // A hasher that does not count its work reports nothing rather than a made-up zero.
        if (stats.hashes !== undefined) this.inc({ op: 'hash' }, stats.hashes);
        if (stats.verifications !== undefined) this.inc({ op: 'verify' }, stats.verifications);
      },
    });
  }

  const outbox = sources.outbox;
  if (outbox) {
    // One stats query per scrape, shared by the three gauges.
    let pending: Promise<OutboxStats | null> | undefined;
    const read = async () => {
      pending ??= outbox().catch(() => null).finally(() => setTimeout(() => (pending = undefined), 0));
      return pending;
    };
    const gauge = (name: string, help: string, pick: (s: OutboxStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          const stats = await read();
          if (stats) this.set(pick(stats));
        },
      });
    gauge('authsvc_outbox_backlog', 'Outbox events not yet published.', (s) => s.backlog);
    gauge('authsvc_outbox_oldest_pending_age_seconds', 'Age of the oldest unpublished outbox event (0 when none).', (s) => (s.oldestPendingAgeMs ?? 0) / 1_000);
    gauge('authsvc_outbox_failing', 'Unpublished outbox events that failed at least once.', (s) => s.failing);
  }

  const mail = sources.mail;
  if (mail) {
    let pending: Promise<MailOutboxStats | null> | undefined;
    const read = async () => {
      pending ??= mail().catch(() => null).finally(() => setTimeout(() => (pending = undefined), 0));
      return pending;
    };
    const gauge = (name: string, help: string, pick: (s: MailOutboxStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          const stats = await read();
          if (stats) this.set(pick(stats));
        },
      });
    gauge('authsvc_mail_pending', 'Mails waiting to be sent (failed ones included).', (s) => s.pending);
    gauge('authsvc_mail_failing', 'Pending mails that failed at least once.', (s) => s.failing);
    gauge('authsvc_mail_abandoned', 'Mails given up after too many failed tries (alert when it grows).', (s) => s.abandoned);
    gauge('authsvc_mail_oldest_pending_age_seconds', 'Age of the oldest pending mail (0 when none).', (s) => (s.oldestPendingAgeMs ?? 0) / 1_000);
  }
  return () => loop.disable();
}
