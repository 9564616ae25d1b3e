import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAuthServer, type AuthServer } from '../infra/auth-server.process.ts';
import { BenchClient } from '../infra/bench-client.util.ts';
import { createDatabase, deleteRedisKeys, locateKafka } from '../infra/services.util.ts';
import { fullModeServerEnv } from '../infra/server-env.config.ts';
import type { BenchAccount } from '../loadgen/call-kinds.scenario.ts';

/** What an experiment gets: one full-mode server, a client of it, and `accounts` seeded accounts. */
export interface ExperimentServer {
  server: AuthServer;
  client: BenchClient;
  accounts: BenchAccount[];
}

/**
 * Runs `experiment` against one full-mode server (PostgreSQL, Redis, Kafka as `pnpm bench` finds them) with a
 * database, Redis prefix and data directory of its own, and removes them all afterwards, whatever happened.
 */
export async function withExperimentServer(
  name: string,
  options: { serverEnv: Record<string, string>; accounts: number },
  experiment: (subject: ExperimentServer) => Promise<void>,
): Promise<void> {
  const runId = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const kafka = await locateKafka();
  const database = await createDatabase(runId);
  const dataDir = mkdtempSync(join(tmpdir(), `authsvc-${name}-`));
  let server: AuthServer | undefined;
  try {
    server = await startAuthServer(
      { ...(await fullModeServerEnv({ dataDir, databaseUrl: database.url, runId, kafkaBrokers: kafka.brokers })), ...options.serverEnv },
      join(dataDir, 'server.log'),
    );
    const client = new BenchClient(server.address);
    try {
      const accounts = await client.seed(`${runId.slice(6, 12)}s`, options.accounts);
      await experiment({ server, client, accounts });
    } finally {
      client.close();
    }
  } finally {
    await server?.stop();
    await deleteRedisKeys(`${runId}:`);
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    await kafka.stop();
  }
}
