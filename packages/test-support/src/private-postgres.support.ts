import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.util.js';
import { temporaryDir } from './temporary-dir.util.js';

const run = promisify(execFile);
/** The server binaries of the machine's PostgreSQL package. */
const PG_BIN = '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary folder, run as user postgres when the test runs as
 * root), password authentication over TCP, which the test may stop and start at will.
 */
export class PrivatePostgres {
  readonly password = `pg-pw-${randomBytes(8).toString('hex')}`;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  /** A new cluster on a free port (initdb), not started yet. */
  static async create(): Promise<PrivatePostgres> {
    const postgres = new PrivatePostgres(await freePort(), temporaryDir('authsvc-pg-').path);
    const pwfile = join(postgres.dir, 'pwfile');
    writeFileSync(pwfile, postgres.password);
    // initdb refuses to run as root: then the cluster belongs to the machine's postgres user.
    if (process.getuid?.() === 0) {
      const [uid, gid] = await postgresIds();
      chownSync(postgres.dir, uid, gid);
      chownSync(pwfile, uid, gid);
    }
    await postgres.#asPostgres(`${PG_BIN}/initdb`, ['-D', join(postgres.dir, 'data'), '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8']);
    return postgres;
  }

  url(database = 'postgres'): string {
    return `postgres://postgres:${this.password}@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts (or starts again) and resolves once it accepts connections. */
  async start(): Promise<void> {
    await this.#asPostgres(`${PG_BIN}/pg_ctl`, [
      '-D', join(this.dir, 'data'), '-l', join(this.dir, 'server.log'), '-w', '-t', '60',
      '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      'start',
    ]);
  }

  /** `immediate`: no clean shutdown, in-flight transactions are cut off (a crash as far as clients can tell). */
  async stop(mode: 'fast' | 'immediate' = 'immediate'): Promise<void> {
    await this.#asPostgres(`${PG_BIN}/pg_ctl`, ['-D', join(this.dir, 'data'), '-m', mode, '-w', 'stop']).catch(() => undefined);
  }

  /** Stops it and deletes its data. */
  async destroy(): Promise<void> {
    await this.stop('immediate');
    rmSync(this.dir, { recursive: true, force: true });
  }

  #asPostgres(file: string, args: string[]): Promise<unknown> {
    return process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', file, ...args], { timeout: 120_000 }) : run(file, args, { timeout: 120_000 });
  }
}

async function postgresIds(): Promise<[number, number]> {
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return [Number(uid.trim()), Number(gid.trim())];
}
