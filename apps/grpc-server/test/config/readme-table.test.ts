import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configMarkdownTable } from '../../src/config/config-table.codec.js';

// The app's README and the repository's README both carry the configuration reference; both must be exactly the
// table generated from the option table, so a new or changed setting cannot go undocumented.
const readmes = {
  'apps/grpc-server/README.md': new URL('../../README.md', import.meta.url),
  'README.md': new URL('../../../../README.md', import.meta.url),
};

describe('the README configuration reference', () => {
  it.each(Object.entries(readmes))('%s holds exactly the table generated from the option table (run `config-table` to refresh it)', (_name, url) => {
    const readme = readFileSync(url, 'utf8');
    const section = /<!-- config-table:start[^\n]*-->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(readme)?.[1];
    expect(section).toBe(configMarkdownTable());
  });
});
