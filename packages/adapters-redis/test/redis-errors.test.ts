import { ReplyError } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '@authsvc/core';
import { RedisKeys } from '../src/index.js';
import { translateRedisError } from '../src/redis.errors.js';

describe('translating Redis failures', () => {
  it('turns connection errors and timeouts into DEPENDENCY_UNAVAILABLE with a retry delay, keeping the cause', () => {
    const cause = new Error('Command timed out');
    const failure = translateRedisError(cause);
    expect(failure).toMatchObject({ name: 'DomainError', code: 'DEPENDENCY_UNAVAILABLE', retryAfterMs: 1_000, cause });
    expect(translateRedisError(new Error('Too many Cluster redirections. Last error: MOVED 3999 127.0.0.1:6381'))).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
    });
  });

  it.each([
    'LOADING Redis is loading the dataset in memory',
    'READONLY You can\'t write against a read only replica.',
    'CLUSTERDOWN The cluster is down',
    'TRYAGAIN Multiple keys request during rehashing of slot',
    'MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to \'no\'.',
    'MOVED 3999 127.0.0.1:6381',
    'ASK 3999 127.0.0.1:6381',
    'OOM command not allowed',
    'ERR max number of clients reached',
    'DEADLINE the script reached Redis after its caller had given up',
  ])(
    'treats the reply "%s" as the store being unavailable',
    (message) => {
      expect(translateRedisError(new ReplyError(message))).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    },
  );

  it('lets other reply errors (bugs such as a broken script or a wrong key type) through unchanged', () => {
    for (const message of ['ERR Error running script', 'WRONGTYPE Operation against a key holding the wrong kind of value', 'CROSSSLOT Keys in request don\'t hash to the same slot']) {
      const error = new ReplyError(message);
      expect(translateRedisError(error)).toBe(error);
      expect(isDomainError(translateRedisError(error))).toBe(false);
    }
  });
});

describe('key layout', () => {
  it('puts each id in a hash tag after the prefix', () => {
    const keys = new RedisKeys('authsvc:');
    expect(keys.session('abc')).toBe('authsvc:session:{abc}');
    expect(keys.accountSessions('acc')).toBe('authsvc:account-sessions:{acc}');
    expect(keys.rateLimit('login:bob')).toBe('authsvc:rate:{login:bob}');
  });

  it('refuses a prefix with braces, which would pin every key to one cluster slot', () => {
    expect(() => new RedisKeys('{authsvc}:')).toThrow(/must not contain/);
  });
});
