/** @authsvc/client/verifier: verifies the service's access tokens inside another service. */
export { createTokenVerifier, ACCESS_TOKEN_ROLES, ACCESS_TOKEN_TYPE, type AccessTokenRole, type TokenVerifier, type TokenVerifierOptions, type VerifiedAccessToken } from './token-verifier.factory.js';
export { TokenRejectedError, type TokenRejection } from './token-verifier.errors.js';
export { CircuitBreaker, type BreakerState, type CircuitBreakerOptions } from './circuit-breaker.util.js';
export { grpcKeySet } from './grpc-key-set.adapter.js';
export { bearerToken } from './bearer-token.codec.js';
