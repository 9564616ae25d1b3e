import { describe, expect, it } from 'vitest';
import type { ContractFixture } from './contract-fixture.types.js';
import { ROLES, type AccessTokenSigner, type AccessTokenVerifier, type PublicKeySet } from '@authsvc/core';
import { testUuidV7 } from '@authsvc/core/fixtures';
import { useFixture } from './contract-hooks.support.js';
import { expectDomainError } from './contract-assertions.support.js';

/** The three access-token ports of one implementation, sharing one key set. */
export interface AccessTokenKit {
  signer: AccessTokenSigner;
  verifier: AccessTokenVerifier;
  publicKeys: PublicKeySet;
}

/** Members only a private or symmetric JWK has. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** The access token contract: what is signed verifies to the same claims, and nothing else verifies. */
export function accessTokensContract(name: string, fixture: ContractFixture<AccessTokenKit>): void {
  describe(`${name}: access tokens contract`, () => {
    const kit = useFixture(fixture);
    const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const expiresAt = new Date(issuedAt.getTime() + 15 * 60_000);
    const input = { accountId: testUuidV7(), sessionId: 'c2Vzc2lvbi1pZC0xMjM0NQ', role: 'USER' as const, issuedAt, expiresAt };

    it('a signed token verifies to the claims it was signed with', async () => {
      const issued = await kit().signer.sign(input);
      expect(issued.expiresAt).toEqual(expiresAt);
      const claims = await kit().verifier.verify(issued.token, new Date(issuedAt.getTime() + 1_000));
      expect(claims).toEqual({ accountId: input.accountId, sessionId: input.sessionId, role: 'USER', tokenId: expect.any(String), issuedAt, expiresAt, amr: ['pwd'], authTime: issuedAt });
    });

    it('carries how the session was signed in (amr, auth_time)', async () => {
      const authTime = new Date(issuedAt.getTime() - 60_000);
      const { token } = await kit().signer.sign({ ...input, amr: ['pwd', 'otp', 'mfa'], authTime });
      expect(await kit().verifier.verify(token, issuedAt)).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], authTime });
    });

    it('every role survives the round trip', async () => {
      for (const role of ROLES) {
        const { token } = await kit().signer.sign({ ...input, role });
        expect((await kit().verifier.verify(token, issuedAt)).role).toBe(role);
      }
    });

    it('two tokens for the same session have different token ids', async () => {
      const [a, b] = await Promise.all([kit().signer.sign(input), kit().signer.sign(input)]);
      expect(a.token).not.toBe(b.token);
      const [ca, cb] = await Promise.all([kit().verifier.verify(a.token, issuedAt), kit().verifier.verify(b.token, issuedAt)]);
      expect(ca.tokenId).not.toBe(cb.tokenId);
    });

    it('an expired token is rejected', async () => {
      const { token } = await kit().signer.sign(input);
      await expectDomainError(kit().verifier.verify(token, new Date(expiresAt.getTime() + 60_000)), 'ACCESS_TOKEN_INVALID');
    });

    it('garbage is rejected as an invalid token, not a crash', async () => {
      for (const garbage of ['', 'abc', 'a.b.c', '..', 'eyJhbGciOiJub25lIn0.e30.', 'x'.repeat(100_000)]) {
        await expectDomainError(kit().verifier.verify(garbage, issuedAt), 'ACCESS_TOKEN_INVALID');
      }
    });

    it('a token with one character of its payload changed is rejected', async () => {
      const { token } = await kit().signer.sign(input);
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      const forged = Buffer.from(JSON.stringify({ ...claims, role: 'ADMIN' })).toString('base64url');
      await expectDomainError(kit().verifier.verify(`${header}.${forged}.${signature}`, issuedAt), 'ACCESS_TOKEN_INVALID');
    });

    it('a token with its signature removed or replaced is rejected', async () => {
      const { token } = await kit().signer.sign(input);
      const other = await kit().signer.sign({ ...input, role: 'ADMIN' });
      const [header, payload] = token.split('.') as [string, string];
      await expectDomainError(kit().verifier.verify(`${header}.${payload}.`, issuedAt), 'ACCESS_TOKEN_INVALID');
      await expectDomainError(kit().verifier.verify(`${header}.${payload}.${other.token.split('.')[2]}`, issuedAt), 'ACCESS_TOKEN_INVALID');
    });

    it('the JWKS holds public keys only, each with kid, alg and use "sig"', async () => {
      const { keys } = await kit().publicKeys.jwks();
      for (const key of keys) {
        expect(key).toMatchObject({ kid: expect.any(String), alg: expect.any(String), use: 'sig' });
        for (const member of PRIVATE_JWK_MEMBERS) expect(key).not.toHaveProperty(member);
      }
    });
  });
}
