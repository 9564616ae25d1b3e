import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.util.js';
import { waitFor } from './wait.util.js';

/** True when a redis-server binary is on PATH (the machine's Redis package provides it). */
export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface PrivateRedisOptions {
  /** Set with --requirepass: clients must AUTH. */
  password?: string;
  /** Appended to the command line, e.g. ['--replicaof', '127.0.0.1', '6380']. */
  extraArgs?: string[];
}

/**
 * A throw-away redis-server child process of the test's own, nothing persisted, which the test may kill, freeze and
 * start again on the same port without disturbing the suites that share the machine's Redis.
 */
export class PrivateRedis {
  readonly password: string | undefined;
  readonly #extraArgs: string[];
  #child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    options: PrivateRedisOptions = {},
  ) {
    this.password = options.password;
    this.#extraArgs = options.extraArgs ?? [];
  }

  /** One on a free port, not started yet. */
  static async create(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
    return new PrivateRedis(await freePort(), options);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Where a replica's full sync puts its RDB file; removed by kill(). */
  get #rdbFile(): string {
    return `authsvc-test-${this.port}.rdb`;
  }

  /** Starts (or starts again after kill()) and resolves once it answers PING. */
  async start(): Promise<void> {
    // --dir: a replica's full sync writes an RDB file even with --save '' (into the current folder, without it).
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir(), '--dbfilename', this.#rdbFile];
    if (this.password !== undefined) args.push('--requirepass', this.password);
    this.#child = spawn('redis-server', [...args, ...this.#extraArgs], { stdio: 'ignore' });
    await waitFor(() => answersPing(this.port, this.password), 10_000, `redis-server on port ${this.port}`, 50);
  }

  /** SIGKILL: the service disappears at once, as in a crash; resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(join(tmpdir(), this.#rdbFile), { force: true });
  }

  /** Freezes (SIGSTOP) or thaws (SIGCONT) the server: connections stay open but nothing is answered. */
  freeze(frozen: boolean): void {
    this.#child?.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  /** Runs one command with a one-line reply (REPLICAOF, CONFIG SET...) on a connection of its own, after AUTH when it has a password. */
  run(...words: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.port, '127.0.0.1');
      const expectedLines = this.password === undefined ? 1 : 2;
      let reply = '';
      socket.setTimeout(5_000, () => {
        socket.destroy();
        reject(new Error(`redis-server on port ${this.port} did not answer ${words[0]}`));
      });
      socket.once('error', reject);
      socket.once('connect', () => socket.write(`${this.password === undefined ? '' : command('AUTH', this.password)}${command(...words)}`));
      socket.on('data', (chunk: Buffer) => {
        reply += chunk.toString('latin1');
        const lines = reply.split('\r\n');
        if (lines.length > expectedLines) {
          socket.destroy();
          const answer = lines[expectedLines - 1]!;
          if (answer.startsWith('-')) reject(new Error(`${words[0]}: ${answer.slice(1)}`));
          else resolve(answer);
        }
      });
    });
  }
}

/** One RESP command as an array of bulk strings (safe for any password). */
function command(...words: string[]): string {
  return `*${words.length}\r\n${words.map((word) => `$${Buffer.byteLength(word)}\r\n${word}\r\n`).join('')}`;
}

/** True when the server on `port` answers PING with PONG (after AUTH when it has a password). */
function answersPing(port: number, password: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const expectedLines = password === undefined ? 1 : 2;
    let reply = '';
    const finish = (answered: boolean): void => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
    socket.once('connect', () => socket.write(`${password === undefined ? '' : command('AUTH', password)}${command('PING')}`));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (reply.split('\r\n').length > expectedLines) finish(reply.includes('+PONG\r\n'));
    });
  });
}
