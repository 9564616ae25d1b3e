/** Hashes and verifies passwords off the event loop. */
export interface PasswordHasher {
  /** A new salted hash of `password`. */
  hash(password: string): Promise<string>;
  /** Whether `password` matches `hash`, in time independent of where they differ. False for a malformed hash. */
  verify(password: string, hash: string): Promise<boolean>;
  /** Whether `hash` was made with weaker settings than the current ones and should be replaced after a successful login. */
  needsRehash(hash: string): boolean;
}
