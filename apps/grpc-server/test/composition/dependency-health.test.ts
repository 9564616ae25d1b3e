import { describe, expect, it } from 'vitest';
import { DependencyHealth } from '../../src/composition/dependency-health.worker.js';
import { createLogger } from '../../src/logging/logger.factory.js';

const logger = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('DependencyHealth', () => {
  it('reports NOT_SERVING while a required dependency is down and SERVING once it is back', async () => {
    let redisUp = true;
    const health = new DependencyHealth([{ name: 'database', check: async () => true }, { name: 'redis', check: async () => redisUp }], logger, 20);
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
      1_000,
      30,
    );
    await health.start();
    expect(health.getStatus()).toBe('NOT_SERVING');
    expect(health.failing().sort()).toEqual(['hangs', 'throws']);
    health.stop();
  });

  it('stays NOT_SERVING after drain() even when every probe passes', async () => {
    const health = new DependencyHealth([{ name: 'database', check: async () => true }], logger, 10);
    await health.start();
    health.drain();
    await sleep(40);
    expect(health.getStatus()).toBe('NOT_SERVING');
  });
});
