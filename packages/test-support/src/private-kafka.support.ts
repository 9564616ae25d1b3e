import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, portBindable } from './free-port.util.js';
import { temporaryDir } from './temporary-dir.util.js';
import { waitFor } from './wait.util.js';
import { WORKSPACE_ROOT } from './workspace-paths.util.js';

const run = promisify(execFile);
const BROKER_SCRIPT = join(WORKSPACE_ROOT, 'scripts', 'kafka', 'broker.sh');

export interface PrivateKafkaOptions {
  /** KAFKA_HEAP_OPTS of the broker's JVM (broker.sh's default otherwise). */
  heapOpts?: string;
}

/**
 * A Kafka broker of the test's own (scripts/kafka/broker.sh on two free ports and a temporary folder), which the test
 * may stop, kill and start again, keeping its topics, without disturbing the suites that share the run's broker.
 */
export class PrivateKafka {
  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly options: PrivateKafkaOptions,
  ) {}

  /** A broker on a free port whose next port (the controller's) is free too, not started yet. */
  static async create(options: PrivateKafkaOptions = {}): Promise<PrivateKafka> {
    for (let tries = 0; tries < 50; tries += 1) {
      const port = await freePort();
      if (port < 65_000 && (await portBindable(port + 1))) return new PrivateKafka(port, temporaryDir('authsvc-kafka-').path, options);
    }
    throw new Error('no two free neighbouring ports for a private Kafka broker');
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts (or starts again, keeping its topics) and resolves once it answers metadata requests. */
  async start(): Promise<void> {
    await this.#script('start');
  }

  /** A controlled shutdown. */
  async stop(): Promise<void> {
    await this.#script('stop');
  }

  /** SIGKILL of the broker's JVM (a crash: no controlled shutdown); resolves once it is gone. */
  async kill(): Promise<void> {
    let pid: number;
    try {
      pid = Number(readFileSync(join(this.dir, `broker-${this.port}`, 'kafka.pid'), 'utf8').trim());
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
    await waitFor(() => !processExists(pid), 15_000, 'the broker to exit');
  }

  /** Kills it and deletes its data (its topics go with it). */
  async destroy(): Promise<void> {
    await this.kill().catch(() => undefined);
    await this.#script('clean').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  #script(action: 'start' | 'stop' | 'clean'): Promise<unknown> {
    const args = [BROKER_SCRIPT, action, '--port', String(this.port), '--controller-port', String(this.port + 1), '--dir', this.dir];
    const env = this.options.heapOpts === undefined ? process.env : { ...process.env, KAFKA_HEAP_OPTS: this.options.heapOpts };
    return run('bash', args, { timeout: 180_000, env });
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
