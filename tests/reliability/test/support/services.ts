import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';

const run = promisify(execFile);
const repoDir = fileURLToPath(new URL('../../../../', import.meta.url));
const PG_BIN = '/usr/lib/postgresql/15/bin';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await Promise.resolve().then(check).catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function portOpen(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A redis-server of the test's own, password protected, nothing on disk: it may be stopped and started at will. */
export class OwnRedis {
  readonly password = `redis-pw-${randomBytes(8).toString('hex')}`;
  private child: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.resume();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async resume(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--requirepass', this.password], {
      stdio: 'ignore',
    });
    await waitFor(() => portOpen(this.port), 10_000, `redis on ${this.port}`);
  }

  /** SIGKILL: the service disappears at once, as in a crash. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/** A PostgreSQL cluster of the test's own (initdb in a temporary folder, run as user postgres), password auth over TCP. */
export class OwnPostgres {
  readonly password = `pg-pw-${randomBytes(8).toString('hex')}`;
  private constructor(readonly port: number, readonly dir: string) {}

  static async start(): Promise<OwnPostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'authsvc-rel-pg-'));
    const pg = new OwnPostgres(await freePort(), dir);
    const pwfile = join(dir, 'pwfile');
    writeFileSync(pwfile, pg.password);
    // initdb refuses to run as root: then the cluster belongs to the machine's postgres user.
    if (process.getuid?.() === 0) {
      const [uid, gid] = await postgresIds();
      chownSync(dir, uid, gid);
      chownSync(pwfile, uid, gid);
    }
    await pg.asPostgres(`${PG_BIN}/initdb`, ['-D', join(dir, 'data'), '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8']);
    await pg.resume();
    return pg;
  }

  private asPostgres(file: string, args: string[]): Promise<unknown> {
    return process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', file, ...args], { timeout: 120_000 }) : run(file, args, { timeout: 120_000 });
  }

  url(database = 'postgres'): string {
    return `postgres://postgres:${this.password}@127.0.0.1:${this.port}/${database}`;
  }

  async resume(): Promise<void> {
    await this.asPostgres(`${PG_BIN}/pg_ctl`, [
      '-D', join(this.dir, 'data'), '-l', join(this.dir, 'server.log'), '-w', '-t', '60',
      '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      'start',
    ]);
  }

  /** `immediate`: no clean shutdown, in-flight transactions are cut off (a crash as far as clients can tell). */
  async stop(mode: 'fast' | 'immediate' = 'immediate'): Promise<void> {
    await this.asPostgres(`${PG_BIN}/pg_ctl`, ['-D', join(this.dir, 'data'), '-m', mode, '-w', 'stop']).catch(() => undefined);
  }

  async destroy(): Promise<void> {
    await this.stop('immediate');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A Kafka broker of the test's own (scripts/kafka/broker.sh on free ports, data in a temporary folder). */
export class OwnKafka {
  private constructor(readonly port: number, readonly dir: string) {}

  static async start(): Promise<OwnKafka> {
    const dir = mkdtempSync(join(tmpdir(), 'authsvc-rel-kafka-'));
    let port = await freePort();
    while (!(await freePortPair(port))) port = await freePort();
    const kafka = new OwnKafka(port, dir);
    await kafka.resume();
    return kafka;
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  private script(action: string): Promise<unknown> {
    return run('bash', [join(repoDir, 'scripts/kafka/broker.sh'), action, '--port', String(this.port), '--dir', this.dir], {
      timeout: 180_000,
      env: { ...process.env, KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m' },
    });
  }

  resume(): Promise<unknown> {
    return this.script('start');
  }

  stop(): Promise<unknown> {
    return this.script('stop');
  }

  /** SIGKILL of the broker's JVM (a crash: no controlled shutdown), waiting until it is gone. */
  async kill(): Promise<void> {
    let pid: number;
    try {
      pid = Number(readFileSync(join(this.dir, `broker-${this.port}`, 'kafka.pid'), 'utf8').trim());
    } catch {
      return;
    }
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
    await waitFor(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 15_000, 'the broker to exit');
  }

  async destroy(): Promise<void> {
    await this.kill().catch(() => undefined);
    await this.script('clean').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function postgresIds(): Promise<[number, number]> {
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return [Number(uid.trim()), Number(gid.trim())];
}

async function freePortPair(port: number): Promise<boolean> {
  return port < 65_000 && !(await portOpen(port + 1));
}
