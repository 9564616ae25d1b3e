// Core's production crypto runs the same suites as any other implementation would: bcrypt and argon2id behind the
// PasswordHasher port, jose behind the access-token ports for every signing algorithm the service accepts.
import { BcryptPasswordHasher, JoseAccessTokens, PhcPasswordHasher, SIGNING_ALGORITHMS, generateSigningKey, type SigningKeyMaterial } from '@authsvc/core';
import { accessTokensContract, passwordHasherContract } from '@authsvc/core-testing';

// Cost 4 (each hash ~2 ms): the contract is about behaviour, not cost. The hasher is stateless, so one pool
// serves every contract test (starting workers is the slow part).
let sharedHasher: BcryptPasswordHasher | undefined;
passwordHasherContract('BcryptPasswordHasher', {
  create: () => (sharedHasher ??= new BcryptPasswordHasher({ cost: 4, threads: 2 })),
  close: () => sharedHasher?.close() ?? Promise.resolve(),
});

// argon2id at small parameters (m=64 KiB, t=1): the contract is about behaviour, not cost.
let argon2Hasher: PhcPasswordHasher | undefined;
passwordHasherContract('PhcPasswordHasher (argon2id)', {
  create: () => (argon2Hasher ??= new PhcPasswordHasher({ algorithm: 'argon2id', argon2id: { memoryKiB: 64, iterations: 1, parallelism: 1 }, threads: 2 })),
  close: () => argon2Hasher?.close() ?? Promise.resolve(),
});

for (const alg of SIGNING_ALGORITHMS) {
  // One key per algorithm, made on first use: RSA key generation is the slow part.
  let key: Promise<SigningKeyMaterial> | undefined;
  accessTokensContract(`JoseAccessTokens (${alg})`, {
    create: async () => {
      key ??= generateSigningKey(alg, `test-${alg}`);
      const tokens = await JoseAccessTokens.create({ issuer: 'https://auth.test', audience: 'music-services', keys: [await key] });
      return { signer: tokens, verifier: tokens, publicKeys: tokens };
    },
  });
}
