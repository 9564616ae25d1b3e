import { DomainError, requiresAccessToken, type AuthService } from '@authsvc/core';
import type { CallContext, Interceptor, UnaryFn } from './call-context.types.js';
import { readBearerToken } from './bearer-token.codec.js';

/**
 * On the RPCs core's policy marks as signed-in, the bearer token becomes the call's principal; other RPCs ignore
 * the header. Whether that principal may act on the account the request names is core's decision, in the use case.
 */
export function authentication(service: AuthService): Interceptor {
  const authenticated = async (next: UnaryFn, call: CallContext): Promise<unknown> => {
    const token = readBearerToken(call.metadata);
    if (token === null) {
      throw new DomainError('UNAUTHENTICATED', { message: `${call.operation} requires an access token (authorization: Bearer <token>)` });
    }
    if (token === undefined) throw new DomainError('ACCESS_TOKEN_INVALID', { message: 'the authorization metadata is not "Bearer <token>"' });
    const caller = await service.authenticate(token, { signal: call.signal });
    call.actingFor(caller.accountId);
    return next({ ...call, caller });
  };
  // The RPCs that need no token go straight on, with no async frame of this step's own (see echoRequestId).
  return (next) => (call) => (requiresAccessToken(call.operation) ? authenticated(next, call) : next(call));
}
