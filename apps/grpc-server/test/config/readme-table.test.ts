import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configMarkdownTable } from '../../src/config/config-table.js';

describe('the README configuration reference', () => {
  it('is exactly the table generated from the option table (run `config-table` to refresh it)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = /<!-- config-table:start[^\n]*-->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(readme)?.[1];
    expect(section).toBe(configMarkdownTable());
  });
});
