import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryDir } from '@authsvc/test-support';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.command.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { capturingLogger } from './support/capturing-logger.support.js';

const modeOf = (path: string): number => statSync(path).mode & 0o777;

async function startAndStop(dataDir: string): Promise<string[]> {
  const { logger, lines } = capturingLogger();
  const env = { AUTH_DATA_DIR: dataDir, AUTH_GRPC_PORT: '0', AUTH_PASSWORD_BCRYPT_COST: '4', AUTH_PASSWORD_HASH_THREADS: '1' };
  const server = await startServer(loadConfig({ env }).config, logger);
  await server.stop();
  return lines;
}

// The data folder of embedded mode holds the whole account database and the generated secrets; PGlite itself writes
// its files 0666, so the folders are what keeps other users of the machine out.
describe('the embedded data folder', () => {
  it('is created owner-only (0700), its PGlite folder too, and the generated key and secret are 0600', async () => {
    const dir = temporaryDir();
    try {
      const dataDir = join(dir.path, 'nested', 'data');
      await startAndStop(dataDir);
      expect(modeOf(join(dir.path, 'nested')).toString(8)).toBe('700');
      expect(modeOf(dataDir).toString(8)).toBe('700');
      expect(modeOf(join(dataDir, 'pglite')).toString(8)).toBe('700');
      expect(modeOf(join(dataDir, 'signing-keys.json')).toString(8)).toBe('600');
      expect(modeOf(join(dataDir, 'refresh-token.secret')).toString(8)).toBe('600');
    } finally {
      dir.remove();
    }
  }, 180_000);

  it('narrows a PGlite folder left open by an older version, and warns about a data folder it leaves as it is', async () => {
    const dir = temporaryDir();
    try {
      const dataDir = join(dir.path, 'data');
      mkdirSync(join(dataDir, 'pglite'), { recursive: true });
      chmodSync(dataDir, 0o755);
      chmodSync(join(dataDir, 'pglite'), 0o755);
      const lines = await startAndStop(dataDir);
      expect(modeOf(join(dataDir, 'pglite')).toString(8)).toBe('700');
      expect(modeOf(dataDir).toString(8)).toBe('755');
      expect(lines.some((line) => line.includes('the data folder is open to other users') && line.includes('"mode":"755"'))).toBe(true);
      expect(lines.some((line) => line.includes('the PGlite folder was open to other users'))).toBe(true);
    } finally {
      dir.remove();
    }
  }, 180_000);
});
