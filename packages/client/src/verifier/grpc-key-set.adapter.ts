import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey, type RemoteJWKSetOptions } from 'jose';
import type { AuthClient } from '../auth-client.factory.js';

/** Stands in for the key set's URL in jose's cache; never dialled. */
const GET_JWKS_URL = new URL('grpc://authsvc/auth.v1.AuthService/GetJwks');

/**
 * jose's remote key set (createRemoteJWKSet) with GetJwks over gRPC in place of an HTTP GET, so both sources share one
 * well-tried implementation of the cache: keys kept for `cacheMaxAge`, fetched again when a token names an unknown
 * kid, but not more than once per `cooldownDuration`, concurrent fetches merged into one.
 */
export function grpcKeySet(client: AuthClient, options: Pick<RemoteJWKSetOptions, 'cacheMaxAge' | 'cooldownDuration' | 'timeoutDuration'> = {}): JWTVerifyGetKey {
  return createRemoteJWKSet(GET_JWKS_URL, {
    ...options,
    [customFetch]: async (_url: string, init: { signal: AbortSignal }) => {
      const { jwksJson } = await client.getJwks({}, { signal: init.signal });
      return new Response(jwksJson, { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
}
