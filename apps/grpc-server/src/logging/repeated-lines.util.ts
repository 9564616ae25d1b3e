/**
 * Keeps lines that repeat from flooding the log, as the relay reports a store outage: the first line of a kind at
 * once, then at most one per `windowMs`, carrying how many of its kind were held back since. A client library that
 * logs every failed reconnection (kafkajs: 6 lines a second while a broker is down) so says what happened in a few
 * lines a minute. Kinds are counted in a bounded table, emptied when full.
 */
export class RepeatedLines {
  readonly #kinds = new Map<string, { loggedAt: number; heldBack: number }>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly maxKinds = 256,
  ) {}

  /** Whether a line of `kind` is to be logged now and, if so, how many of its kind were held back before it. */
  admit(kind: string, now = performance.now()): { log: false } | { log: true; heldBack: number } {
    const seen = this.#kinds.get(kind);
    if (seen !== undefined && now - seen.loggedAt < this.windowMs) {
      seen.heldBack += 1;
      return { log: false };
    }
    if (seen === undefined && this.#kinds.size >= this.maxKinds) this.#kinds.clear();
    this.#kinds.set(kind, { loggedAt: now, heldBack: 0 });
    return { log: true, heldBack: seen?.heldBack ?? 0 };
  }
}
