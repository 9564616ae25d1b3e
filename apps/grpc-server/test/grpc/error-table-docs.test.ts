import { readFileSync } from 'node:fs';
import { DOMAIN_ERRORS, ERROR_CODES } from '@authsvc/core';
import { describe, expect, it } from 'vitest';

// proto/README.md is what client authors read; its error table must say what core's table does.
const readme = readFileSync(new URL('../../../../proto/README.md', import.meta.url), 'utf8');

/** reason -> gRPC status, from the rows of the "## Errors" table (the unexpected-failure row has no reason). */
function documentedStatuses(): Record<string, string> {
  const start = readme.indexOf('## Errors');
  const next = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, next < 0 ? undefined : next);
  const rows = section.split('\n').filter((line) => /^\| [A-Z_, ]+ \|/.test(line));
  const statuses: Record<string, string> = {};
  for (const row of rows) {
    const [reasons, status] = row.split('|').slice(1, 3).map((cell) => cell.trim());
    for (const reason of reasons!.split(', ')) statuses[reason] = status!;
  }
  return statuses;
}

describe('the error table of proto/README.md', () => {
  it('lists every code of core\'s table with the status core gives it, and nothing else', () => {
    const expected = Object.fromEntries(ERROR_CODES.map((code) => [code, DOMAIN_ERRORS[code].status]));
    expect(documentedStatuses()).toEqual(expected);
  });
});
