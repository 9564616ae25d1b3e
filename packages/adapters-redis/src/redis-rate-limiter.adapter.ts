import { checkLimit, type RateDecision, type RateLimit, type RateLimiter } from '@authsvc/core';
import { redisCall } from './redis.errors.js';
import { RedisKeys } from './redis-keys.config.js';
import { defineScript, type RedisClient, type ScriptRunner } from './redis-script.util.js';
import { CONSUME, REFUND } from './rate-limiter.script.js';

/** Attempt counters on Redis: one Lua script per attempt (read, reset-if-ended, refuse or count, expire) and per refund. */
export class RedisRateLimiter implements RateLimiter {
  private readonly keys: RedisKeys;
  private readonly consumeScript: ScriptRunner;
  private readonly refundScript: ScriptRunner;

  constructor(
    private readonly client: RedisClient,
    prefix: string,
  ) {
    this.keys = new RedisKeys(prefix);
    this.consumeScript = defineScript(client, 'authsvcRateConsume', CONSUME);
    this.refundScript = defineScript(client, 'authsvcRateRefund', REFUND);
  }

  async consume(key: string, limit: RateLimit, now: Date): Promise<RateDecision> {
    checkLimit(limit);
    const [allowed, value] = (await redisCall(() => this.consumeScript(this.keys.rateLimit(key), now.getTime(), limit.windowMs, limit.max))) as [number, number];
    return allowed === 1 ? { allowed: true, remaining: Number(value) } : { allowed: false, retryAfterMs: Number(value) };
  }

  async refund(key: string, limit: RateLimit, countedAt: Date): Promise<void> {
    checkLimit(limit);
    await redisCall(() => this.refundScript(this.keys.rateLimit(key), countedAt.getTime(), limit.windowMs));
  }

  async reset(key: string): Promise<void> {
    await redisCall(() => this.client.del(this.keys.rateLimit(key)));
  }
}
