import { stringify } from 'yaml';
import type { AppConfig } from '../config/config.types.js';
import { redactConfig } from '../config/redaction.config.js';

/** The effective configuration with secrets redacted, as YAML (loadable with --config) or JSON. */
export function formatConfig(config: AppConfig, format: string): string {
  const redacted = redactConfig(config);
  return format === 'json' ? `${JSON.stringify(redacted, null, 2)}\n` : stringify(redacted, { nullStr: '~' });
}
