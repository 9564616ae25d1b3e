import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { APP_DIR } from '../workspace-paths.util.js';
import { appScriptArgs, childEnvironment, defaultAppEntry, type AppEntry } from './app-entry.util.js';

export interface ServerProcessOptions {
  /** The process's whole environment besides PATH and HOME (AUTH_GRPC_PORT=0 lets it pick a port). */
  env: Record<string, string>;
  /** Default: defaultAppEntry(). */
  entry?: AppEntry;
  /** The CLI arguments; default `serve`. */
  args?: string[];
  /**
   * Appends the output to this file, written by the child itself; output() reads it back. Without it the output is
   * piped into memory. The file suits long or loaded runs: no pipe for the runner to drain, and it outlives the run.
   */
  logFile?: string;
  /** Passes apps/grpc-server/node-options.env with --env-file, as every production start command does. */
  nodeOptionsFile?: boolean;
  /** Adds --cpu-prof, the profile written into this folder at exit. */
  cpuProfileDir?: string;
  /** Adds --inspect on a port of its choosing (the URL is in the output). */
  inspect?: boolean;
  /** Rejects when the process has not logged its gRPC port this long after the spawn; default 90 s. */
  startTimeoutMs?: number;
  /** stop() sends SIGKILL when the process is still there this long after its signal; default: it waits. */
  killAfterMs?: number;
}

export interface ServerProcess {
  /** host:port of its gRPC server. */
  readonly address: string;
  readonly pid: number;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Its JSON log lines so far, parsed. */
  logLines(): Record<string, unknown>[];
  /** Resident set size now, in bytes, from /proc. */
  rss(): number;
  alive(): boolean;
  /** Sends the signal (when it still runs) and resolves with the exit code, null when a signal ended it. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

// Both log formats: JSON (`"port":N ... gRPC listening`) and pretty (`gRPC listening on host:N`).
const LISTENING = /"port":(\d+)[^\n]*gRPC listening|gRPC listening on [^:\s]+:(\d+)/;

/** Starts the gRPC app (`serve` unless told otherwise) and resolves once it logs the port it listens on. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const { entry = defaultAppEntry(), args = ['serve'], logFile, startTimeoutMs = 90_000, killAfterMs } = options;
  const nodeArgs = [
    // The heap bounds every start command of the server uses; a NODE_OPTIONS in `env` replaces them.
    ...(options.nodeOptionsFile ? [`--env-file=${join(APP_DIR, 'node-options.env')}`] : []),
    ...(options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : []),
    ...(options.inspect ? ['--inspect=127.0.0.1:0'] : []),
    ...appScriptArgs('src/main.ts', entry),
    ...args,
  ];
  const startOffset = logFile && existsSync(logFile) ? statSync(logFile).size : 0;
  const fd = logFile ? openSync(logFile, 'a') : undefined;
  const child = spawn(process.execPath, nodeArgs, { cwd: APP_DIR, env: childEnvironment(options.env), stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'] });
  if (fd !== undefined) closeSync(fd);
  let piped = '';
  child.stdout?.on('data', (chunk: Buffer) => (piped += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (piped += chunk.toString('utf8')));
  const output = logFile ? (): string => readFileSync(logFile, 'utf8').slice(startOffset) : (): string => piped;
  // 'close', not 'exit': a piped output is read to its end before stop() resolves.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;

  const deadline = Date.now() + startTimeoutMs;
  let port: number | undefined;
  while (port === undefined) {
    const match = LISTENING.exec(output());
    if (match) port = Number(match[1] ?? match[2]);
    else if (!alive()) throw new Error(`server exited with ${child.exitCode ?? child.signalCode} before listening:\n${output().slice(-4_000)}`);
    else if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start within ${startTimeoutMs} ms:\n${output().slice(-4_000)}`);
    } else await new Promise((resolve) => setTimeout(resolve, 25));
  }

  const pid = child.pid!;
  return {
    address: `127.0.0.1:${port}`,
    pid,
    output,
    logLines: () =>
      output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    rss: () => {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Number(match[1]) * 1_024 : Number.NaN;
    },
    alive,
    stop: async (signal = 'SIGTERM') => {
      if (!alive()) return exited;
      child.kill(signal);
      if (killAfterMs === undefined) return exited;
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
