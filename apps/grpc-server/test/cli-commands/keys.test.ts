import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryDir } from '@authsvc/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { JoseAccessTokens, parseSigningKeySet } from '@authsvc/core';
import { generateKeys, pruneKeysInFile, rotateKeysInFile } from '../../src/cli/keys.command.js';
import { bufferIo } from './support/admin-harness.support.js';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

function keyFile(): string {
  const dir = temporaryDir('authsvc-keys-');
  dirs.push(dir);
  return join(dir.path, 'signing-keys.json');
}

const tokensFrom = (file: string) =>
  JoseAccessTokens.create({ issuer: 'authsvc', audience: 'authsvc', keys: parseSigningKeySet(JSON.parse(readFileSync(file, 'utf8'))) });

const kidOf = (token: string): string => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string }).kid;

async function issue(file: string, now = new Date()) {
  const tokens = await tokensFrom(file);
  const { token } = await tokens.sign({ accountId: 'acc-1', sessionId: 'ses-1', role: 'USER', issuedAt: now, expiresAt: new Date(now.getTime() + 15 * 60_000) });
  return token;
}

/** Every kid the output names, and that no key material did leak into it. */
function assertNoKeyMaterial(output: string, file: string): void {
  for (const key of JSON.parse(readFileSync(file, 'utf8')).keys as { privateJwk?: { d: string }; publicJwk: { x?: string; n?: string } }[]) {
    if (key.privateJwk) expect(output).not.toContain(key.privateJwk.d);
    expect(output).not.toContain(key.publicJwk.x ?? key.publicJwk.n);
  }
}

describe('keys generate', () => {
  it('writes an owner-only key set the server accepts, and refuses to overwrite it without --force', async () => {
    const file = keyFile();
    const io = bufferIo();
    const kid = await generateKeys(io, { out: file, alg: 'ES256', force: false });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await tokensFrom(file)).signingKid).toBe(kid);
    expect(io.out()).toContain(kid);
    assertNoKeyMaterial(io.out(), file);

    await expect(generateKeys(io, { out: file, alg: 'EdDSA', force: false })).rejects.toThrow(/already exists; pass --force/);
    expect((await tokensFrom(file)).signingKid).toBe(kid);

    const replaced = await generateKeys(io, { out: file, alg: 'EdDSA', force: true });
    expect(replaced).not.toBe(kid);
    expect((await tokensFrom(file)).signingKid).toBe(replaced);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('keys rotate and prune', () => {
  it('after a rotation, tokens of the old key still verify and new tokens carry the new kid', async () => {
    const file = keyFile();
    const io = bufferIo();
    const oldKid = await generateKeys(io, { out: file, alg: 'EdDSA', force: false });
    const oldToken = await issue(file);

    const rotation = await rotateKeysInFile(io, { file, stage: false });
    expect(rotation.retired).toEqual([oldKid]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')).keys as { kid: string; privateJwk?: unknown; verifyOnly?: boolean }[];
    expect(stored.find((k) => k.kid === oldKid)).toMatchObject({ verifyOnly: true });
    expect(stored.find((k) => k.kid === oldKid)?.privateJwk).toBeUndefined();

    const after = await tokensFrom(file);
    expect(after.signingKid).toBe(rotation.kid);
    await expect(after.verify(oldToken, new Date())).resolves.toMatchObject({ accountId: 'acc-1' });
    const newToken = await issue(file);
    expect(kidOf(newToken)).toBe(rotation.kid);
    expect(kidOf(oldToken)).toBe(oldKid);
    expect(io.out()).toContain(`new signing key ${rotation.kid}`);
    assertNoKeyMaterial(io.out(), file);
  });

  it('a staged key verifies before it signs, and the next rotation promotes it', async () => {
    const file = keyFile();
    const io = bufferIo();
    const firstKid = await generateKeys(io, { out: file, alg: 'EdDSA', force: false });
    const staged = await rotateKeysInFile(io, { file, stage: true });
    const stagedSet = await tokensFrom(file);
    expect(stagedSet.signingKid).toBe(firstKid);
    expect((await stagedSet.jwks()).keys.map((k) => k.kid)).toContain(staged.kid);

    const promoted = await rotateKeysInFile(io, { file, stage: false });
    expect(promoted).toMatchObject({ kid: staged.kid, promoted: true, retired: [firstKid] });
    expect(kidOf(await issue(file))).toBe(staged.kid);
  });

  it('prune removes a retired key only once the access-token lifetime has passed since its retirement', async () => {
    const file = keyFile();
    const io = bufferIo();
    const oldKid = await generateKeys(io, { out: file, alg: 'EdDSA', force: false });
    const rotatedAt = new Date('2026-11-28T10:00:00Z');
    const { kid: newKid } = await rotateKeysInFile(io, { file, stage: false, now: rotatedAt });
    const ttl = 15 * 60_000;

    expect(await pruneKeysInFile(io, { file, olderThanMs: ttl, now: new Date(rotatedAt.getTime() + ttl - 1_000) })).toEqual([]);
    expect(JSON.parse(readFileSync(file, 'utf8')).keys).toHaveLength(2);

    expect(await pruneKeysInFile(io, { file, olderThanMs: ttl, now: new Date(rotatedAt.getTime() + ttl) })).toEqual([oldKid]);
    const remaining = await tokensFrom(file);
    expect(remaining.signingKid).toBe(newKid);
    expect((await remaining.jwks()).keys.map((k) => k.kid)).toEqual([newKid]);
  });
});
