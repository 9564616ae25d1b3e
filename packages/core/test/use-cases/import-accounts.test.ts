import { describe, expect, it } from 'vitest';
import { AccountEventFactory, DEFAULT_AUTH_SERVICE_OPTIONS, ImportAccounts, InMemoryAccountStore, PhcPasswordHasher, RandomIdGenerator, type ImportRecord, type RejectedLine } from '../../src/index.js';
import { peekPending } from '../../src/fixtures/index.js';

const GO_BCRYPT = '$2a$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga';
const ARGON2ID = '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc';
const SCRYPT = '$scrypt$ln=14,r=8,p=1$aW1wb3J0ZWQtc2FsdC0xNg$PYlKbKme5LnOO6ALzX54F0GzbsugfT8I+QQ1I+foYKc';
const PBKDF2 = '$pbkdf2-sha256$i=600000,l=32$aW1wb3J0ZWQtc2FsdC0xNg$jrqEuBDr/4RK0mMDC7IbFBfhFwb5e3B2SZgxs3UoZkA';

const id = (n: number) => `0190a5c4-0000-7000-8000-${String(n).padStart(12, '0')}`;
const user = (n: number, extra: Record<string, unknown> = {}) => ({
  id: id(n), kind: 'user', username: `user_${n}`, email: `user${n}@example.com`, password_hash: GO_BCRYPT, gender: 'female', country: 'se', age: 30, ...extra,
});
const artist = (n: number, extra: Record<string, unknown> = {}) => ({
  id: id(n), kind: 'artist', username: `artist_${n}`, email: `artist${n}@example.com`, password_hash: ARGON2ID, author: `Band ${n}`, country: 'NL', ...extra,
});
const records = (...rows: Record<string, unknown>[]): ImportRecord[] => rows.map((fields, at) => ({ line: at + 1, fields }));

function setup() {
  const store = new InMemoryAccountStore();
  const events = new AccountEventFactory({ ids: new RandomIdGenerator(), topics: { ...DEFAULT_AUTH_SERVICE_OPTIONS.topics, 'user.created': 'users', 'artist.created': 'artists', 'user.updated': 'users', 'artist.updated': 'artists' }, eventSource: '/authsvc' });
  const importer = new ImportAccounts({ store: store.accountImport, clock: { now: () => new Date('2026-12-06T08:00:00Z') } }, events);
  const rejected: RejectedLine[] = [];
  const run = (input: ImportRecord[], options: { events?: boolean; batchSize?: number } = {}) => importer.execute({ records: input, ...options, onRejected: (r) => rejected.push(r) });
  return { store, run, rejected };
}

describe('ImportAccounts', () => {
  it('imports users and artists with their hashes as given (bcrypt from Go, argon2id, scrypt, PBKDF2), and they can sign in', async () => {
    const { store, run } = setup();
    const input = records(user(1), artist(2), user(3, { password_hash: SCRYPT, role: 'ADMIN', created_at: '2019-05-01T10:00:00Z' }), user(4, { password_hash: PBKDF2, age: '42' }));
    expect(await run(input)).toEqual({ read: 4, inserted: 4, existing: 0, rejected: 0 });
    const admin = await store.accounts.findById(id(3));
    expect(admin).toMatchObject({ role: 'ADMIN', passwordHash: SCRYPT, country: 'SE', createdAt: new Date('2019-05-01T10:00:00Z') });
    // Unverified, enabled and not deleted, as the SQL store reads an imported row: nothing bars its login.
    expect(admin).toMatchObject({ emailVerifiedAt: null, disabled: null, deletedAt: null });
    expect(await store.accounts.findById(id(2))).toMatchObject({ kind: 'artist', role: 'ARTIST', author: 'Band 2', producer: null, description: '' });
    expect(await store.accounts.findById(id(4))).toMatchObject({ age: 42 });
    const hasher = new PhcPasswordHasher({ threads: 1 });
    try {
      expect(await hasher.verify('allmine', (await store.accounts.findByLogin('user_1'))!.passwordHash)).toBe(true);
      expect(await hasher.verify('scrypt password', admin!.passwordHash)).toBe(true);
    } finally {
      await hasher.close();
    }
  });

  it('reports invalid lines with their line numbers and every broken field, and writes nothing of them', async () => {
    const { store, run, rejected } = setup();
    const input: ImportRecord[] = [
      { line: 1, fields: user(1) },
      { line: 2, fields: user(2, { email: 'not-an-email', age: 151 }) },
      { line: 3, fields: user(3, { password_hash: 'plaintext-password' }) },
      { line: 5, fields: { unreadable: 'is not valid JSON' } },
      { line: 6, fields: user(6, { id: 'not-a-uuid', kind: 'admin' }) },
      { line: 7, fields: artist(7, { role: 'ADMIN', password_hash: '$pbkdf2-sha256$i=99999999,l=32$aW1wb3J0ZWQtc2FsdC0xNg$jrqEuBDr/4RK0mMDC7IbFBfhFwb5e3B2SZgxs3UoZkA' }) },
      { line: 8, fields: user(8, { username: 'user_1', email: 'USER1@example.com' }) },
    ];
    expect(await run(input)).toEqual({ read: 7, inserted: 1, existing: 0, rejected: 6 });
    expect(rejected.map((r) => [r.line, r.violations.map((v) => v.field)])).toEqual([
      [2, ['email', 'age']],
      [3, ['password_hash']],
      [5, ['line']],
      [6, ['id', 'kind']],
      [7, ['password_hash', 'role']],
      [8, ['username']],
    ]);
    expect(JSON.stringify(rejected)).not.toContain('plaintext-password');
    for (const n of [2, 3, 7, 8]) expect(await store.accounts.findById(id(n))).toBeNull();
    expect(await store.accounts.findByLogin('not-an-email')).toBeNull();
  });

  it('is idempotent by id: a second run imports nothing again and changes nothing', async () => {
    const { store, run } = setup();
    const input = records(user(1), artist(2), user(3));
    await run(input, { events: true, batchSize: 2 });
    const before = await store.accounts.findById(id(1));
    expect(await run(records(user(1, { email: 'changed@example.com' }), artist(2), user(3), user(4)), { events: true, batchSize: 2 })).toEqual({ read: 4, inserted: 1, existing: 3, rejected: 0 });
    expect(await store.accounts.findById(id(1))).toEqual(before);
    expect((await peekPending(store.relayStore, [1, 2, 3, 4].map(id))).map((e) => e.key)).toEqual([id(1), id(2), id(3), id(4)]);
  });

  it('writes user.created / artist.created only when asked', async () => {
    const without = setup();
    await without.run(records(user(1), artist(2)));
    expect(await peekPending(without.store.relayStore, [id(1), id(2)])).toEqual([]);
    const withEvents = setup();
    await withEvents.run(records(user(1), artist(2)), { events: true });
    expect((await peekPending(withEvents.store.relayStore, [id(1), id(2)])).map((e) => [e.type, e.key])).toEqual([['user.created', id(1)], ['artist.created', id(2)]]);
  });
});
