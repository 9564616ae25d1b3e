/**
 * KEYS[1] failure window hash {count, start}. ARGV now, windowMs, maxFailures.
 * Fixed window from the first failure: a failure after the window closed starts a new one. The key's TTL is
 * the rest of the window, so a quiet key disappears on its own. Replies 0 when the next attempt is allowed,
 * else the milliseconds until the window closes.
 */
export const RECORD_FAILURE = `
local now, window, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[1], 'count', 'start')
local start = tonumber(s[2])
if not start or now >= start + window then
  start = now
  redis.call('HSET', KEYS[1], 'count', 0, 'start', ARGV[1])
end
local count = redis.call('HINCRBY', KEYS[1], 'count', 1)
local rest = start + window - now
redis.call('PEXPIRE', KEYS[1], rest)
if count >= max then return rest end
return 0
`;
