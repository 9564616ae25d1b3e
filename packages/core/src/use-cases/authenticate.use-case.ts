import type { Principal } from '../auth/principal.model.js';
import type { ValidateToken } from './validate-token.use-case.js';

export interface AuthenticateInput {
  accessToken: string;
}
export type AuthenticateOutput = Principal;

/**
 * Turns a bearer access token into the caller of an authenticated operation (same checks as ValidateToken). A token
 * the role policy restricts gives a principal marked `mfaEnrolmentRequired`: `authorize` lets it enrol a factor only.
 */
export class Authenticate {
  constructor(private readonly validateToken: ValidateToken) {}

  async execute(input: AuthenticateInput): Promise<AuthenticateOutput> {
    const claims = await this.validateToken.claimsOf(input);
    const principal: Principal = { accountId: claims.accountId, sessionId: claims.sessionId, role: claims.role, amr: claims.amr, authTime: claims.authTime };
    if (this.validateToken.mustEnrol(claims)) principal.mfaEnrolmentRequired = true;
    return principal;
  }
}
