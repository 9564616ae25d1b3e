import { availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { PasswordHasher } from '../ports/password-hasher.port.js';
import { validationError } from '../errors/domain.errors.js';
import { PasswordHashPool, type PasswordHashTask } from './password-hash-pool.worker.js';
import { parsePasswordHash, PASSWORD_HASH_BOUNDS, type HashingAlgorithm, type ParsedPasswordHash } from './password-hash.codec.js';

/** bcrypt reads at most 72 bytes of the password; anything after is silently ignored, so longer ones are refused. */
export const BCRYPT_MAX_PASSWORD_BYTES = 72;
/** argon2id reads any length; a bound still keeps a request from hashing megabytes. */
export const ARGON2ID_MAX_PASSWORD_BYTES = 1024;

/** argon2id parameters: memory in KiB, passes, lanes. */
export interface Argon2idParameters {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

/** OWASP's first recommendation (Password Storage Cheat Sheet): m=19 MiB, t=2, p=1. */
export const OWASP_ARGON2ID: Argon2idParameters = { memoryKiB: 19_456, iterations: 2, parallelism: 1 };

export interface PhcPasswordHasherOptions {
  /** What new hashes are made with; default bcrypt (what every stored hash of the Go service is). */
  algorithm?: HashingAlgorithm;
  /** bcrypt cost (log2 of the rounds), 4..16; default 10. */
  bcryptCost?: number;
  /** argon2id parameters; default OWASP_ARGON2ID. */
  argon2id?: Partial<Argon2idParameters>;
  /** Worker threads; default one per core (`os.availableParallelism()`). */
  threads?: number;
  /** Hashes that may wait for a worker; beyond, a call fails at once with OVERLOADED (RESOURCE_EXHAUSTED). Default: no limit. */
  maxQueued?: number;
  /** Linux nice value of the worker threads (0..19), below the event loop's; default 0 (see PasswordHashPool). */
  threadNice?: number;
}

/**
 * Hashes new passwords with the configured algorithm (bcrypt or argon2id, PHC strings) and verifies stored hashes of
 * bcrypt, argon2id, scrypt and PBKDF2-SHA256 (imported accounts), every one of them in a pool of worker threads, so no
 * hash ever blocks the event loop, and every one counted by `stats()`. `needsRehash` asks a login to replace a hash
 * made with another algorithm or with weaker parameters than configured.
 */
export class PhcPasswordHasher implements PasswordHasher {
  readonly algorithm: HashingAlgorithm;
  readonly bcryptCost: number;
  readonly argon2id: Argon2idParameters;
  readonly maxPasswordBytes: number;
  private readonly pool: PasswordHashPool;

  constructor(options: PhcPasswordHasherOptions = {}) {
    this.algorithm = options.algorithm ?? 'bcrypt';
    if (this.algorithm !== 'bcrypt' && this.algorithm !== 'argon2id') throw new RangeError(`unknown password hashing algorithm ${String(this.algorithm)}`);
    const cost = options.bcryptCost ?? 10;
    const { minCost, maxCost } = PASSWORD_HASH_BOUNDS.bcrypt;
    if (!Number.isInteger(cost) || cost < minCost || cost > maxCost) throw new RangeError(`bcrypt cost must be an integer in ${minCost}..${maxCost}, got ${cost}`);
    this.bcryptCost = cost;
    this.argon2id = { ...OWASP_ARGON2ID, ...options.argon2id };
    checkArgon2id(this.argon2id);
    this.maxPasswordBytes = this.algorithm === 'bcrypt' ? BCRYPT_MAX_PASSWORD_BYTES : ARGON2ID_MAX_PASSWORD_BYTES;
    this.pool = new PasswordHashPool(options.threads ?? availableParallelism(), options.maxQueued ?? Infinity, options.threadNice ?? 0);
  }

  async hash(password: string, signal?: AbortSignal): Promise<string> {
    if (Buffer.byteLength(password, 'utf8') > this.maxPasswordBytes) throw this.tooLong();
    const task: PasswordHashTask = this.algorithm === 'bcrypt'
      ? { op: 'hash', algorithm: 'bcrypt', password, cost: this.bcryptCost }
      : { op: 'hash', algorithm: 'argon2id', password, ...this.argon2id };
    return (await this.pool.run(task, signal)) as string;
  }

  /**
   * A password longer than the stored hash's algorithm can read (73+ bytes against bcrypt) never matches; it still
   * costs one verification (of a random password against the same hash), so the answer's timing does not tell which
   * algorithm an account's hash uses. Longer than any the configured algorithm reads (maxPasswordBytes): VALIDATION_FAILED, whatever the hash.
   */
  async verify(password: string, hash: string, signal?: AbortSignal): Promise<boolean> {
    const bytes = Buffer.byteLength(password, 'utf8');
    if (bytes > this.maxPasswordBytes) throw this.tooLong();
    const parsed = parsePasswordHash(hash);
    if (parsed === null) return false;
    const unreadable = parsed.algorithm === 'bcrypt' && bytes > BCRYPT_MAX_PASSWORD_BYTES;
    const checked = unreadable ? randomBytes(18).toString('base64url') : password;
    const matches = (await this.pool.run(verifyTask(parsed, checked), signal)) === true;
    return matches && !unreadable;
  }

  /** Another algorithm than configured, or weaker parameters: bcrypt cost lower; argon2id memory or passes lower, or other lanes. */
  needsRehash(hash: string): boolean {
    const parsed = parsePasswordHash(hash);
    if (parsed === null || parsed.algorithm !== this.algorithm) return true;
    if (parsed.algorithm === 'bcrypt') return parsed.cost < this.bcryptCost;
    if (parsed.algorithm === 'argon2id') {
      const wanted = this.argon2id;
      return parsed.memoryKiB < wanted.memoryKiB || parsed.iterations < wanted.iterations || parsed.parallelism !== wanted.parallelism;
    }
    return true;
  }

  /** For metrics: tasks waiting for a worker, tasks running, pool size, and the hashes and verifications (every algorithm) run so far. */
  stats(): { queued: number; active: number; threads: number; hashes: number; verifications: number } {
    return this.pool.stats();
  }

  private tooLong(): Error {
    return validationError([{ field: 'password', description: `must be at most ${this.maxPasswordBytes} bytes in UTF-8` }]);
  }

  /** Lets running hashes finish, fails queued ones, and stops the workers. */
  close(): Promise<void> {
    return this.pool.close();
  }
}

function verifyTask(parsed: ParsedPasswordHash, password: string): PasswordHashTask {
  switch (parsed.algorithm) {
    case 'bcrypt':
    case 'argon2id':
      return { op: 'verify', algorithm: parsed.algorithm, password, hash: parsed.encoded };
    case 'scrypt':
      return { op: 'verify', algorithm: 'scrypt', password, logN: parsed.logN, blockSize: parsed.blockSize, parallelism: parsed.parallelism, salt: parsed.salt, digest: parsed.digest };
    case 'pbkdf2-sha256':
      return { op: 'verify', algorithm: 'pbkdf2-sha256', password, iterations: parsed.iterations, salt: parsed.salt, digest: parsed.digest };
  }
}

function checkArgon2id({ memoryKiB, iterations, parallelism }: Argon2idParameters): void {
  const bounds = PASSWORD_HASH_BOUNDS.argon2id;
  const whole = (n: number, min: number, max: number): boolean => Number.isInteger(n) && n >= min && n <= max;
  if (!whole(parallelism, 1, bounds.maxParallelism) || !whole(iterations, 1, bounds.maxIterations) || !whole(memoryKiB, 8 * parallelism, bounds.maxMemoryKiB)) {
    throw new RangeError(`argon2id parameters must be m=8p..${bounds.maxMemoryKiB} KiB, t=1..${bounds.maxIterations}, p=1..${bounds.maxParallelism}; got m=${memoryKiB}, t=${iterations}, p=${parallelism}`);
  }
}
