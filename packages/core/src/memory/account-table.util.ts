import { normalizeAuthor, normalizeEmail, normalizeUsername, type Account } from '../domain/account.model.js';
import { alreadyTaken } from '../errors/domain.errors.js';

type UniqueField = 'username' | 'email' | 'author';

const NORMALIZERS: Record<UniqueField, (value: string) => string> = {
  username: normalizeUsername,
  email: normalizeEmail,
  author: normalizeAuthor,
};

function uniqueValue(account: Account, field: UniqueField): string | null {
  if (field === 'author') return account.kind === 'artist' ? normalizeAuthor(account.author) : null;
  return NORMALIZERS[field](account[field]);
}

/**
 * Committed accounts with case-insensitive unique indexes, like the SQL schema's indexes on normalized columns.
 * Stored objects are private copies: callers never get a reference into the table.
 */
export class AccountTable {
  readonly #rows = new Map<string, Account>();
  /** Ids of erased accounts, never given again. */
  readonly #tombstones = new Set<string>();
  readonly #indexes: Record<UniqueField, Map<string, string>> = { username: new Map(), email: new Map(), author: new Map() };

  get(id: string): Account | undefined {
    return this.#rows.get(id);
  }

  /** Every row, in insertion order. */
  rows(): IterableIterator<Account> {
    return this.#rows.values();
  }

  /** The id owning `value` of `field` (compared normalized), if any. */
  ownerOf(field: UniqueField, value: string): string | undefined {
    return this.ownerOfNormalized(field, NORMALIZERS[field](value));
  }

  /** The id whose normalized `field` is `normalized`, if any. */
  ownerOfNormalized(field: UniqueField, normalized: string): string | undefined {
    return this.#indexes[field].get(normalized);
  }

  /** Whether the id belonged to an account that was erased. */
  isTombstone(id: string): boolean {
    return this.#tombstones.has(id);
  }

  /** Deletes a row and its index entries, keeping a tombstone of its id. */
  erase(id: string): void {
    const previous = this.#rows.get(id);
    if (previous !== undefined) {
      for (const field of Object.keys(this.#indexes) as UniqueField[]) {
        const old = uniqueValue(previous, field);
        if (old !== null && this.#indexes[field].get(old) === id) this.#indexes[field].delete(old);
      }
      this.#rows.delete(id);
    }
    this.#tombstones.add(id);
  }

  /** Writes (inserts or replaces) a row; uniqueness must have been checked by the caller. */
  put(account: Account): void {
    const previous = this.#rows.get(account.id);
    for (const field of Object.keys(this.#indexes) as UniqueField[]) {
      const old = previous ? uniqueValue(previous, field) : null;
      if (old !== null) this.#indexes[field].delete(old);
      const value = uniqueValue(account, field);
      if (value !== null) this.#indexes[field].set(value, account.id);
    }
    this.#rows.set(account.id, structuredClone(account));
  }
}

/**
 * The view of one transaction: its own staged rows over the committed table. Reads see staged rows first;
 * uniqueness is checked against both, so a clash with a row written earlier in the same transaction counts too.
 */
export class StagedAccounts {
  readonly staged = new Map<string, Account>();
  /** Ids this transaction erased. */
  readonly erased = new Set<string>();

  constructor(private readonly table: AccountTable) {}

  get(id: string): Account | undefined {
    if (this.erased.has(id)) return undefined;
    return this.staged.get(id) ?? this.table.get(id);
  }

  /** Whether the id is stored, or was erased (before or in this transaction). */
  isTaken(id: string): boolean {
    return this.erased.has(id) || this.table.isTombstone(id) || this.get(id) !== undefined;
  }

  erase(id: string): void {
    this.staged.delete(id);
    this.erased.add(id);
  }

  ownerOf(field: UniqueField, value: string): string | undefined {
    return this.ownerOfNormalized(field, NORMALIZERS[field](value));
  }

  ownerOfNormalized(field: UniqueField, normalized: string): string | undefined {
    for (const row of this.staged.values()) {
      if (uniqueValue(row, field) === normalized) return row.id;
    }
    const committedOwner = this.table.ownerOfNormalized(field, normalized);
    // A committed owner that this transaction has since renamed or erased no longer holds the value.
    if (committedOwner !== undefined && (this.staged.has(committedOwner) || this.erased.has(committedOwner))) return undefined;
    return committedOwner;
  }

  /** Throws the matching *_TAKEN error if another account holds one of `account`'s unique values. */
  assertUnique(account: Account): void {
    const fields: UniqueField[] = account.kind === 'artist' ? ['username', 'email', 'author'] : ['username', 'email'];
    for (const field of fields) {
      const value = field === 'author' ? (account.kind === 'artist' ? account.author : '') : account[field];
      const owner = this.ownerOf(field, value);
      if (owner !== undefined && owner !== account.id) {
        throw alreadyTaken(field);
      }
    }
  }

  put(account: Account): void {
    this.staged.set(account.id, structuredClone(account));
  }

  /** Every row as this transaction sees it: staged rows over committed ones. */
  *rows(): IterableIterator<Account> {
    yield* this.staged.values();
    for (const row of this.table.rows()) if (!this.staged.has(row.id) && !this.erased.has(row.id)) yield row;
  }

  /** The ids of the accounts (staged rows over committed ones) that hold `role`. */
  idsWithRole(role: Account['role']): string[] {
    const ids: string[] = [];
    for (const row of this.staged.values()) if (row.role === role) ids.push(row.id);
    for (const row of this.table.rows()) if (!this.staged.has(row.id) && !this.erased.has(row.id) && row.role === role) ids.push(row.id);
    return ids;
  }

  commit(): void {
    for (const row of this.staged.values()) this.table.put(row);
    for (const id of this.erased) this.table.erase(id);
  }
}
