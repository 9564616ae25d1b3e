import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthClient } from '@authsvc/client';
import { createTokenVerifier, type TokenVerifier } from '@authsvc/client/verifier';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/**
 * What @authsvc/client's token verifier costs another service per request: `count` sequential verifications of
 * Ed25519 access tokens, each distinct (a signature check each) or one repeated (the verified-token cache), with
 * revocation 'none' and with 'check' answered from its cache (ValidateToken stubbed: the service's own time is not
 * the verifier's). Keys come from a local JWKS over HTTP, fetched once. After `pnpm build`:
 *   node bench/src/experiments/token-verifier.experiment.ts [count=20000]
 */
const [count = 20_000] = process.argv.slice(2).map(Number);
const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA', use: 'sig' };
const jwksServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
const jwks = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;

const now = Math.floor(Date.now() / 1000);
const tokens = await Promise.all(
  Array.from({ length: count }, (_, i) =>
    new SignJWT({ iss: 'authsvc', aud: 'authsvc', sub: `account-${i}`, sid: `session-${i}`, role: 'USER', iat: now, exp: now + 900, jti: `token-${i}` })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1', typ: 'at+jwt' })
      .sign(privateKey),
  ),
);
const validateTokenStub = { getJwks: async () => ({ jwksJson: '' }), validateToken: async () => ({}) } as unknown as AuthClient;
const verifier = (revocation: 'none' | 'check'): TokenVerifier => createTokenVerifier({ issuer: 'authsvc', audience: 'authsvc', jwks, revocation, client: validateTokenStub });

async function measure(label: string, subject: TokenVerifier, pick: (i: number) => string): Promise<void> {
  for (let i = 0; i < Math.min(2_000, count); i += 1) await subject.verify(pick(i)); // key fetch, JIT
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) await subject.verify(pick(i));
  const wallUs = Number(process.hrtime.bigint() - start) / 1_000 / count;
  const { user, system } = process.cpuUsage(cpu);
  console.log(`${label.padEnd(48)} ${wallUs.toFixed(1).padStart(7)} µs wall ${((user + system) / count).toFixed(1).padStart(7)} µs CPU per token`);
}

await measure("revocation 'none', every token new", verifier('none'), (i) => tokens[i]!);
await measure("revocation 'none', one token again and again", verifier('none'), () => tokens[0]!);
await measure("revocation 'check' (cached answer), one token", verifier('check'), () => tokens[0]!);
jwksServer.close();
