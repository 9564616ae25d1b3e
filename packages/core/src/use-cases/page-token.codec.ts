import { createHash } from 'node:crypto';
import type { AccountFilter, SearchPosition } from '../domain/account-search.model.js';

/**
 * The opaque `page_token` of SearchAccounts: the position the previous page ended at, bound to the filter it was
 * made for (a digest of it), base64url JSON. Not a secret and not signed: a forged position only moves the start of
 * a search the admin may run anyway. A token given with another filter, or mangled, is refused (INVALID_ARGUMENT).
 */
export const searchPageToken = {
  encode(filter: AccountFilter, position: SearchPosition): string {
    const p = position.order === 'created' ? { ...position, createdAt: position.createdAt.getTime() } : position;
    return Buffer.from(JSON.stringify({ v: 1, f: filterDigest(filter), p }), 'utf8').toString('base64url');
  },

  /** The position in `token`, or null when it is not a token of this filter. */
  decode(filter: AccountFilter, token: string): SearchPosition | null {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { v, f, p } = parsed as { v?: unknown; f?: unknown; p?: Record<string, unknown> };
    if (v !== 1 || f !== filterDigest(filter) || typeof p !== 'object' || p === null) return null;
    if (p.order === 'username' && typeof p.username === 'string') return { order: 'username', username: p.username };
    if (p.order === 'email' && typeof p.email === 'string') return { order: 'email', email: p.email };
    if (p.order === 'created' && Number.isSafeInteger(p.createdAt) && typeof p.id === 'string' && /^[0-9a-f-]{36}$/.test(p.id)) {
      return { order: 'created', createdAt: new Date(p.createdAt as number), id: p.id };
    }
    return null;
  },
};

function filterDigest(filter: AccountFilter): string {
  const canonical = JSON.stringify([
    filter.usernamePrefix ?? null,
    filter.emailPrefix ?? null,
    filter.kind ?? null,
    filter.role ?? null,
    filter.disabled ?? null,
    filter.createdFrom?.getTime() ?? null,
    filter.createdBefore?.getTime() ?? null,
    // Appended only when given, so the tokens of searches without it stay valid across the upgrade that added it.
    ...(filter.deleted !== undefined ? [filter.deleted] : []),
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}
