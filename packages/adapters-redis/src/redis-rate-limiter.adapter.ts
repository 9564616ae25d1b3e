import { checkLimit, type RateDecision, type RateLimit, type RateLimiter } from '@authsvc/core';
import { redisCall } from './redis.errors.js';
import { RedisKeys } from './redis-keys.config.js';
import { defineScript, type RedisClient, type ScriptRunner } from './redis-script.util.js';
import { CONSUME } from './rate-limiter.script.js';

/** Attempt counters on Redis: one Lua script per attempt (read, reset-if-ended, refuse or count, expire). */
export class RedisRateLimiter implements RateLimiter {
  private readonly keys: RedisKeys;
  private readonly consumeScript: ScriptRunner;

  constructor(
    private readonly client: RedisClient,
    prefix: string,
  ) {
    this.keys = new RedisKeys(prefix);
    this.consumeScript = defineScript(client, 'authsvcRateConsume', CONSUME);
  }

  async consume(key: string, limit: RateLimit, now: Date): Promise<RateDecision> {
    checkLimit(limit);
    const [allowed, value] = (await redisCall(() => this.consumeScript(this.keys.rateLimit(key), now.getTime(), limit.windowMs, limit.max))) as [number, number];
    return allowed === 1 ? { allowed: true, remaining: Number(value) } : { allowed: false, retryAfterMs: Number(value) };
  }

  async reset(key: string): Promise<void> {
    await redisCall(() => this.client.del(this.keys.rateLimit(key)));
  }
}
