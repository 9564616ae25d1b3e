/**
 * Lua scripts of the session store. Each runs atomically on the one key it is given (KEYS[1]), which is
 * what makes concurrent redemptions safe: Redis runs one script at a time, so "read counter, compare, write"
 * cannot interleave. Times are epoch milliseconds passed by the caller (the service clock), never the
 * Redis clock, so every instance agrees with core's rules; key TTLs only collect garbage.
 */

/**
 * KEYS[1] session hash. ARGV accountId, createdAt, expiresAt, clientAddress, userAgent, deviceName, assurance (each of
 * the last four '' when unknown, then not stored; assurance '1' or '0': whether one is recorded in the second-factor
 * store). Writes the hash and its TTL together.
 */
export const CREATE_SESSION = `
local createdAt = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3]) - createdAt
if ttl <= 0 then return 0 end
redis.call('HSET', KEYS[1], 'accountId', ARGV[1], 'counter', '0', 'createdAt', ARGV[2], 'lastUsedAt', ARGV[2], 'expiresAt', ARGV[3])
local device = {'clientAddress', 'userAgent', 'deviceName', 'assurance'}
for i = 1, 4 do
  if ARGV[3 + i] ~= '' then redis.call('HSET', KEYS[1], device[i], ARGV[3 + i]) end
end
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
`;

/**
 * KEYS[1] account index. ARGV sessionId, expiresAt, now. Drops expired members, adds this one, and makes the
 * index live exactly as long as its longest-lived session.
 */
export const INDEX_SESSION = `
local now = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local ttl = tonumber(top[2]) - now
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) else redis.call('DEL', KEYS[1]) end
return 1
`;

/** KEYS[1] account index. ARGV now. Drops expired members and returns the others, soonest expiry first. */
export const LIVE_INDEX_MEMBERS = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
return redis.call('ZRANGE', KEYS[1], 0, -1)
`;

/**
 * KEYS[1] session hash. ARGV counter, now, graceMs. Core's redemption rules in one round trip:
 *   unknown / revoked / expired session, or a counter never issued -> {'invalid'}
 *   counter == current                         -> counter+1, lastUsedAt = rotatedAt = now; {'rotated', ...}
 *   counter == current-1 within graceMs of the rotation -> nothing changes; {'grace', ...} with the current counter
 *   any other earlier counter                  -> the session is revoked; {'reused', accountId}
 * Replies: {outcome, accountId, createdAt, lastUsedAt, expiresAt, counter, assurance (nil when the start did not say)}.
 */
export const REDEEM = `
local s = redis.call('HMGET', KEYS[1], 'accountId', 'counter', 'createdAt', 'lastUsedAt', 'expiresAt', 'rotatedAt', 'revokedAt', 'assurance')
if not s[1] or s[7] then return {'invalid'} end
local counter, now, grace = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if now >= tonumber(s[5]) then return {'invalid'} end
local current = tonumber(s[2])
if counter == current then
  local nextCounter = tostring(current + 1)
  redis.call('HSET', KEYS[1], 'counter', nextCounter, 'lastUsedAt', ARGV[2], 'rotatedAt', ARGV[2])
  return {'rotated', s[1], s[3], ARGV[2], s[5], nextCounter, s[8]}
end
if counter == nil or counter < 0 or counter > current or counter ~= math.floor(counter) then return {'invalid'} end
if counter == current - 1 and grace > 0 and s[6] and now - tonumber(s[6]) <= grace then
  return {'grace', s[1], s[3], s[4], s[5], s[2], s[8]}
end
redis.call('HSET', KEYS[1], 'revokedAt', ARGV[2])
return {'reused', s[1]}
`;

/** KEYS[1] session hash. ARGV now. Marks a live session revoked (kept until its expiry); replies its accountId, or nil when it was not live. */
export const REVOKE = `
local s = redis.call('HMGET', KEYS[1], 'accountId', 'expiresAt', 'revokedAt')
if not s[1] or s[3] or tonumber(ARGV[1]) >= tonumber(s[2]) then return false end
redis.call('HSET', KEYS[1], 'revokedAt', ARGV[1])
return s[1]
`;
