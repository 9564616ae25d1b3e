import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const ISSUER = 'authsvc-test';
export const AUDIENCE = 'authsvc-test-aud';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** An Ed25519 key as the service makes them, with a kid. */
export async function makeKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' } };
}

/** An access token shaped as the service issues them (jose-access-tokens.adapter.ts), with any claim or header changed. */
export async function accessToken(key: SigningKey, options: { claims?: JWTPayload; header?: Record<string, unknown>; lifetimeSeconds?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: '0190a000-0000-7000-8000-000000000001',
    sid: `session-${Math.random().toString(36).slice(2)}`,
    role: 'USER',
    iat: now,
    exp: now + (options.lifetimeSeconds ?? 900),
    jti: Math.random().toString(36).slice(2),
    ...options.claims,
  };
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt', ...options.header }).sign(key.privateKey);
}

/** The JWKS of some keys served over HTTP, as the service's side port serves it; counts the fetches. */
export class JwksServer {
  fetches = 0;
  keys: SigningKey[];
  /** When set, every fetch answers this status. */
  failWith: number | undefined;
  readonly #server: Server;

  private constructor(keys: SigningKey[], server: Server) {
    this.keys = keys;
    this.#server = server;
  }

  static async start(keys: SigningKey[]): Promise<JwksServer> {
    const server = createServer((_req, res) => {
      self.fetches += 1;
      if (self.failWith) return void res.writeHead(self.failWith).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(self.jwksJson());
    });
    const self = new JwksServer(keys, server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    const address = this.#server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/.well-known/jwks.json`;
  }

  jwksJson(): string {
    return JSON.stringify({ keys: this.keys.map((key) => key.publicJwk) });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
