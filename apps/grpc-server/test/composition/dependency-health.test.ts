import { describe, expect, it } from 'vitest';
import { dependencyUnavailable } from '@authsvc/core';
import { DependencyHealth } from '../../src/composition/dependency-health.worker.js';
import { createLogger } from '../../src/logging/logger.factory.js';

const logger = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('DependencyHealth', () => {
  it('reports NOT_SERVING while a required dependency is down and SERVING once it is back', async () => {
    let redisUp = true;
    const health = new DependencyHealth([{ name: 'database', check: async () => true }, { name: 'redis', check: async () => redisUp }], logger, {
      intervalMs: 20,
      recoveryIntervalMs: 20,
    });
    const seen: string[] = [];
    health.onChange((s) => seen.push(s));
    await health.start();
    expect(health.getStatus()).toBe('SERVING');
    redisUp = false;
    await sleep(80);
    expect(health.getStatus()).toBe('NOT_SERVING');
    expect(health.failing()).toEqual(['redis']);
    redisUp = true;
    await sleep(80);
    expect(health.getStatus()).toBe('SERVING');
    expect(seen).toEqual(['NOT_SERVING', 'SERVING']);
    health.stop();
  });

  it('counts a probe that hangs or throws as down', async () => {
    const health = new DependencyHealth(
      [{ name: 'hangs', check: () => new Promise<boolean>(() => {}) }, { name: 'throws', check: async () => Promise.reject(new Error('x')) }],
      logger,
      { intervalMs: 1_000, timeoutMs: 30 },
    );
    await health.start();
    expect(health.getStatus()).toBe('NOT_SERVING');
    expect(health.failing().sort()).toEqual(['hangs', 'throws']);
    health.stop();
  });

  it('turns NOT_SERVING at the first call that meets an outage, long before the next regular probe, and SERVING at the first probe that passes', async () => {
    let up = true;
    let probes = 0;
    const health = new DependencyHealth(
      [{ name: 'database', check: async () => (probes++, up) }],
      logger,
      { intervalMs: 60_000, recoveryIntervalMs: 30 },
    );
    await health.start();
    up = false;
    health.reportOutage('database', dependencyUnavailable('postgres', new Error('database "x" is not currently accepting connections')));
    expect(health.getStatus()).toBe('NOT_SERVING');
    expect(health.failing()).toEqual(['database']);
    // Probed again at the recovery pace, not after the minute of the regular interval.
    await sleep(150);
    expect(probes).toBeGreaterThan(2);
    expect(health.getStatus()).toBe('NOT_SERVING');
    up = true;
    await sleep(100);
    expect(health.getStatus()).toBe('SERVING');
    health.stop();
  });

  it('lets only a probe that began after the last reported outage bring a dependency back', async () => {
    let release!: (up: boolean) => void;
    let calls = 0;
    const health = new DependencyHealth(
      [{ name: 'redis', check: () => (++calls === 1 ? Promise.resolve(true) : new Promise<boolean>((resolve) => (release = resolve))) }],
      logger,
      { intervalMs: 10, recoveryIntervalMs: 60_000, timeoutMs: 5_000 },
    );
    await health.start();
    await sleep(30);
    // A probe is in flight; a call fails meanwhile; the probe then succeeds: it says nothing about after the failure.
    health.reportOutage('redis', dependencyUnavailable('redis'));
    release(true);
    await sleep(20);
    expect(health.getStatus()).toBe('NOT_SERVING');
    health.stop();
  });

  it('ignores an outage of a dependency it does not probe (nothing would bring it back)', async () => {
    const health = new DependencyHealth([{ name: 'database', check: async () => true }], logger, { intervalMs: 1_000 });
    await health.start();
    health.reportOutage('redis', dependencyUnavailable('redis'));
    expect(health.getStatus()).toBe('SERVING');
    health.stop();
  });

  it('stays NOT_SERVING after drain() even when every probe passes or an outage is reported', async () => {
    const health = new DependencyHealth([{ name: 'database', check: async () => true }], logger, { intervalMs: 10 });
    await health.start();
    health.drain();
    health.reportOutage('database', dependencyUnavailable('postgres'));
    await sleep(40);
    expect(health.getStatus()).toBe('NOT_SERVING');
  });
});
