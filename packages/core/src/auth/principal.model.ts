import type { Role } from '../domain/account.model.js';

/** Who is calling: an authenticated account (from a verified, unrevoked access token), or nobody. */
export interface Principal {
  accountId: string;
  sessionId: string;
  role: Role;
}

export type Caller = Principal | null;
