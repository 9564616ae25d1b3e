import { ResponderBuilder, ServerInterceptingCall, ServerListenerBuilder, status, type Metadata, type ServerInterceptingCallInterface, type ServerInterceptor, type ServerMethodDefinition } from '@grpc/grpc-js';
import { bearerToken } from '../verifier/bearer-token.codec.js';
import { TokenRejectedError, type TokenRejection } from '../verifier/token-verifier.errors.js';
import type { TokenVerifier, VerifiedAccessToken } from '../verifier/token-verifier.factory.js';

export interface GrpcTokenAuthOptions {
  /** Full method paths (`/pkg.Service/Method`) served without a token; default none. */
  publicMethods?: readonly string[];
}

// The handler's call.metadata is the very object the interceptor passed on, so it is the key of the verified token.
const verifiedTokens = new WeakMap<Metadata, VerifiedAccessToken>();

/**
 * A grpc-js server interceptor (grpc-js >= 1.10: `new Server({ interceptors: [...] })`) that lets a call reach its
 * handler only with a valid `authorization: Bearer <access token>`. A refused token ends the call with
 * UNAUTHENTICATED; a token that cannot be checked now (key set or ValidateToken unreachable, breaker open) with
 * UNAVAILABLE, so the caller retries rather than signs in again. Handlers read the token with accessTokenOf(call).
 */
export function createGrpcTokenAuth(verifier: TokenVerifier, options: GrpcTokenAuthOptions = {}): ServerInterceptor {
  const publicMethods = new Set(options.publicMethods ?? []);
  return (method: ServerMethodDefinition<unknown, unknown>, call: ServerInterceptingCallInterface) => {
    if (publicMethods.has(method.path)) return new ServerInterceptingCall(call);
    let rejected = false;
    const listener = new ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        verifier.verify(bearerToken(metadata.get('authorization')[0])).then(
          (token) => {
            verifiedTokens.set(metadata, token);
            next(metadata);
          },
          (error: unknown) => {
            rejected = true;
            const reason: TokenRejection = error instanceof TokenRejectedError ? error.reason : 'unverifiable';
            // As the service answers: an admin token without its second factor is PERMISSION_DENIED, not unauthenticated.
            const code = reason === 'unverifiable' ? status.UNAVAILABLE : reason === 'mfa_enrolment_required' ? status.PERMISSION_DENIED : status.UNAUTHENTICATED;
            call.sendStatus({ code, details: error instanceof TokenRejectedError ? error.message : 'token check failed' });
          },
        );
      })
      // Nothing the client sends after a refusal reaches the handler.
      .withOnReceiveMessage((message, next) => (rejected ? undefined : next(message)))
      .withOnReceiveHalfClose((next) => (rejected ? undefined : next()))
      .build();
    return new ServerInterceptingCall(call, new ResponderBuilder().withStart((next) => next(listener)).build());
  };
}

/** The verified access token of a call that went through createGrpcTokenAuth; undefined on a public method. */
export function accessTokenOf(call: { metadata: Metadata }): VerifiedAccessToken | undefined {
  return verifiedTokens.get(call.metadata);
}
