import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { aUserAccount } from '@authsvc/core/fixtures';
import pg from 'pg';
import { openPostgresDatabase, type PostgresDatabase } from '@authsvc/adapters-postgres';
import { createDatabase } from '../infra/services.util.ts';

/**
 * Behind `database.preparedStatements`: the cost of the account read every GetUser, RefreshToken and Login makes
 * (`findById`, three tables), run through the adapter exactly as the server runs it, with the statement kept
 * prepared on the connection and without. Per read: CPU of the PostgreSQL backend (from /proc, the one connection
 * of a pool of one), CPU of this process (kysely, node-postgres, row mapping) and wall time, one read at a time.
 *   node bench/src/experiments/prepared-statement.experiment.ts [reads=5000] [rounds=2]
 */
const [reads = 5_000, rounds = 2] = process.argv.slice(2).map(Number);

/** User + system CPU of a process so far, in µs (USER_HZ 100). */
function processCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** The pid of the one backend of a pool of one, found by its application name from a connection of our own. */
async function backendPid(url: string, applicationName: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [applicationName]);
    if (rows.length !== 1) throw new Error(`expected one backend named ${applicationName}, found ${rows.length}`);
    return rows[0]!.pid;
  } finally {
    await client.end();
  }
}

async function measure(handle: PostgresDatabase, url: string, applicationName: string, id: string): Promise<string> {
  const { stores } = handle;
  if ((await stores.accounts.findById(id))?.id !== id) throw new Error('findById did not find the account');
  const backend = await backendPid(url, applicationName);
  const backendBefore = processCpuUs(backend);
  const ownBefore = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < reads; i += 1) await stores.accounts.findById(id);
  const wallUs = ((performance.now() - start) * 1_000) / reads;
  const own = process.cpuUsage(ownBefore);
  const backendUs = (processCpuUs(backend) - backendBefore) / reads;
  return `PostgreSQL backend ${backendUs.toFixed(0).padStart(4)} µs/read, client ${((own.user + own.system) / reads).toFixed(0).padStart(4)} µs/read, wall ${wallUs.toFixed(0).padStart(4)} µs/read`;
}

const database = await createDatabase(`bench_prepared_${Date.now().toString(36)}`);
try {
  const setup = openPostgresDatabase({ url: database.url, poolSize: 1 });
  await setup.migrateToLatest();
  const account = aUserAccount();
  await setup.stores.unitOfWork.run((scope) => scope.accounts.insert(account));
  await setup.close();
  for (let round = 1; round <= rounds; round += 1) {
    for (const preparedStatements of [false, true]) {
      const applicationName = `bench-prepared-${round}-${preparedStatements}`;
      const handle = openPostgresDatabase({ url: database.url, poolSize: 1, preparedStatements, applicationName });
      try {
        console.log(`round ${round}, preparedStatements ${String(preparedStatements).padEnd(5)}: ${await measure(handle, database.url, applicationName, account.id)}`);
      } finally {
        await handle.close();
      }
    }
  }
} finally {
  await database.drop();
}
