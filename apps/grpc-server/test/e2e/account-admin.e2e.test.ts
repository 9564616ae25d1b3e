import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountKind, SearchAccountsRequest } from '@authsvc/proto/auth/v1/auth';
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
});
