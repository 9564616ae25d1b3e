import { TokenRejectedError, type TokenRejection, type TokenVerifier, type VerifiedAccessToken } from '../../src/verifier/index.js';

/** A verifier that knows a few tokens by their text: the adapters' tests are about the adapters, not the checks. */
export function stubVerifier(known: Record<string, VerifiedAccessToken | TokenRejection>): TokenVerifier {
  return {
    breakerState: 'closed',
    async verify(token) {
      if (token === '') throw new TokenRejectedError('missing');
      const answer = known[token] ?? 'invalid';
      if (typeof answer === 'string') throw new TokenRejectedError(answer);
      return answer;
    },
  };
}

export const ADA: VerifiedAccessToken = {
  subject: 'acc-ada',
  sessionId: 'ses-1',
  role: 'USER',
  tokenId: 'tok-1',
  issuedAt: new Date('2026-01-01T00:00:00Z'),
  expiresAt: new Date('2026-01-01T00:15:00Z'),
  amr: ['pwd'],
  authTime: new Date('2026-01-01T00:00:00Z'),
};
