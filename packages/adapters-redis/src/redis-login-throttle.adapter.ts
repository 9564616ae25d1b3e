import type { LoginThrottle, LoginThrottleLimits, ThrottleDecision } from '@authsvc/core';
import { redisCall } from './redis.errors.js';
import { RedisKeys } from './redis-keys.config.js';
import { defineScript, type RedisClient, type ScriptRunner } from './redis-script.util.js';
import { RECORD_FAILURE } from './login-throttle.script.js';

/**
 * Failed-login counter per key in a fixed window that opens at the first failure. Counting is one Lua
 * script (read, reset-if-closed, increment, expire), so concurrent failures from many instances all count.
 */
export class RedisLoginThrottle implements LoginThrottle {
  private readonly keys: RedisKeys;
  private readonly recordScript: ScriptRunner;

  constructor(
    private readonly client: RedisClient,
    prefix: string,
    private readonly limits: LoginThrottleLimits,
  ) {
    if (!(limits.maxFailures >= 1) || !(limits.windowMs >= 1)) throw new Error('login throttle limits must be positive');
    this.keys = new RedisKeys(prefix);
    this.recordScript = defineScript(client, 'authsvcLoginFailure', RECORD_FAILURE);
  }

  async check(key: string, now: Date): Promise<ThrottleDecision> {
    const [count, start] = await redisCall(() => this.client.hmget(this.keys.loginFailures(key), 'count', 'start'));
    if (!count || !start) return { allowed: true };
    const closesAt = Number(start) + this.limits.windowMs;
    if (now.getTime() >= closesAt || Number(count) < this.limits.maxFailures) return { allowed: true };
    return { allowed: false, retryAfterMs: closesAt - now.getTime() };
  }

  async recordFailure(key: string, now: Date): Promise<ThrottleDecision> {
    const retryAfterMs = Number(
      await redisCall(() =>
        this.recordScript(this.keys.loginFailures(key), now.getTime(), this.limits.windowMs, this.limits.maxFailures),
      ),
    );
    return retryAfterMs > 0 ? { allowed: false, retryAfterMs } : { allowed: true };
  }

  async reset(key: string): Promise<void> {
    await redisCall(() => this.client.del(this.keys.loginFailures(key)));
  }
}
