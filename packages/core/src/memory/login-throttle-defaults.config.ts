import type { LoginThrottleLimits } from '../ports/login-throttle.port.js';

/** 10 failed logins within 15 minutes lock the key until those 15 minutes (counted from the first failure) end. */
export const DEFAULT_LOGIN_THROTTLE_LIMITS: LoginThrottleLimits = Object.freeze({ maxFailures: 10, windowMs: 15 * 60_000 });
