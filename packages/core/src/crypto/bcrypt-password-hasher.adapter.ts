import { PhcPasswordHasher } from './phc-password-hasher.adapter.js';

export interface BcryptPasswordHasherOptions {
  /** bcrypt cost (log2 of the rounds), 4..16; default 10. */
  cost?: number;
  /** Worker threads; default one per core (`os.availableParallelism()`). */
  threads?: number;
  /** Hashes that may wait for a worker; beyond, a call fails at once with OVERLOADED (RESOURCE_EXHAUSTED). Default: no limit. */
  maxQueued?: number;
  /** Linux nice value of the worker threads (0..19), below the event loop's; default 0 (see PasswordHashPool). */
  threadNice?: number;
}

/**
 * The PHC hasher making bcrypt hashes (bcryptjs, in the worker pool, so a hash never blocks the event loop; verification
 * is bcryptjs `compare`, constant time over the whole digest). It verifies argon2id, scrypt and PBKDF2 hashes too.
 */
export class BcryptPasswordHasher extends PhcPasswordHasher {
  constructor(options: BcryptPasswordHasherOptions = {}) {
    super({
      algorithm: 'bcrypt',
      ...(options.cost === undefined ? {} : { bcryptCost: options.cost }),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.maxQueued === undefined ? {} : { maxQueued: options.maxQueued }),
      ...(options.threadNice === undefined ? {} : { threadNice: options.threadNice }),
    });
  }

  /** bcrypt cost of new hashes. */
  get cost(): number {
    return this.bcryptCost;
  }
}
