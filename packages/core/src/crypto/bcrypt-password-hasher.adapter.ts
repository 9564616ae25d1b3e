import { availableParallelism } from 'node:os';
import type { PasswordHasher } from '../ports/password-hasher.port.js';
import { validationError } from '../errors/domain.errors.js';
import { BcryptWorkerPool } from './bcrypt-pool.worker.js';

/** bcrypt reads at most 72 bytes of the password; anything after is silently ignored. */
export const BCRYPT_MAX_PASSWORD_BYTES = 72;

/** `$2a$`/`$2b$`/`$2x$`/`$2y$`, a two-digit cost, then 22 characters of salt and 31 of digest. */
const BCRYPT_HASH = /^\$2[abxy]\$(\d{2})\$[./A-Za-z0-9]{53}$/;

export interface BcryptPasswordHasherOptions {
  /** bcrypt cost (log2 of the rounds), 4..31; default 10. */
  cost?: number;
  /** Worker threads; default one per core (`os.availableParallelism()`). */
  threads?: number;
  /** Hashes that may wait for a worker; beyond, a call fails at once with OVERLOADED (RESOURCE_EXHAUSTED). Default: no limit. */
  maxQueued?: number;
}

/**
 * Passwords hashed with bcryptjs in a pool of worker threads, so a hash (~100 ms at cost 10 here)
 * never blocks the event loop. Verification is bcryptjs `compare`, which compares the whole digest
 * in constant time.
 */
export class BcryptPasswordHasher implements PasswordHasher {
  readonly cost: number;
  private readonly pool: BcryptWorkerPool;

  constructor(options: BcryptPasswordHasherOptions = {}) {
    const cost = options.cost ?? 10;
    if (!Number.isInteger(cost) || cost < 4 || cost > 31) throw new RangeError(`bcrypt cost must be an integer in 4..31, got ${cost}`);
    this.cost = cost;
    this.pool = new BcryptWorkerPool(options.threads ?? availableParallelism(), options.maxQueued ?? Infinity);
  }

  async hash(password: string, signal?: AbortSignal): Promise<string> {
    refuseTooLong(password);
    return (await this.pool.run({ op: 'hash', password, cost: this.cost }, signal)) as string;
  }

  async verify(password: string, hash: string, signal?: AbortSignal): Promise<boolean> {
    refuseTooLong(password);
    if (!BCRYPT_HASH.test(hash)) return false;
    return (await this.pool.run({ op: 'verify', password, hash }, signal)) === true;
  }

  needsRehash(hash: string): boolean {
    const match = BCRYPT_HASH.exec(hash);
    if (!match) return true;
    return Number(match[1]) < this.cost;
  }

  /** For metrics: tasks waiting for a worker, tasks running, pool size, and the hashes and verifications run so far. */
  stats(): { queued: number; active: number; threads: number; hashes: number; verifications: number } {
    return this.pool.stats();
  }

  /** Lets running hashes finish, fails queued ones, and stops the workers. */
  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Refuses, rather than letting bcrypt ignore, every byte after the 72nd. */
function refuseTooLong(password: string): void {
  if (Buffer.byteLength(password, 'utf8') > BCRYPT_MAX_PASSWORD_BYTES) {
    throw validationError([{ field: 'password', description: `must be at most ${BCRYPT_MAX_PASSWORD_BYTES} bytes in UTF-8` }]);
  }
}
