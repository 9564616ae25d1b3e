import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { SearchAccountsRequest } from '@authsvc/proto/auth/v1/auth';
import { eventually } from '@authsvc/test-support';
import { runServerCommand } from '@authsvc/test-support/server';
import { aUser, anArtist, expectStatus } from '../grpc/support/grpc-harness.support.js';
import { fullModeServices, startAdminServer, type AdminServer } from './support/admin-server.support.js';
import { waitForEvent } from './support/full-mode-resources.support.js';

const services = await fullModeServices();

// No grace period, and the server's own housekeeping an hour away: the test decides when the erasure runs
// (`authsvc accounts purge`), and a restore is accepted until then (decision 0010).
describe.skipIf(!services)('the end of an account end to end (full mode: PostgreSQL, Redis, Kafka)', () => {
  let s: AdminServer;
  let token: string;
  beforeAll(async () => {
    s = await startAdminServer(services!, { AUTH_ACCOUNTS_DELETION_GRACE: '0', AUTH_OUTBOX_POLL_INTERVAL: '200ms' });
    token = (await s.client.call('login', { login: s.admin.login, password: s.admin.password })).tokens!.accessToken;
  }, 120_000);
  afterAll(async () => s?.close(), 60_000);

  async function signedIn(input = aUser()) {
    const { user } = await s.client.call('registerUser', input);
    const { tokens } = await s.client.call('login', { login: input.username, password: input.password });
    return { id: user!.id, input, tokens: tokens! };
  }

  /** Every outbox row published (the relay took everything, queued security events included). */
  async function outboxDrained(): Promise<void> {
    const drained = await eventually(async () => {
      const { rows } = await s.sql.query<{ pending: string }>('select count(*) as pending from outbox where published_at is null');
      return Number(rows[0]!.pending) === 0;
    }, 30_000, 100);
    expect(drained, 'the relay published every outbox row').toBe(true);
  }

  it('DeleteAccount by the account itself, then RestoreAccount by an admin within the grace period: it signs in again', async () => {
    const user = await signedIn();
    const deleted = await s.client.call('deleteAccount', { id: user.id, currentPassword: user.input.password }, { token: user.tokens.accessToken });
    expect(deleted.account!.deletedAt).toBeInstanceOf(Date);
    expectStatus(await s.client.failure('getUser', { id: user.id }, { token: user.tokens.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
    expectStatus(await s.client.failure('refreshToken', { refreshToken: user.tokens.refreshToken }), status.UNAUTHENTICATED);
    expectStatus(await s.client.failure('login', { login: user.input.username, password: 'not the password' }), status.UNAUTHENTICATED, 'INVALID_CREDENTIALS');
    expectStatus(await s.client.failure('login', { login: user.input.username, password: user.input.password }), status.PERMISSION_DENIED, 'ACCOUNT_DISABLED');

    // An admin finds it among the accounts awaiting erasure, and no longer once restored.
    const awaiting = async (deleted: boolean) =>
      (await s.client.call('searchAccounts', SearchAccountsRequest.fromPartial({ usernamePrefix: user.input.username, deleted }), { token })).accounts.map((entry) => entry.profile!.value.id);
    expect(await awaiting(true)).toEqual([user.id]);
    expect(await awaiting(false)).toEqual([]);
    const restored = await s.client.call('restoreAccount', { id: user.id }, { token });
    expect(restored.account!.deletedAt).toBeUndefined();
    expect(await awaiting(true)).toEqual([]);
    await expect(s.client.call('login', { login: user.input.username, password: user.input.password })).resolves.toMatchObject({ accountId: user.id });
    const { rows } = await s.sql.query<{ type: string }>('select type from outbox where key = $1 order by seq', [user.id]);
    expect(rows.map((r) => r.type)).toEqual(expect.arrayContaining(['user.created', 'user.deleted', 'user.restored', 'auth.account.deleted', 'auth.account.restored']));
  }, 60_000);

  it('DeleteAccount then the purge: the names register again, nothing personal is left in any table, user.erased reaches Kafka, the id is never reused', async () => {
    const user = await signedIn();
    const artist = anArtist();
    const { artist: artistProfile } = await s.client.call('registerArtist', artist);
    await s.client.call('login', { login: user.input.username, password: 'a wrong password' }).catch(() => undefined);
    await s.client.call('deleteAccount', { id: user.id, currentPassword: user.input.password }, { token: user.tokens.accessToken });
    await s.client.call('deleteAccount', { id: artistProfile!.id, currentPassword: '' }, { token });
    await outboxDrained();

    const purge = await runServerCommand(['accounts', 'purge'], { env: s.env });
    expect(purge.code).toBe(0);
    expect((JSON.parse(purge.stdout) as { erased: string[] }).erased.sort()).toEqual([user.id, artistProfile!.id].sort());

    // Nothing of either account in any table of the service, by any of their personal values.
    const personal = [user.input.username, user.input.email, artist.username, artist.email, artist.author].map((value) => value.toLowerCase());
    const { rows: tables } = await s.sql.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'");
    for (const { table_name } of tables) {
      const { rows } = await s.sql.query<{ row: string }>(`select lower(to_jsonb(t)::text) as row from "${table_name}" t`);
      for (const { row } of rows) for (const value of personal) expect(row, `${table_name} still holds ${value}`).not.toContain(value);
    }
    const { rows: accounts } = await s.sql.query('select id from accounts where id = any($1::uuid[])', [[user.id, artistProfile!.id]]);
    expect(accounts).toEqual([]);
    const { rows: audit } = await s.sql.query<{ n: string }>(
      'select count(*) as n from security_events where account_id = $1 and (client_address is not null or user_agent is not null or session_id is not null or login_hash is not null)',
      [user.id],
    );
    expect(Number(audit[0]!.n)).toBe(0);
    const { rows: tombstones } = await s.sql.query('select id from account_tombstones where id = any($1::uuid[])', [[user.id, artistProfile!.id]]);
    expect(tombstones).toHaveLength(2);

    const erased = await waitForEvent(services!.kafka, s.topics.USER_ERASED!, (value) => (value['account'] as { id?: string } | undefined)?.id === user.id);
    expect(erased).toEqual({ schema_version: 1, account: { id: user.id, kind: 'user', erased_at: expect.any(String) } });

    // The names are free again (another id); the erased id answers as any unknown one.
    const again = await s.client.call('registerUser', { ...aUser(), username: user.input.username, email: user.input.email });
    expect(again.user!.id).not.toBe(user.id);
    await expect(s.client.call('registerArtist', { ...anArtist(), author: artist.author })).resolves.toBeDefined();
    expectStatus(await s.client.failure('getUser', { id: user.id }, { token }), status.NOT_FOUND, 'ACCOUNT_NOT_FOUND');
    expectStatus(await s.client.failure('restoreAccount', { id: user.id }, { token }), status.NOT_FOUND, 'ACCOUNT_NOT_FOUND');
  }, 120_000);

  it('DeleteAccount racing Login: the login either is refused or its session is dead; never a live session after the deletion', async () => {
    for (let round = 0; round < 4; round += 1) {
      const user = await signedIn();
      const [login] = await Promise.all([
        s.client.call('login', { login: user.input.username, password: user.input.password }).then((r) => r, (error: unknown) => error),
        s.client.call('deleteAccount', { id: user.id, currentPassword: '' }, { token }),
      ]);
      const tokens = (login as { tokens?: { accessToken: string; refreshToken: string } }).tokens;
      if (tokens !== undefined) {
        expectStatus(await s.client.failure('getUser', { id: user.id }, { token: tokens.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
        expectStatus(await s.client.failure('refreshToken', { refreshToken: tokens.refreshToken }), status.UNAUTHENTICATED);
      } else {
        expect(login).toMatchObject({ code: expect.any(Number) });
      }
      expect((await s.client.call('listSessions', { id: user.id }, { token })).sessions).toEqual([]);
    }
  }, 120_000);
});
