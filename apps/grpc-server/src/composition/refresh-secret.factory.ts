import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError } from '../config/config.errors.js';
import type { AppConfig } from '../config/config.types.js';
import { envVarOf } from '../config/option-table.config.js';
import type { AppLogger } from '../logging/logger.factory.js';
import { readIfExists, writeSecretFile } from './secret-file.util.js';

export const GENERATED_SECRET_FILE = 'refresh-token.secret';
const MIN_BYTES = 32;

function decode(text: string, yamlKey: string, where: string): Uint8Array {
  const value = text.trim();
  const bytes = Buffer.from(value, 'base64url');
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(value) || bytes.length < MIN_BYTES) {
    throw new ConfigError([{ envVar: envVarOf(yamlKey.split('.')), yamlKey, message: `${where} must hold base64url decoding to at least ${MIN_BYTES} bytes` }]);
  }
  return new Uint8Array(bytes);
}

/**
 * The HMAC key of refresh tokens: session.refreshTokenSecret, else the file session.refreshTokenSecretFile,
 * else (embedded mode) <dataDir>/refresh-token.secret, generated on first start with a warning.
 */
export async function loadRefreshTokenSecret(config: AppConfig, logger: AppLogger): Promise<Uint8Array> {
  const { refreshTokenSecret, refreshTokenSecretFile } = config.session;
  if (refreshTokenSecret !== undefined) return decode(refreshTokenSecret, 'session.refreshTokenSecret', 'the value');
  if (refreshTokenSecretFile !== undefined) {
    const text = await readIfExists(refreshTokenSecretFile);
    if (text === null) {
      throw new ConfigError([
        { envVar: envVarOf(['session', 'refreshTokenSecretFile']), yamlKey: 'session.refreshTokenSecretFile', message: `file ${refreshTokenSecretFile} does not exist` },
      ]);
    }
    return decode(text, 'session.refreshTokenSecretFile', `file ${refreshTokenSecretFile}`);
  }
  const file = join(config.dataDir, GENERATED_SECRET_FILE);
  const existing = await readIfExists(file);
  if (existing !== null) return decode(existing, 'session.refreshTokenSecretFile', `file ${file}`);
  const secret = randomBytes(MIN_BYTES).toString('base64url');
  if ((await writeSecretFile(file, `${secret}\n`)) === 'exists') return decode((await readIfExists(file)) ?? '', 'session.refreshTokenSecretFile', `file ${file}`);
  logger.warn({ file }, 'generated a refresh-token secret for embedded mode; for production set session.refreshTokenSecretFile (AUTH_SESSION_REFRESH_TOKEN_SECRET_FILE)');
  return decode(secret, 'session.refreshTokenSecretFile', `file ${file}`);
}
