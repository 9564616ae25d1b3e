/**
 * A map whose entries expire, bounded in size: when full, a new entry pushes out the oldest one. Entries are
 * short-lived and written once, so insertion order is a good enough stand-in for least recently used.
 */
export class ExpiringCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) throw new RangeError('cache: maxEntries must be a whole number >= 0');
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value, if present and not yet expired. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.now()) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  /** Keeps `value` for `ttlMs` (nothing when ttlMs <= 0 or the cache holds no entries). */
  set(key: string, value: V, ttlMs: number): void {
    if (ttlMs <= 0 || this.maxEntries === 0) return;
    this.#entries.delete(key);
    while (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }
}
