import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, temporaryDir } from '@authsvc/test-support';
import { runServerCommand, type CommandResult } from '@authsvc/test-support/server';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.command.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { createLogger } from '../../src/logging/logger.factory.js';
import { createTestPki } from '../grpc/support/test-certificates.support.js';

/** Runs the health check script (src/cli/healthcheck.command.ts, or its dist/ twin) with only the given environment. */
function runHealthcheck(env: Record<string, string>, args: string[] = []): Promise<CommandResult> {
  return runServerCommand(args, { env, script: 'src/cli/healthcheck.command.ts' });
}

/** A YAML configuration file in `dir` for an embedded-mode server on `port`, plus `extra` lines. */
function writeConfig(dir: string, name: string, port: number, extra: string[] = []): string {
  const file = join(dir, name);
  const grpc = [`  host: 0.0.0.0`, `  port: ${port}`, ...extra.map((line) => `  ${line}`)];
  // Bound to 0.0.0.0 like the image, so embedded mode with generated secrets needs the explicit allowance.
  const lines = [`dataDir: ${JSON.stringify(join(dir, 'data'))}`, 'allowInsecureEmbedded: true', 'grpc:', ...grpc, 'password:', '  bcryptCost: 4', '  hashThreads: 1', ''];
  writeFileSync(file, lines.join('\n'));
  return file;
}

async function withServer(configFile: string, body: () => Promise<void>): Promise<void> {
  const server = await startServer(loadConfig({ env: {}, configFile }).config, createLogger({ level: 'silent' }));
  try {
    await body();
  } finally {
    await server.stop();
  }
}

describe('the container health check (src/cli/healthcheck.command.ts)', () => {
  it('exits 0 with SERVING while the server serves, and 1 once it is gone', async () => {
    const dir = temporaryDir();
    const env = { AUTH_DATA_DIR: dir.path, AUTH_GRPC_HOST: '0.0.0.0', AUTH_ALLOW_INSECURE_EMBEDDED: 'true', AUTH_PASSWORD_BCRYPT_COST: '4', AUTH_PASSWORD_HASH_THREADS: '1' };
    const server = await startServer(loadConfig({ env: { ...env, AUTH_GRPC_PORT: '0' } }).config, createLogger({ level: 'silent' }));
    try {
      // As in the image: bound to 0.0.0.0, probed on loopback at the configured port.
      const serving = await runHealthcheck({ ...env, AUTH_GRPC_PORT: String(server.grpcPort) });
      expect(serving).toMatchObject({ code: 0, stdout: 'SERVING\n' });
    } finally {
      await server.stop();
    }
    try {
      const gone = await runHealthcheck({ ...env, AUTH_GRPC_PORT: String(server.grpcPort) });
      expect(gone.code).toBe(1);
      expect(gone.stdout).toMatch(/^error: /);
    } finally {
      dir.remove();
    }
  }, 180_000);

  it('reads the server address from --config <file>, as serve does, with the environment winning over the file', async () => {
    const dir = temporaryDir();
    try {
      const [port, wrongPort] = [await freePort(), await freePort()];
      const config = writeConfig(dir.path, 'authsvc.yaml', port);
      const wrong = writeConfig(dir.path, 'wrong-port.yaml', wrongPort);
      await withServer(config, async () => {
        const serving = await runHealthcheck({}, ['--config', config]);
        expect(serving).toMatchObject({ code: 0, stdout: 'SERVING\n' });
        expect(await runHealthcheck({}, ['-c', config])).toMatchObject({ code: 0, stdout: 'SERVING\n' });

        const wrongPortResult = await runHealthcheck({}, ['--config', wrong]);
        expect(wrongPortResult.code).toBe(1);
        expect(wrongPortResult.stdout).toMatch(/^error: /);

        // AUTH_GRPC_PORT over the file's port, as for the server.
        expect(await runHealthcheck({ AUTH_GRPC_PORT: String(port) }, ['--config', wrong])).toMatchObject({ code: 0, stdout: 'SERVING\n' });
      });
      const missing = await runHealthcheck({}, ['--config', join(dir.path, 'missing.yaml')]);
      expect(missing.code).toBe(1);
      expect(missing.stdout).toMatch(/^health check failed: [\s\S]*cannot read YAML file .*missing\.yaml/);
    } finally {
      dir.remove();
    }
  }, 180_000);

  it('speaks TLS to a server with a certificate, and under mutual TLS says it cannot instead of failing obscurely', async () => {
    const dir = temporaryDir();
    try {
      // As in production: signed by a CA (not self-signed) and naming the public host, not the loopback address probed.
      const pki = createTestPki('DNS:auth.example.com');
      const files = { ca: join(dir.path, 'ca.crt'), cert: join(dir.path, 'server.crt'), key: join(dir.path, 'server.key') };
      writeFileSync(files.ca, pki.ca);
      writeFileSync(files.cert, pki.serverCert);
      writeFileSync(files.key, pki.serverKey);
      const tlsLines = [`tlsCert: ${JSON.stringify(files.cert)}`, `tlsKey: ${JSON.stringify(files.key)}`];

      const port = await freePort();
      const tlsConfig = writeConfig(dir.path, 'tls.yaml', port, tlsLines);
      // The probe trusts the configured certificate, not any: a server presenting another one is not SERVING.
      const otherCert = join(dir.path, 'other.crt');
      writeFileSync(otherCert, createTestPki('DNS:auth.example.com').serverCert);
      const otherConfig = writeConfig(dir.path, 'other.yaml', port, [`tlsCert: ${JSON.stringify(otherCert)}`, `tlsKey: ${JSON.stringify(files.key)}`]);
      await withServer(tlsConfig, async () => {
        expect(await runHealthcheck({}, ['--config', tlsConfig])).toMatchObject({ code: 0, stdout: 'SERVING\n' });
        const distrusted = await runHealthcheck({}, ['--config', otherConfig]);
        expect(distrusted.code).toBe(1);
        expect(distrusted.stdout).toMatch(/^error: /);
      });

      const mtlsConfig = writeConfig(dir.path, 'mtls.yaml', await freePort(), [...tlsLines, `tlsClientCa: ${JSON.stringify(files.ca)}`]);
      await withServer(mtlsConfig, async () => {
        const refused = await runHealthcheck({}, ['--config', mtlsConfig]);
        expect(refused.code).toBe(1);
        expect(refused.stdout).toMatch(/grpc\.tlsClientCa.*\/readyz/);
      });
    } finally {
      dir.remove();
    }
  }, 180_000);
});
