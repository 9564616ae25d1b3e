import bcrypt from 'bcryptjs';
import { afterAll, describe, expect, it } from 'vitest';
import { PhcPasswordHasher, readPasswordHash, type PhcPasswordHasherOptions } from '../../src/crypto/index.js';

// Hashes made by other implementations, never by the code under test.
/** Go's x/crypto/bcrypt test vector (TestBcryptingIsCorrect): what the Go service wrote, `$2a$`, cost 10. */
const GO_BCRYPT = { password: 'allmine', hash: '$2a$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga' };
/** The argon2 reference implementation's test vector (phc-winner-argon2 src/test.c): m=64 MiB, t=2, p=1. */
const REFERENCE_ARGON2ID = { password: 'password', hash: '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc' };
/** Python's hashlib.scrypt(b'scrypt password', salt=b'imported-salt-16', n=2**14, r=8, p=1, dklen=32). */
const PYTHON_SCRYPT = { password: 'scrypt password', hash: '$scrypt$ln=14,r=8,p=1$aW1wb3J0ZWQtc2FsdC0xNg$PYlKbKme5LnOO6ALzX54F0GzbsugfT8I+QQ1I+foYKc' };
/** Python's hashlib.pbkdf2_hmac('sha256', b'pbkdf2 password', b'imported-salt-16', 600000, 32), PHC form. */
const PYTHON_PBKDF2 = { password: 'pbkdf2 password', hash: '$pbkdf2-sha256$i=600000,l=32$aW1wb3J0ZWQtc2FsdC0xNg$jrqEuBDr/4RK0mMDC7IbFBfhFwb5e3B2SZgxs3UoZkA' };
/** The same function over 'pässwörd' (UTF-8), 29000 rounds, in passlib's form (rounds without `i=`). */
const PASSLIB_PBKDF2 = { password: 'pässwörd', hash: '$pbkdf2-sha256$29000$yMnKy8zNzs/Q0dLT1NXW1w$v/PSm52J0uOXowQe0NWFcTYPG3qdzEJj7qJc3gHZ26U' };
const SMALL_ARGON2ID = { memoryKiB: 64, iterations: 1, parallelism: 1 };

const opened: PhcPasswordHasher[] = [];
const open = (options: PhcPasswordHasherOptions): PhcPasswordHasher => {
  const hasher = new PhcPasswordHasher({ threads: 1, ...options });
  opened.push(hasher);
  return hasher;
};
afterAll(() => Promise.all(opened.map((hasher) => hasher.close())));

describe.each([
  ['bcrypt', { algorithm: 'bcrypt', bcryptCost: 4 }],
  ['argon2id', { algorithm: 'argon2id', argon2id: SMALL_ARGON2ID }],
] as const)('PhcPasswordHasher configured with %s', (name, options) => {
  const hasher = open(options);

  it('makes hashes of its algorithm and parameters, which it verifies and does not ask to replace', async () => {
    const hash = await hasher.hash('own password');
    expect(hash).toMatch(name === 'bcrypt' ? /^\$2b\$04\$/ : /^\$argon2id\$v=19\$m=64,t=1,p=1\$/);
    expect(await hasher.verify('own password', hash)).toBe(true);
    expect(await hasher.verify('own passwore', hash)).toBe(false);
    expect(hasher.needsRehash(hash)).toBe(false);
  });

  it("verifies the Go service's bcrypt hashes ($2a$, cost 10) and asks to replace them when it makes anything else", async () => {
    expect(await hasher.verify(GO_BCRYPT.password, GO_BCRYPT.hash)).toBe(true);
    expect(await hasher.verify('allmine ', GO_BCRYPT.hash)).toBe(false);
    // bcrypt at cost 4 keeps a cost-10 hash (not weaker); argon2id replaces it.
    expect(hasher.needsRehash(GO_BCRYPT.hash)).toBe(name !== 'bcrypt');
  });

  it('verifies imported argon2id, scrypt and PBKDF2-SHA256 hashes made by other implementations', async () => {
    for (const { password, hash } of [REFERENCE_ARGON2ID, PYTHON_SCRYPT, PYTHON_PBKDF2, PASSLIB_PBKDF2]) {
      expect(await hasher.verify(password, hash), hash).toBe(true);
      expect(await hasher.verify(`${password}!`, hash), hash).toBe(false);
    }
    // passlib writes `.` where PHC writes `+`: the same scrypt hash in passlib's alphabet.
    expect(await hasher.verify(PYTHON_SCRYPT.password, PYTHON_SCRYPT.hash.replaceAll('+', '.'))).toBe(true);
    // A scrypt or PBKDF2 hash is always replaced on the next login: this service makes neither.
    expect(hasher.needsRehash(PYTHON_SCRYPT.hash)).toBe(true);
    expect(hasher.needsRehash(PYTHON_PBKDF2.hash)).toBe(true);
  });

  it('counts every algorithm in its hashes and verifications', async () => {
    const before = hasher.stats();
    await hasher.hash('counted');
    for (const { password, hash } of [GO_BCRYPT, REFERENCE_ARGON2ID, PYTHON_SCRYPT, PYTHON_PBKDF2]) await hasher.verify(password, hash);
    expect(hasher.stats()).toMatchObject({ hashes: before.hashes + 1, verifications: before.verifications + 4 });
  });

  it('verifies nothing against a hash out of bounds or of another argon2 variant, without running it', async () => {
    const before = hasher.stats().verifications;
    for (const hash of [
      '$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc',
      '$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc',
      '$scrypt$ln=24,r=8,p=1$aW1wb3J0ZWQtc2FsdC0xNg$PYlKbKme5LnOO6ALzX54F0GzbsugfT8I+QQ1I+foYKc',
      '$pbkdf2-sha256$i=999999999,l=32$aW1wb3J0ZWQtc2FsdC0xNg$jrqEuBDr/4RK0mMDC7IbFBfhFwb5e3B2SZgxs3UoZkA',
      '$2a$31$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga',
    ]) {
      expect(await hasher.verify('password', hash), hash).toBe(false);
    }
    expect(hasher.stats().verifications).toBe(before);
  });
});

