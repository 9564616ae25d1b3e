import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { createDatabase } from '../infra/services.util.ts';

/**
 * Throughput of `authsvc accounts import` (issue 22): writes `count` accounts as JSON lines (users and artists, hashes in
 * the four verifiable formats), migrates a fresh database, then runs the real command twice through the built CLI
 * (`apps/grpc-server/dist/main.js`): the import, then the idempotent re-run. Reports accounts/s from the command's own
 * timing (reading, validation and writing) and the process's wall time, with the load average.
 *   pnpm build && node bench/src/experiments/account-import.experiment.ts [count=100000] [batchSize=1000] [--events]
 */
const args = process.argv.slice(2);
const events = args.includes('--events');
const [count = 100_000, batchSize = 1_000] = args.filter((a) => !a.startsWith('--')).map(Number);
const MAIN = new URL('../../../apps/grpc-server/dist/main.js', import.meta.url).pathname;
const HASHES = [
  '$2a$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga',
  '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc',
  '$scrypt$ln=14,r=8,p=1$aW1wb3J0ZWQtc2FsdC0xNg$PYlKbKme5LnOO6ALzX54F0GzbsugfT8I+QQ1I+foYKc',
  '$pbkdf2-sha256$i=600000,l=32$aW1wb3J0ZWQtc2FsdC0xNg$jrqEuBDr/4RK0mMDC7IbFBfhFwb5e3B2SZgxs3UoZkA',
];

const dir = mkdtempSync(join(tmpdir(), 'account-import-'));
const file = join(dir, 'accounts.jsonl');
const out = createWriteStream(file);
for (let n = 0; n < count; n += 1) {
  const id = `0190a5c4-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
  const common = { id, username: `imported_${n}`, email: `imported${n}@example.com`, password_hash: HASHES[n % 4], country: 'SE', created_at: '2024-01-01T00:00:00Z' };
  const row = n % 5 === 4 ? { ...common, kind: 'artist', author: `Imported Band ${n}`, description: 'brought over' } : { ...common, kind: 'user', gender: 'female', age: 18 + (n % 60) };
  if (!out.write(`${JSON.stringify(row)}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}
await new Promise<void>((resolve) => out.end(() => resolve()));

const database = await createDatabase(`import_${Date.now()}`);
const keysFile = join(dir, 'keys.json');
// The server's configuration rules apply to every command: shared keys and refresh secret with a database URL.
const env = { ...process.env, AUTH_DATABASE_URL: database.url, AUTH_LOG_LEVEL: 'warn', AUTH_JWT_KEYS_FILE: keysFile, AUTH_SESSION_REFRESH_TOKEN_SECRET: randomBytes(32).toString('base64url') };
const run = promisify(execFile);
try {
  await run(process.execPath, [MAIN, 'keys', 'generate', '--out', keysFile], { env });
  await run(process.execPath, [MAIN, 'migrate', 'up'], { env });
  for (const pass of ['import', 're-run (idempotent)']) {
    const load = loadavg()[0]!.toFixed(2);
    const started = performance.now();
    const result = await run(process.execPath, [MAIN, 'accounts', 'import', file, '--batch-size', String(batchSize), ...(events ? ['--events'] : [])], { env, maxBuffer: 1 << 26 }).catch((error: { stdout?: string; stderr?: string }) => error);
    const wall = (performance.now() - started) / 1_000;
    console.log(`${pass}: ${String(result.stdout).trim()} | process wall ${wall.toFixed(2)} s = ${Math.round(count / wall)} accounts/s | load average ${load}`);
    if (result.stderr) console.log(String(result.stderr).split('\n').slice(0, 5).join('\n'));
  }
} finally {
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
}
