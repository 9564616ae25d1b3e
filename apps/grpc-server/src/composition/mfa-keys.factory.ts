import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SecretBox, type SecretBoxKey } from '@authsvc/core';
import { ConfigError } from '../config/config.errors.js';
import { isEmbedded, type AppConfig } from '../config/config.types.js';
import { envVarOf } from '../config/option-table.config.js';
import type { AppLogger } from '../logging/logger.factory.js';
import { readIfExists, writeSecretFile } from './secret-file.util.js';

export const GENERATED_MFA_KEYS_FILE = 'mfa-encryption.keys';

/** `<id>:<base64url of 32 bytes>` entries (commas, spaces or new lines between), the first sealing. */
function parse(entries: readonly string[], yamlKey: string, where: string): SecretBoxKey[] {
  const fail = (message: string): never => {
    throw new ConfigError([{ envVar: envVarOf(yamlKey.split('.')), yamlKey, message: `${where}: ${message}` }]);
  };
  const keys = entries.map((entry) => {
    const match = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]{43}=?)$/.exec(entry.trim());
    if (match === null) return fail('each key must be <id>:<base64url of 32 bytes> (id: letters, digits, _ or -, at most 32)');
    return { id: match[1]!, key: new Uint8Array(Buffer.from(match[2]!, 'base64url')) };
  });
  if (keys.length === 0) fail('at least one key is required');
  if (new Set(keys.map((k) => k.id)).size !== keys.length) fail('a key id is given twice');
  return keys;
}

const entriesOf = (text: string): string[] => text.split(/[\s,]+/).filter((e) => e !== '');

/**
 * The keys that seal TOTP secrets at rest: mfa.encryptionKeys, else the file mfa.encryptionKeysFile, else in embedded
 * mode <dataDir>/mfa-encryption.keys, generated on first start with a warning. With a shared database (database.url)
 * nothing is generated, since every instance must share the keys: without them TOTP is off (null; MFA_NOT_CONFIGURED).
 */
export async function loadSecretBox(config: AppConfig, logger: AppLogger): Promise<SecretBox | null> {
  const { encryptionKeys, encryptionKeysFile } = config.mfa;
  if (encryptionKeys !== undefined) return new SecretBox(parse(encryptionKeys, 'mfa.encryptionKeys', 'the value'));
  if (encryptionKeysFile !== undefined) {
    const text = await readIfExists(encryptionKeysFile);
    if (text === null) {
      throw new ConfigError([{ envVar: envVarOf(['mfa', 'encryptionKeysFile']), yamlKey: 'mfa.encryptionKeysFile', message: `file ${encryptionKeysFile} does not exist` }]);
    }
    return new SecretBox(parse(entriesOf(text), 'mfa.encryptionKeysFile', `file ${encryptionKeysFile}`));
  }
  if (!isEmbedded(config)) {
    logger.warn('TOTP is off: set mfa.encryptionKeysFile (AUTH_MFA_ENCRYPTION_KEYS_FILE), the same on every instance, to turn it on');
    return null;
  }
  const file = join(config.dataDir, GENERATED_MFA_KEYS_FILE);
  const existing = await readIfExists(file);
  if (existing !== null) return new SecretBox(parse(entriesOf(existing), 'mfa.encryptionKeysFile', `file ${file}`));
  const generated = `k1:${randomBytes(32).toString('base64url')}\n`;
  const text = (await writeSecretFile(file, generated)) === 'exists' ? ((await readIfExists(file)) ?? '') : generated;
  logger.warn({ file }, 'generated the key that seals TOTP secrets; for production set mfa.encryptionKeysFile (AUTH_MFA_ENCRYPTION_KEYS_FILE), the same on every instance');
  return new SecretBox(parse(entriesOf(text), 'mfa.encryptionKeysFile', `file ${file}`));
}
