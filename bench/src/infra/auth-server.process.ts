import { spawn } from 'node:child_process';
import { freePort } from '@authsvc/test-support';
import { startServerProcess, type ServerProcess } from '@authsvc/test-support/server';

export interface AuthServer extends ServerProcess {
  /** The Prometheus endpoint of its HTTP side port. */
  metricsUrl: string;
}

/**
 * Starts the built server (`apps/grpc-server/dist/main.js serve`) exactly as deployed (node-options.env included),
 * with only the given AUTH_* settings; resolves once it logs its gRPC port. Its log goes to `logFile` (appended), not
 * through a pipe the bench would have to read under load. `cpuProfileDir` adds `--cpu-prof` (written at exit).
 */
export async function startAuthServer(env: Record<string, string>, logFile: string, options: { cpuProfileDir?: string; inspect?: boolean } = {}): Promise<AuthServer> {
  // The HTTP side port has no "0 = any" (0 turns it off): the bench picks one.
  const httpPort = await freePort();
  const server = await startServerProcess({
    env: { ...env, AUTH_GRPC_PORT: '0', AUTH_HTTP_PORT: String(httpPort) },
    entry: 'dist',
    logFile,
    nodeOptionsFile: true,
    cpuProfileDir: options.cpuProfileDir,
    inspect: options.inspect ?? false,
    startTimeoutMs: 60_000,
    killAfterMs: 30_000,
  });
  return { ...server, metricsUrl: `http://127.0.0.1:${httpPort}/metrics` };
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
