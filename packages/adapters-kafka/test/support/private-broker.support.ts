import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../../../scripts/kafka/broker.sh', import.meta.url));

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A Kafka broker of the test's own (scripts/kafka/broker.sh on free ports and a temporary directory), which the
 * test may stop and start without disturbing the suites that share the run's broker.
 */
export class PrivateBroker {
  private constructor(
    private readonly port: number,
    private readonly dir: string,
  ) {}

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async create(): Promise<PrivateBroker> {
    for (let tries = 0; tries < 50; tries += 1) {
      const port = 20_000 + 2 * Math.floor(Math.random() * 4_000);
      if ((await portFree(port)) && (await portFree(port + 1))) {
        return new PrivateBroker(port, await mkdtemp(path.join(tmpdir(), 'authsvc-kafka-')));
      }
    }
    throw new Error('no two free ports for a private Kafka broker');
  }

  #script(command: 'start' | 'stop' | 'clean'): Promise<unknown> {
    const args = [SCRIPT, command, '--port', String(this.port), '--controller-port', String(this.port + 1), '--dir', this.dir];
    return run('bash', args, { timeout: 170_000 });
  }

  /** Starts (or restarts, keeping its topics) and resolves once it answers metadata requests. */
  async start(): Promise<void> {
    await this.#script('start');
  }

  async stop(): Promise<void> {
    await this.#script('stop');
  }

  /** Stops it and deletes its data. */
  async destroy(): Promise<void> {
    await this.#script('clean').catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
