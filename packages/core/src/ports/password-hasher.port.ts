/** Hashes and verifies passwords off the event loop. */
export interface PasswordHasher {
  /** A new salted hash of `password`. Rejects with `signal.reason` when `signal` fires before a worker took the task. */
  hash(password: string, signal?: AbortSignal): Promise<string>;
  /** Whether `password` matches `hash`, in time independent of where they differ. False for a malformed hash. Honours `signal` like `hash`. */
  verify(password: string, hash: string, signal?: AbortSignal): Promise<boolean>;
  /** The longest password, in UTF-8 bytes, that `hash` accepts and `verify` reads; longer ones are refused with VALIDATION_FAILED, never truncated. */
  readonly maxPasswordBytes: number;
  /** Whether `hash` was made with another algorithm or weaker settings than the current ones and should be replaced after a successful login. */
  needsRehash(hash: string): boolean;
}
