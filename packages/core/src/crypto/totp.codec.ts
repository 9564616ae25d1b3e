import { Secret, TOTP } from 'otpauth';

/** RFC 6238 with the parameters every authenticator app supports: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;

/** Steps either side of the current one that are accepted: one step of clock drift. */
export const TOTP_DRIFT_STEPS = 1;

/** A new shared secret of 160 bits (RFC 4226's recommendation), base32 as apps expect it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/...` URI an authenticator app reads (from a QR code or typed). */
export function totpUri(secret: string, issuer: string, accountName: string): string {
  return new TOTP({ issuer, label: accountName, secret: Secret.fromBase32(secret), digits: DIGITS, period: TOTP_PERIOD_SECONDS }).toString();
}

/** The time step of `now`. */
export function totpStepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code of the step containing `at` (the tests' authenticator). */
export function totpCodeAt(secret: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: DIGITS, period: TOTP_PERIOD_SECONDS }).generate({ timestamp: at.getTime() });
}

/** The time step whose code `code` is, within TOTP_DRIFT_STEPS of `now`; null when it matches none (constant-time compare inside). */
export function matchTotpStep(secret: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: DIGITS, period: TOTP_PERIOD_SECONDS });
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: TOTP_DRIFT_STEPS });
  return delta === null ? null : totpStepAt(now) + delta;
}
