import { join } from 'node:path';
import { generateSigningKey, parseSigningKeySet, type SigningKeyMaterial } from '@authsvc/core';
import { ConfigError } from '../config/config.errors.js';
import type { AppConfig } from '../config/config.types.js';
import { envVarOf } from '../config/option-table.config.js';
import type { AppLogger } from '../logging/logger.factory.js';
import { readIfExists, writeSecretFile } from './secret-file.util.js';

export const GENERATED_KEYS_FILE = 'signing-keys.json';

const keysFileProblem = (message: string) => new ConfigError([{ envVar: envVarOf(['jwt', 'keysFile']), yamlKey: 'jwt.keysFile', message }]);

function parse(text: string, file: string): SigningKeyMaterial[] {
  try {
    return parseSigningKeySet(JSON.parse(text));
  } catch (error) {
    // The parser's messages name the key and member, never key material; JSON.parse's may quote content, so not those.
    const reason = error instanceof SyntaxError ? 'not valid JSON' : (error as Error).message;
    throw keysFileProblem(`${file}: ${reason}`);
  }
}

/**
 * The access-token signing keys: from jwt.keysFile when set; in embedded mode otherwise from
 * <dataDir>/signing-keys.json, generated (owner-only) on first start with a warning.
 */
export async function loadSigningKeys(config: AppConfig, logger: AppLogger): Promise<SigningKeyMaterial[]> {
  if (config.jwt.keysFile !== undefined) {
    const text = await readIfExists(config.jwt.keysFile);
    if (text === null) throw keysFileProblem(`file ${config.jwt.keysFile} does not exist`);
    return parse(text, config.jwt.keysFile);
  }
  const file = join(config.dataDir, GENERATED_KEYS_FILE);
  const existing = await readIfExists(file);
  if (existing !== null) return parse(existing, file);
  const key = await generateSigningKey(config.jwt.algorithm);
  if ((await writeSecretFile(file, `${JSON.stringify({ keys: [key] }, null, 2)}\n`)) === 'exists') {
    return parse((await readIfExists(file)) ?? '', file);
  }
  logger.warn(
    { file, kid: key.kid, alg: key.alg },
    'generated a signing key pair for embedded mode; for production set jwt.keysFile (AUTH_JWT_KEYS_FILE) to a managed key set',
  );
  return [key];
}
