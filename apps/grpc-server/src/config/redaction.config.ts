import type { AppConfig } from './config.types.js';
import { OPTION_ENTRIES } from './option-table.config.js';

export const REDACTED = '***';

/** The URL with any password (and a user name standing alone as a password, as in redis://:pw@host) replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = REDACTED;
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(key)) parsed.searchParams.set(key, REDACTED);
    }
    return parsed.toString();
  } catch {
    return REDACTED;
  }
}

function valueAt(config: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], config);
}

/** A copy of the effective configuration safe to print or log: secrets become ***, URL passwords are replaced. */
export function redactConfig(config: AppConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of OPTION_ENTRIES) {
    let value = valueAt(config, entry.path);
    if (value !== undefined && entry.spec.redact === 'secret') value = REDACTED;
    if (typeof value === 'string' && entry.spec.redact === 'url') value = redactUrl(value);
    let node = out;
    for (const part of entry.path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[entry.path[entry.path.length - 1]!] = value ?? null;
  }
  return out;
}
