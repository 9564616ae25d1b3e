import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.command.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logging/create-logger.js';
import { temporaryDir } from './support/admin-harness.js';
import { runCliScript } from './support/cli-process.js';

describe('the container health check (src/admin/healthcheck.ts)', () => {
  it('exits 0 with SERVING while the server serves, and 1 once it is gone', async () => {
    const dir = temporaryDir();
    const env = { AUTH_DATA_DIR: dir.path, AUTH_GRPC_HOST: '0.0.0.0', AUTH_PASSWORD_BCRYPT_COST: '4', AUTH_PASSWORD_HASH_THREADS: '1' };
    const server = await startServer(loadConfig({ env: { ...env, AUTH_GRPC_PORT: '0' } }).config, createLogger({ level: 'silent' }));
    try {
      // As in the image: bound to 0.0.0.0, probed on loopback at the configured port.
      const serving = await runCliScript('src/admin/healthcheck.ts', { ...env, AUTH_GRPC_PORT: String(server.grpcPort) });
      expect(serving).toMatchObject({ code: 0, stdout: 'SERVING\n' });
    } finally {
      await server.stop();
    }
    try {
      const gone = await runCliScript('src/admin/healthcheck.ts', { ...env, AUTH_GRPC_PORT: String(server.grpcPort) });
      expect(gone.code).toBe(1);
      expect(gone.stdout).toMatch(/^error: /);
    } finally {
      dir.remove();
    }
  }, 180_000);
});
