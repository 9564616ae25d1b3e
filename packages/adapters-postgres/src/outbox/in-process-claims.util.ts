/**
 * Claims for a single-session database (PGlite). PGlite runs one transaction at a time for the whole process, so
 * holding the claim transaction open while a batch is published would stall every login and registration for as
 * long as the broker takes (seconds when it is down). On PGlite the relay store therefore commits the claim at once
 * and remembers the claimed ids here instead of in row locks. That is equivalent: only this process can open the
 * data directory, so no one else could claim them, and the claims vanish with the process just as row locks would.
 */
export class InProcessClaims {
  readonly #held = new Set<string>();

  get held(): ReadonlySet<string> {
    return this.#held;
  }

  hold(ids: readonly string[]): void {
    for (const id of ids) this.#held.add(id);
  }

  release(ids: readonly string[]): void {
    for (const id of ids) this.#held.delete(id);
  }
}

const registries = new WeakMap<object, InProcessClaims>();

/** The claim registry of one database (one per PGlite handle, shared by every relay store on it). */
export function inProcessClaimsOf(database: object): InProcessClaims {
  let claims = registries.get(database);
  if (!claims) {
    claims = new InProcessClaims();
    registries.set(database, claims);
  }
  return claims;
}
