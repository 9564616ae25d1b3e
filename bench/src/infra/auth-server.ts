import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { REPO_DIR } from '../proto.codec.ts';

export interface AuthServer {
  pid: number;
  /** host:port of the gRPC server. */
  address: string;
  metricsUrl: string;
  /** Resident set size now, from /proc (bytes). */
  rss(): number;
  output(): string;
  /** SIGTERM (graceful), resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** A free TCP port on loopback (the HTTP side port has no "0 = any": 0 turns it off). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts the built server (`apps/grpc-server/dist/main.js serve`) exactly as deployed, with only the given
 * AUTH_* settings; resolves once it logs its gRPC port. Its log goes to `logFile` (appended), not through a
 * pipe the bench would have to read under load. `cpuProfileDir` adds `--cpu-prof` (written at exit).
 */
export async function startAuthServer(env: Record<string, string>, logFile: string, options: { cpuProfileDir?: string; inspect?: boolean } = {}): Promise<AuthServer> {
  const httpPort = await freePort();
  const args = [
    // The node settings every start command of the server uses (heap bounds); a NODE_OPTIONS in `env` replaces them.
    `--env-file=${REPO_DIR}apps/grpc-server/node-options.env`,
    ...(options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : []),
    ...(options.inspect ? ['--inspect=127.0.0.1:0'] : []),
    `${REPO_DIR}apps/grpc-server/dist/main.js`,
    'serve',
  ];
  const startOffset = existsSync(logFile) ? statSync(logFile).size : 0;
  const fd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: REPO_DIR,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env, AUTH_GRPC_PORT: '0', AUTH_HTTP_PORT: String(httpPort) },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const output = (): string => readFileSync(logFile, 'utf8').slice(startOffset);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + 60_000;
  let port: number | undefined;
  while (port === undefined) {
    const match = /gRPC listening on [^:\s]+:(\d+)/.exec(output());
    if (match) port = Number(match[1]);
    else if (exitCode !== undefined) throw new Error(`server exited with ${exitCode} before listening:\n${output().slice(-4_000)}`);
    else if (Date.now() > deadline) throw new Error(`server did not start within 60 s:\n${output().slice(-4_000)}`);
    else await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const pid = child.pid!;
  return {
    pid,
    address: `127.0.0.1:${port}`,
    metricsUrl: `http://127.0.0.1:${httpPort}/metrics`,
    rss: () => {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Number(match[1]) * 1_024 : Number.NaN;
    },
    output,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Reads samples from the server's Prometheus text in one scrape: `series` are full names with labels. */
export async function scrapeMetrics(metricsUrl: string, series: string[]): Promise<(number | null)[]> {
  const text = await (await fetch(metricsUrl)).text();
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    if (at > 0) values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series.map((name) => values.get(name) ?? null);
}

export async function scrapeMetric(metricsUrl: string, series: string): Promise<number | null> {
  return (await scrapeMetrics(metricsUrl, [series]))[0]!;
}

/** Spawns a helper process that prints `port N` and resolves with it (the bare transport server). */
export async function startPortPrinter(file: string): Promise<{ address: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--no-warnings', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /port (\d+)/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  return {
    address: `127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')))),
  };
}
