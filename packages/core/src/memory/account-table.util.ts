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

  constructor(private readonly table: AccountTable) {}

  get(id: string): Account | undefined {
    return this.staged.get(id) ?? this.table.get(id);
  }

  ownerOf(field: UniqueField, value: string): string | undefined {
    return this.ownerOfNormalized(field, NORMALIZERS[field](value));
  }

  ownerOfNormalized(field: UniqueField, normalized: string): string | undefined {
    for (const row of this.staged.values()) {
      if (uniqueValue(row, field) === normalized) return row.id;
    }
    const committedOwner = this.table.ownerOfNormalized(field, normalized);
    // A committed owner that this transaction has since renamed no longer holds the value.
    if (committedOwner !== undefined && this.staged.has(committedOwner)) return undefined;
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
    for (const row of this.table.rows()) if (!this.staged.has(row.id)) yield row;
  }

  /** The ids of the accounts (staged rows over committed ones) that hold `role`. */
  idsWithRole(role: Account['role']): string[] {
    const ids: string[] = [];
    for (const row of this.staged.values()) if (row.role === role) ids.push(row.id);
    for (const row of this.table.rows()) if (!this.staged.has(row.id) && row.role === role) ids.push(row.id);
    return ids;
  }

  commit(): void {
    for (const row of this.staged.values()) this.table.put(row);
  }
}
