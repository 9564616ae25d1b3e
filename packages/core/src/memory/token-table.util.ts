import type { AccountToken, TokenPurpose } from '../domain/account-token.model.js';

interface TokenRow {
  token: AccountToken;
  /** When it was spent or voided (epoch ms), null while usable. */
  endedAtMs: number | null;
}

/** Committed account tokens by hash; a unit of work edits a copy (`fork`) and hands it back on commit. */
export class TokenTable {
  readonly #rows: Map<string, TokenRow>;

  constructor(rows: Map<string, TokenRow> = new Map()) {
    this.#rows = rows;
  }

  /** A private copy for one unit of work. */
  fork(): TokenTable {
    return new TokenTable(new Map([...this.#rows].map(([hash, row]) => [hash, structuredClone(row)])));
  }

  /** Takes over the rows of a committed fork. */
  adopt(fork: TokenTable): void {
    this.#rows.clear();
    for (const [hash, row] of fork.#rows) this.#rows.set(hash, row);
  }

  issue(token: AccountToken): void {
    this.voidAll(token.accountId, token.purpose, token.createdAt);
    this.#rows.set(token.hash, { token: structuredClone(token), endedAtMs: null });
  }

  redeem(hash: string, purpose: TokenPurpose, now: Date): AccountToken | null {
    const row = this.#rows.get(hash);
    if (row === undefined || row.endedAtMs !== null || row.token.purpose !== purpose || row.token.expiresAt <= now) return null;
    row.endedAtMs = now.getTime();
    return structuredClone(row.token);
  }

  voidAll(accountId: string, purpose: TokenPurpose, now: Date): number {
    let count = 0;
    for (const row of this.#rows.values()) {
      if (row.endedAtMs === null && row.token.accountId === accountId && row.token.purpose === purpose) {
        row.endedAtMs = now.getTime();
        count += 1;
      }
    }
    return count;
  }

  /** Deletes every token of the account, spent or not. */
  removeAccount(accountId: string): void {
    for (const [hash, row] of this.#rows) if (row.token.accountId === accountId) this.#rows.delete(hash);
  }
}
