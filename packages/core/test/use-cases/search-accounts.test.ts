import { beforeEach, describe, expect, it } from 'vitest';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, sharedHasher } from './support/service-harness.support.js';
import type { Caller, DomainError, SearchAccountsInput } from '../../src/index.js';
import { aUserAccount, rejectionOf } from '../../src/fixtures/index.js';

const hasher = sharedHasher();

describe('SearchAccounts', () => {
  let h: Harness;
  let admin: Caller;
  beforeEach(async () => {
    h = await Harness.create({ hasher });
    admin = (await h.signedInUser({ admin: true })).caller;
  });

  const seed = (count: number, name: (i: number) => string) =>
    h.store.unitOfWork.run(async (scope) => {
      for (let i = 0; i < count; i += 1) await scope.accounts.insert(aUserAccount({ username: name(i), createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 7)) }));
    });

  async function everyPage(input: SearchAccountsInput): Promise<string[][]> {
    const pages: string[][] = [];
    let pageToken: string | undefined;
    do {
      const page = await h.service.searchAccounts(admin, { ...input, ...(pageToken ? { pageToken } : {}) });
      pages.push(page.accounts.map((account) => account.username));
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken !== undefined);
    return pages;
  }

  it('walks every match exactly once, a full page at a time, with no token after the last page', async () => {
    await seed(23, (i) => `Walk_${String(i).padStart(2, '0')}`);
    const pages = await everyPage({ usernamePrefix: 'WALK_', pageSize: 5 });
    expect(pages.map((page) => page.length)).toEqual([5, 5, 5, 5, 3]);
    expect(pages.flat()).toEqual(Array.from({ length: 23 }, (_, i) => `Walk_${String(i).padStart(2, '0')}`));
  });

  it('walks the creation order, ties of time broken by id, each account once', async () => {
    await seed(30, (i) => `tie_${i}`);
    const seen = (await everyPage({ createdFrom: new Date(Date.UTC(2026, 0, 1)), createdBefore: new Date(Date.UTC(2026, 0, 2)), pageSize: 4 })).flat();
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
  });

  it('ends without a token when the last page is exactly full', async () => {
    await seed(4, (i) => `full_${i}`);
    expect(await everyPage({ usernamePrefix: 'full_', pageSize: 2 })).toEqual([['full_0', 'full_1'], ['full_2', 'full_3']]);
  });

  it('refuses a page size out of range, a token of another filter and a mangled token, naming each field', async () => {
    await seed(3, (i) => `bound_${i}`);
    const { nextPageToken } = await h.service.searchAccounts(admin, { usernamePrefix: 'bound_', pageSize: 1 });
    expect(nextPageToken).not.toBeNull();
    const refused = async (input: SearchAccountsInput) => {
      const error = (await rejectionOf(h.service.searchAccounts(admin, input))) as DomainError;
      expect(error).toMatchObject({ name: 'DomainError', code: 'VALIDATION_FAILED' });
      return error;
    };
    expect((await refused({ pageSize: 101 })).violations).toEqual([expect.objectContaining({ field: 'page_size' })]);
    expect((await refused({ pageSize: -1 })).violations).toEqual([expect.objectContaining({ field: 'page_size' })]);
    expect((await refused({ usernamePrefix: 'bound_', kind: 'user', pageToken: nextPageToken! })).violations).toEqual([expect.objectContaining({ field: 'page_token' })]);
    expect((await refused({ usernamePrefix: 'bound_', pageToken: 'x' })).violations).toEqual([expect.objectContaining({ field: 'page_token' })]);
  });

  it('finds the accounts awaiting erasure, to restore them, and binds its page token to that filter', async () => {
    await seed(3, (i) => `gone_${i}`);
    const [first, second] = (await h.service.searchAccounts(admin, { usernamePrefix: 'gone_' })).accounts;
    await h.service.deleteAccount(admin, { id: first!.id });
    await h.service.deleteAccount(admin, { id: second!.id });
    expect(await everyPage({ usernamePrefix: 'gone_', deleted: true, pageSize: 1 })).toEqual([['gone_0'], ['gone_1']]);
    expect((await everyPage({ usernamePrefix: 'gone_', deleted: false })).flat()).toEqual(['gone_2']);
    const { nextPageToken } = await h.service.searchAccounts(admin, { usernamePrefix: 'gone_', deleted: true, pageSize: 1 });
    await expectDomainError(h.service.searchAccounts(admin, { usernamePrefix: 'gone_', pageToken: nextPageToken! }), 'VALIDATION_FAILED');
  });

  it('is for admins only, refused before any lookup', async () => {
    const user = await h.signedInUser();
    await expectDomainError(h.service.searchAccounts(user.caller, {}), 'PERMISSION_DENIED');
    await expectDomainError(h.service.searchAccounts(null, {}), 'UNAUTHENTICATED');
  });
});
