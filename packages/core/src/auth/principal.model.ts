import type { Role } from '../domain/account.model.js';
import type { AuthMethod } from '../domain/second-factor.model.js';

/** Who is calling: an authenticated account (from a verified, unrevoked access token), or nobody. */
export interface Principal {
  accountId: string;
  sessionId: string;
  role: Role;
  /** How the caller's session was signed in (the token's `amr`); absent on principals made by an embedding app: `['pwd']`. */
  amr?: AuthMethod[];
  /** When that sign-in happened (`auth_time`); absent: unknown, never recent. */
  authTime?: Date;
  /**
   * The role policy applies and the session signed in without a second factor: only the operations of
   * ENROLMENT_OPERATIONS, on the caller's own account, are allowed (else MFA_ENROLMENT_REQUIRED).
   */
  mfaEnrolmentRequired?: boolean;
}

export type Caller = Principal | null;
