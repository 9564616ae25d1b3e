import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { AccountKind, Role, SearchAccountsRequest } from '@authsvc/proto/auth/v1/auth';
import { aUser, expectStatus } from '../grpc/support/grpc-harness.support.js';
import { fullModeServices, startAdminServer, type AdminServer } from './support/admin-server.support.js';

const services = await fullModeServices();

describe.skipIf(!services)('account administration end to end (full mode)', () => {
  let s: AdminServer;
  let token: string;
  beforeAll(async () => {
    s = await startAdminServer(services!);
    token = (await s.client.call('login', { login: s.admin.login, password: s.admin.password })).tokens!.accessToken;
  }, 120_000);
  afterAll(async () => s?.close(), 60_000);

  it('SearchAccounts pages over 1,000 accounts, by username prefix and by creation time, returning each exactly once', async () => {
    // Seeded in SQL: 1,000 registrations through the API would spend 1,000 password hashes for nothing the search reads.
    await s.sql.query(`
      insert into accounts (id, kind, role, username, username_normalized, email, email_normalized, password_hash, created_at, updated_at)
      select gen_random_uuid(), case when g % 4 = 0 then 'artist' else 'user' end, case when g % 4 = 0 then 'ARTIST' else 'USER' end,
             'Bulk_' || lpad(g::text, 4, '0'), 'bulk_' || lpad(g::text, 4, '0'), 'bulk' || g || '@example.com', 'bulk' || g || '@example.com',
             'x', timestamptz '2026-01-01' + (g % 10) * interval '1 second', now()
      from generate_series(1, 1000) g`);
    await s.sql.query(`insert into user_profiles (account_id, gender, country, age) select id, 'female', 'SE', 30 from accounts where kind = 'user' and username like 'Bulk_%'`);
    await s.sql.query(`insert into artist_profiles (account_id, author, author_normalized, producer, country, description)
      select id, 'Author ' || username, 'author ' || username_normalized, null, 'SE', '' from accounts where kind = 'artist'`);

    async function walk(filter: Partial<SearchAccountsRequest>): Promise<{ ids: string[]; pages: number }> {
      const ids: string[] = [];
      let pageToken = '';
      let pages = 0;
      do {
        const page = await s.client.call('searchAccounts', SearchAccountsRequest.fromPartial({ ...filter, pageToken }), { token });
        ids.push(...page.accounts.map((entry) => entry.profile!.value.id));
        pageToken = page.nextPageToken;
        pages += 1;
      } while (pageToken !== '');
      return { ids, pages };
    }

    const byName = await walk({ usernamePrefix: 'BULK_', pageSize: 100 });
    expect(byName.ids).toHaveLength(1_000);
    expect(new Set(byName.ids).size).toBe(1_000);
    expect(byName.pages).toBe(10);

    // Ten accounts share each creation second: the id breaks the tie, so pages neither repeat nor skip one.
    const byTime = await walk({ createdFrom: new Date('2026-01-01T00:00:00Z'), createdBefore: new Date('2026-01-02T00:00:00Z'), pageSize: 37 });
    expect(new Set(byTime.ids)).toEqual(new Set(byName.ids));
    expect(byTime.ids).toHaveLength(1_000);

    const artists = await walk({ usernamePrefix: 'bulk_', kind: AccountKind.ACCOUNT_KIND_ARTIST, pageSize: 100 });
    expect(artists.ids).toHaveLength(250);
  }, 120_000);

  async function signedInUser(): Promise<{ id: string; username: string; password: string; accessToken: string }> {
    const input = aUser();
    const { user } = await s.client.call('registerUser', input);
    const { tokens } = await s.client.call('login', { login: input.username, password: input.password });
    return { id: user!.id, username: input.username, password: input.password, accessToken: tokens!.accessToken };
  }

  it('DisableAccount mid-session: the live access token is refused on the next call, Login says ACCOUNT_DISABLED, a timed disable ends by itself', async () => {
    const user = await signedInUser();
    await expect(s.client.call('getUser', { id: user.id }, { token: user.accessToken })).resolves.toBeDefined();
    await s.client.call('disableAccount', { id: user.id, reason: 'abuse', until: undefined }, { token });
    expectStatus(await s.client.failure('getUser', { id: user.id }, { token: user.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
    expectStatus(await s.client.failure('login', { login: user.username, password: user.password }), status.PERMISSION_DENIED, 'ACCOUNT_DISABLED');

    await s.client.call('disableAccount', { id: user.id, reason: 'cool down', until: new Date(Date.now() + 2_000) }, { token });
    expectStatus(await s.client.failure('login', { login: user.username, password: user.password }), status.PERMISSION_DENIED, 'ACCOUNT_DISABLED');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await expect(s.client.call('login', { login: user.username, password: user.password })).resolves.toMatchObject({ accountId: user.id });
  }, 60_000);

  it('two admins disabling each other at once: exactly one succeeds, the other gets LAST_ADMIN, one admin stays enabled', async () => {
    // The operator's admin steps aside first, so these two are the last enabled admins.
    const [a, b] = [await signedInUser(), await signedInUser()];
    for (const admin of [a, b]) await s.client.call('setRole', { id: admin.id, role: Role.ROLE_ADMIN }, { token });
    const [tokenA, tokenB] = await Promise.all(
      [a, b].map(async (admin) => (await s.client.call('login', { login: admin.username, password: admin.password })).tokens!.accessToken),
    );
    const operator = (await s.client.call('validateToken', { accessToken: token })).subject;
    await s.client.call('disableAccount', { id: operator, reason: 'stepping aside', until: undefined }, { token: tokenA });
    const outcomes = await Promise.all([
      s.client.outcome('disableAccount', { id: b.id, reason: 'coup', until: undefined }, { token: tokenA }),
      s.client.outcome('disableAccount', { id: a.id, reason: 'coup', until: undefined }, { token: tokenB }),
    ]);
    expect([...outcomes].sort()).toEqual(['FAILED_PRECONDITION', 'OK']);
    const { rows } = await s.sql.query<{ enabled: string }>(`select count(*) as enabled from accounts where role = 'ADMIN' and disabled_since is null`);
    expect(Number(rows[0]!.enabled)).toBe(1);
    // Give the operator's admin back for the cases after this one.
    const survivor = outcomes[0] === 'OK' ? tokenA : tokenB;
    await s.client.call('enableAccount', { id: operator }, { token: survivor });
    token = (await s.client.call('login', { login: s.admin.login, password: s.admin.password })).tokens!.accessToken;
  }, 60_000);
});