describe('PhcPasswordHasher: the 72-byte rule is bcrypt’s, not argon2id’s', () => {
  const bcryptHasher = open({ algorithm: 'bcrypt', bcryptCost: 4 });
  const argon2Hasher = open({ algorithm: 'argon2id', argon2id: SMALL_ARGON2ID });

  it('bcrypt reads 72 bytes, argon2id 1024', () => {
    expect(bcryptHasher.maxPasswordBytes).toBe(72);
    expect(argon2Hasher.maxPasswordBytes).toBe(1024);
  });

  it('argon2id hashes a 1,000-byte password whole: a change in its last byte does not verify', async () => {
    const long = 'ü'.repeat(499) + 'ab';
    const hash = await argon2Hasher.hash(long);
    expect(await argon2Hasher.verify(long, hash)).toBe(true);
    expect(await argon2Hasher.verify('ü'.repeat(499) + 'ac', hash)).toBe(false);
  });

  it('a password longer than 72 bytes never matches a bcrypt hash, even one of its first 72 bytes, yet costs a verification', async () => {
    const first72 = 'k'.repeat(72);
    const stored = bcrypt.hashSync(first72, 4);
    const before = argon2Hasher.stats().verifications;
    expect(await argon2Hasher.verify(first72 + 'more', stored)).toBe(false);
    expect(argon2Hasher.stats().verifications).toBe(before + 1);
    expect(await argon2Hasher.verify(first72, stored)).toBe(true);
  });

  it('with bcrypt configured, 73 bytes are refused whatever the stored hash', async () => {
    const argon2Hash = await argon2Hasher.hash('x'.repeat(73));
    await expect(bcryptHasher.verify('x'.repeat(73), argon2Hash)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(bcryptHasher.hash('x'.repeat(73))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('PhcPasswordHasher: rehash when the algorithm or parameters change', () => {
  const owasp = open({ algorithm: 'argon2id' });

  it('defaults to OWASP argon2id parameters (m=19 MiB, t=2, p=1) and asks to replace weaker or differently laned ones', () => {
    expect(owasp.argon2id).toEqual({ memoryKiB: 19_456, iterations: 2, parallelism: 1 });
    const salted = '$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc';
    expect(owasp.needsRehash(`$argon2id$v=19$m=19456,t=2,p=1${salted}`)).toBe(false);
    expect(owasp.needsRehash(`$argon2id$v=19$m=65536,t=3,p=1${salted}`)).toBe(false);
    expect(owasp.needsRehash(`$argon2id$v=19$m=12288,t=2,p=1${salted}`)).toBe(true);
    expect(owasp.needsRehash(`$argon2id$v=19$m=19456,t=1,p=1${salted}`)).toBe(true);
    expect(owasp.needsRehash(`$argon2id$v=19$m=19456,t=2,p=2${salted}`)).toBe(true);
    expect(owasp.needsRehash(bcrypt.hashSync('x', 4))).toBe(true);
    expect(owasp.needsRehash('not a hash')).toBe(true);
  });

  it('refuses parameters out of bounds at construction', () => {
    expect(() => new PhcPasswordHasher({ algorithm: 'argon2id', argon2id: { memoryKiB: 4 } })).toThrow(RangeError);
    expect(() => new PhcPasswordHasher({ algorithm: 'argon2id', argon2id: { iterations: 0 } })).toThrow(RangeError);
    expect(() => new PhcPasswordHasher({ bcryptCost: 17 })).toThrow(RangeError);
    expect(() => new PhcPasswordHasher({ algorithm: 'scrypt' as never })).toThrow(RangeError);
  });
});

describe('readPasswordHash', () => {
  it('reads each algorithm with its parameters', () => {
    expect(readPasswordHash(GO_BCRYPT.hash)).toMatchObject({ ok: true, hash: { algorithm: 'bcrypt', cost: 10 } });
    expect(readPasswordHash(REFERENCE_ARGON2ID.hash)).toMatchObject({ ok: true, hash: { algorithm: 'argon2id', memoryKiB: 65536, iterations: 2, parallelism: 1 } });
    expect(readPasswordHash(PYTHON_SCRYPT.hash)).toMatchObject({ ok: true, hash: { algorithm: 'scrypt', logN: 14, blockSize: 8, parallelism: 1 } });
    expect(readPasswordHash(PASSLIB_PBKDF2.hash)).toMatchObject({ ok: true, hash: { algorithm: 'pbkdf2-sha256', iterations: 29000 } });
  });

  it('says why a hash cannot be read, without repeating it', () => {
    for (const hash of ['', 'plaintext', '$1$saltsalt$//251epTQaKpm7/bnAD.Z.', '$2x$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga', '$pbkdf2-sha256$i=1000$c2FsdA$aGFzaA', '$scrypt$ln=14,p=1,r=8$aW1wb3J0ZWQtc2FsdC0xNg$PYlKbKme5LnOO6ALzX54F0GzbsugfT8I+QQ1I+foYKc']) {
      const reading = readPasswordHash(hash);
      expect(reading.ok, hash).toBe(false);
      if (!reading.ok && hash.length > 10) expect(reading.problem).not.toContain(hash.slice(-10));
    }
  });
});
