import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken } from '../verifier/bearer-token.codec.js';
import { TokenRejectedError } from '../verifier/token-verifier.errors.js';
import type { TokenVerifier, VerifiedAccessToken } from '../verifier/token-verifier.factory.js';

export interface HttpTokenAuthOptions {
  /** Seconds a client is told to wait (Retry-After) when the token cannot be checked now. Default 5. */
  retryAfterSeconds?: number;
}

/** Express (4 or 5) middleware; the request and response are Node's, so Connect and plain `http` work too. */
export type TokenAuthMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

const verifiedTokens = new WeakMap<IncomingMessage, VerifiedAccessToken>();

/**
 * Middleware that lets a request through only with a valid `Authorization: Bearer <access token>`. A refused token
 * is answered 401 with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750); a token that cannot be checked
 * now (key set or ValidateToken unreachable, breaker open) 503 with Retry-After: the request is refused either way.
 * Handlers read the token with accessTokenOf(req); it is also `res.locals.accessToken` under Express.
 */
export function createHttpTokenAuth(verifier: TokenVerifier, options: HttpTokenAuthOptions = {}): TokenAuthMiddleware {
  const retryAfter = String(options.retryAfterSeconds ?? 5);
  return (req, res, next) => {
    verifier.verify(bearerToken(req.headers.authorization)).then(
      (token) => {
        verifiedTokens.set(req, token);
        const locals = (res as ServerResponse & { locals?: Record<string, unknown> }).locals;
        if (locals) locals['accessToken'] = token;
        next();
      },
      (error: unknown) => {
        if (!(error instanceof TokenRejectedError)) return next(error);
        // RFC 9470: a token whose sign-in was too weak (no second factor for a role that needs one) is
        // insufficient_user_authentication, so the client knows to sign in again with its factor.
        const code = error.temporary ? 'temporarily_unavailable' : error.reason === 'mfa_enrolment_required' ? 'insufficient_user_authentication' : 'invalid_token';
        const body = JSON.stringify({ error: code, error_description: error.message });
        const challenge = error.reason === 'missing' ? 'Bearer' : `Bearer error="${code}", error_description="${error.message}"`;
        res.writeHead(error.temporary ? 503 : 401, {
          'content-type': 'application/json',
          'cache-control': 'no-store',
          ...(error.temporary ? { 'retry-after': retryAfter } : { 'www-authenticate': challenge }),
        });
        res.end(body);
      },
    );
  };
}

/** The verified access token of a request that went through createHttpTokenAuth. */
export function accessTokenOf(req: IncomingMessage): VerifiedAccessToken | undefined {
  return verifiedTokens.get(req);
}
