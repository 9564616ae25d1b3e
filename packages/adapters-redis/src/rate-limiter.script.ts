/**
 * KEYS[1] window hash {count, start}. ARGV now, windowMs, max.
 * Fixed window from the first counted attempt. Counts the attempt and replies {1, remaining} when fewer than `max`
 * are counted in the window; otherwise changes nothing and replies {0, ms until the window ends}. The key's TTL is
 * the rest of the window, so a quiet key disappears on its own.
 */
export const CONSUME = `
local now, window, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[1], 'count', 'start')
local count, start = tonumber(s[1]) or 0, tonumber(s[2])
if not start or now >= start + window then
  count = 0
  start = now
end
if count >= max then return {0, start + window - now} end
count = count + 1
redis.call('HSET', KEYS[1], 'count', count, 'start', start)
redis.call('PEXPIRE', KEYS[1], start + window - now)
return {1, max - count}
`;

/**
 * KEYS[1] window hash {count, start}. ARGV countedAt, windowMs.
 * Takes back one counted attempt, only when the window that counted it (start <= countedAt < start + windowMs) is the
 * one stored, and never below zero. The TTL stays: the window still ends when it would have. Replies 1 if refunded.
 */
export const REFUND = `
local countedAt, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local s = redis.call('HMGET', KEYS[1], 'count', 'start')
local count, start = tonumber(s[1]) or 0, tonumber(s[2])
if not start or count <= 0 or countedAt < start or countedAt >= start + window then return 0 end
redis.call('HINCRBY', KEYS[1], 'count', -1)
return 1
`;
