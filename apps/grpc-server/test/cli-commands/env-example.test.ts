import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderEnvExample } from '../../src/cli/env-example.command.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { OPTION_ENTRIES } from '../../src/config/option-table.config.js';

const committed = readFileSync(fileURLToPath(new URL('../../../../.env.example', import.meta.url)), 'utf8');

/** The assignments of the file, uncommented: `# AUTH_X=value` -> { AUTH_X: value }. */
function assignments(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of text.matchAll(/^# (AUTH_[A-Z0-9_]+)=(.*)$/gm)) found.set(match[1]!, match[2]!);
  return found;
}

describe('.env.example', () => {
  it('is the file generated from the configuration schema (regenerate: node apps/grpc-server/dist/main.js env-example > .env.example)', () => {
    expect(committed).toBe(renderEnvExample());
  });

  it('names every setting, each with a comment line above it', () => {
    const names = assignments(committed);
    for (const entry of OPTION_ENTRIES) {
      expect(names.has(entry.envVar), entry.envVar).toBe(true);
      const line = committed.split('\n').findIndex((l) => l.startsWith(`# ${entry.envVar}=`));
      expect(committed.split('\n')[line - 1], entry.envVar).toMatch(/^# \S/);
    }
    expect(names.has('AUTH_ADMIN_PASSWORD')).toBe(true);
  });

  it('shows the real defaults: uncommenting every value changes nothing', () => {
    const env = Object.fromEntries([...assignments(committed)].filter(([, value]) => value !== ''));
    expect(Object.keys(env).length).toBeGreaterThan(20);
    expect(loadConfig({ env }).config).toEqual(loadConfig({ env: {} }).config);
  });
});
