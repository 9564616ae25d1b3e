import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { authFileDescriptorSet } from '../../src/connect/auth-service-schema.codec.js';

const PAGE_SCRIPT = fileURLToPath(new URL('./auth-page.support.ts', import.meta.url));

/** The page script bundled for the browser (one ES2022 file), with the service's descriptors put in. */
export async function bundlePageScript(): Promise<string> {
  const result = await build({
    entryPoints: [PAGE_SCRIPT],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    define: { AUTH_DESCRIPTORS: JSON.stringify(Buffer.from(authFileDescriptorSet()).toString('base64')) },
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** The test page's own origin: serves the page and its script, and receives what the page reports. */
export class PageServer {
  readonly #server: Server;
  readonly #results: unknown[] = [];

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(script: string): Promise<PageServer> {
    const server = createServer();
    const page = new PageServer(server);
    server.on('request', (request, response) => {
      if (request.method === 'POST' && request.url === '/result') {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          page.#results.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          response.writeHead(204).end();
        });
      } else if (request.url === '/page.js') {
        response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
      } else if (request.url?.startsWith('/?') || request.url === '/') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>running</title><script type="module" src="/page.js"></script>');
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return page;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** What the page posted to /result, in order. */
  get results(): readonly unknown[] {
    return this.#results;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** Debian's chromium, headless, on `url`, with a profile of its own; stop() ends exactly this process. */
export function launchChromium(url: string, profileDir: string): { process: ChildProcess; output: () => string; stop: () => void } {
  const browser = spawn(
    process.env['CHROMIUM_BIN'] ?? 'chromium',
    ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check', `--user-data-dir=${profileDir}`, url],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  browser.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  browser.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return {
    process: browser,
    output: () => output,
    stop: () => {
      if (browser.exitCode === null && browser.signalCode === null) browser.kill('SIGKILL');
    },
  };
}
