import type { GetJwksRequest, GetJwksResponse, JsonWebKey, ValidateTokenRequest, ValidateTokenResponse } from '@authsvc/proto/auth/v1/auth';
import { rpc } from '../rpc-handler.types.js';
import { RequestReader } from '../request.codec.js';
import { ROLE_TO_PROTO } from '../response.codec.js';

export const validateToken = rpc<ValidateTokenRequest, ValidateTokenResponse>({
  operation: 'ValidateToken',
  async handle(service, request, { signal }) {
    const read = new RequestReader();
    const accessToken = read.required('access_token', request.accessToken);
    read.done();
    const claims = await service.validateToken({ accessToken }, { signal });
    return {
      subject: claims.accountId,
      role: ROLE_TO_PROTO[claims.role],
      sessionId: claims.sessionId,
      tokenId: claims.tokenId,
      issuedAt: claims.issuedAt,
      expiresAt: claims.expiresAt,
      amr: claims.amr,
      authTime: claims.authTime,
    };
  },
});

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function toJsonWebKey(key: Record<string, unknown>): JsonWebKey {
  return {
    kid: text(key['kid']),
    kty: text(key['kty']),
    alg: text(key['alg']),
    use: text(key['use']),
    crv: text(key['crv']),
    x: text(key['x']),
    y: text(key['y']),
    n: text(key['n']),
    e: text(key['e']),
  };
}

export const getJwks = rpc<GetJwksRequest, GetJwksResponse>({
  operation: 'GetJwks',
  async handle(service, _request, { signal }) {
    const jwks = await service.getJwks({ signal });
    return { jwksJson: JSON.stringify(jwks), keys: jwks.keys.map(toJsonWebKey) };
  },
});
