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
    secondFactorPerAccount: { max: t.maxSecondFactorFailures, windowMs: t.secondFactorWindow },
    mailsPerAccount: { max: t.maxMailsPerAccount, windowMs: t.mailWindow },
    mailsPerAddress: { max: t.maxMailsPerAddress, windowMs: t.mailWindow },
    tokenRedemptionsPerAddress: { max: t.maxTokenRedemptionsPerAddress, windowMs: t.tokenRedemptionWindow },
    dataExports: { max: t.maxDataExports, windowMs: t.dataExportWindow },
    passkeyChallengesPerAddress: { max: t.maxPasskeyChallengesPerAddress, windowMs: t.passkeyChallengeWindow },
    passwordResetRequestsPerAddress: { max: t.maxPasswordResetRequestsPerAddress, windowMs: t.passwordResetRequestWindow },
  };
}
