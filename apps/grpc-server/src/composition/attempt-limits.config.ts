import type { AttemptLimits } from '@authsvc/core';
import type { AppConfig } from '../config/config.types.js';

/** Core's attempt limits from throttle.*. */
export function attemptLimitsOf(config: AppConfig): AttemptLimits {
  const t = config.throttle;
  return {
    loginPerAddress: { max: t.maxFailures, windowMs: t.window },
    loginPerName: { max: t.maxFailuresPerLogin, windowMs: t.window },
    failedLoginsPerAddress: { max: t.maxFailuresPerAddress, windowMs: t.window },
    registrationsPerAddress: { max: t.maxRegistrationsPerAddress, windowMs: t.registrationWindow },
    identityChanges: { max: t.maxIdentityChanges, windowMs: t.identityChangeWindow },
    dataExports: { max: t.maxDataExports, windowMs: t.dataExportWindow },
  };
}
