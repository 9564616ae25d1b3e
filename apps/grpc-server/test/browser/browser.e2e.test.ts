import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { locateService, temporaryDir, waitFor } from '@authsvc/test-support';
import { createTestDatabase } from '@authsvc/test-support/resources';
import { serverCommandOutput, startServerProcess, type ServerProcess } from '@authsvc/test-support/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnvironment } from '../e2e/support/server-environment.support.js';
import { bundlePageScript, launchChromium, PageServer } from './browser-page.support.js';

const chromium = process.env['CHROMIUM_BIN'] ?? 'chromium';
const hasChromium = spawnSync(chromium, ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasChromium) {
  const line = `headless Chromium not found (${chromium}): install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_BIN`;
  if (process.env['CI'] === 'true') throw new Error(line);
  console.warn(`SKIPPED browser suite: ${line}`);
}

const noContainer = async (): Promise<never> => {
  throw new Error('the browser suite uses the machine\'s PostgreSQL: set DATABASE_URL');
};
// PostgreSQL rather than embedded PGlite: PGlite's start-up takes minutes on a loaded two-core machine.
const postgres = await locateService({ name: 'PostgreSQL (browser)', envVar: 'DATABASE_URL', startContainer: noContainer });
const runId = `browser_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

interface Outcome {
  protocol: string;
  registeredId?: string;
  loginAccountId?: string;
  profileUsername?: string;
  refreshedDiffers?: boolean;
  wrongPasswordCode?: string;
  error?: string;
}

describe.skipIf(!hasChromium || !postgres)('a real browser (headless Chromium) calls the service through @connectrpc/connect-web', () => {
  const dataDir = temporaryDir('authsvc-browser-');
  const profileDir = temporaryDir('authsvc-chromium-');
  let page: PageServer;
  let server: ServerProcess;
  let webBaseUrl: string;
  let dropDatabase = async (): Promise<void> => {};

  beforeAll(async () => {
    page = await PageServer.start(await bundlePageScript());
    const database = await createTestDatabase(postgres!.url, runId);
    dropDatabase = database.drop;
    const keysFile = join(dataDir.path, 'signing-keys.json');
    await serverCommandOutput(['keys', 'generate', '--out', keysFile]);
    server = await startServerProcess({
      env: {
        ...baseEnvironment(dataDir.path),
        AUTH_DATABASE_URL: database.url,
        AUTH_DATABASE_MIGRATE: 'true',
        AUTH_JWT_KEYS_FILE: keysFile,
        AUTH_SESSION_REFRESH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
        AUTH_WEB_PORT: '0',
        AUTH_WEB_HOST: '127.0.0.1',
        AUTH_WEB_ALLOWED_ORIGINS: page.origin,
      },
    });
    let port: number | undefined;
    await waitFor(() => {
      const line = server.logLines().find((l) => String(l['msg']).startsWith('Connect and gRPC-Web on'));
      port = line ? Number(line['port']) : undefined;
      return port !== undefined;
    }, 30_000, 'the Connect and gRPC-Web port in the log');
    webBaseUrl = `http://127.0.0.1:${port}`;
  }, 120_000);

  afterAll(async () => {
    await server?.stop('SIGTERM');
    await page?.close();
    await dropDatabase();
    dataDir.remove();
    profileDir.remove();
  }, 60_000);

  it('a page of an allowed origin registers, logs in, reads its profile and refreshes, with the Connect protocol and with gRPC-Web', async () => {
    const browser = launchChromium(`${page.origin}/?api=${encodeURIComponent(webBaseUrl)}`, profileDir.path);
    try {
      await waitFor(() => page.results.length > 0, 60_000, `the page's report (chromium output: ${browser.output().slice(-2_000)})`);
    } finally {
      browser.stop();
    }
    const report = page.results[0] as { origin: string; outcomes: Outcome[]; fatal?: string };
    expect(report.fatal).toBeUndefined();
    expect(report.origin).toBe(page.origin);
    expect(report.outcomes.map((o) => o.protocol)).toEqual(['connect', 'grpc-web']);
    for (const outcome of report.outcomes) {
      expect(outcome.error).toBeUndefined();
      expect(outcome.registeredId).toMatch(/^[0-9a-f-]{36}$/);
      expect(outcome.loginAccountId).toBe(outcome.registeredId);
      expect(outcome.profileUsername).toMatch(/^web_/);
      expect(outcome.refreshedDiffers).toBe(true);
      // Code.Unauthenticated (16): the failure reaches the page with its code.
      expect(outcome.wrongPasswordCode).toBe('16');
    }
    // The server handled every call through its one pipeline: one access-log line per call, from the page's browser.
    // The line of a call is written after its answer left, and reaches this process through a pipe: the page may
    // report before the last lines arrive.
    const rpcLines = () => server.logLines().filter((l) => l['component'] === 'connect' && l['msg'] === 'rpc');
    await waitFor(() => rpcLines().length >= 10, 10_000, 'an access-log line for each of the 10 calls').catch(() => undefined);
    const lines = rpcLines();
    expect(lines.map((l) => `${String(l['method'])} ${String(l['code'])}`)).toEqual(
      [1, 2].flatMap(() => ['RegisterUser OK', 'Login OK', 'GetUser OK', 'RefreshToken OK', 'Login UNAUTHENTICATED']),
    );
  }, 120_000);
});
