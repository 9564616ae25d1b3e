import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseTimestamptz } from '../src/connection/timestamptz-parser.util.js';

const postgresDate = pg.types.getTypeParser(1184, 'text') as (text: string) => unknown;

describe('parseTimestamptz', () => {
  it('reads every form PostgreSQL writes as node-postgres does, the UTC one through its own path', () => {
    const texts = [
      '2026-12-06 13:38:06.123456+00',
      '2026-12-06 13:38:06.1+00',
      '2026-12-06 13:38:06.12+00',
      '2026-12-06 13:38:06.145+00',
      '2026-12-06 13:38:06.999999+00',
      '2026-12-06 13:38:06+00',
      '2024-02-29 23:59:59.5+00',
      '1970-01-01 00:00:00+00',
      // Not the UTC form: postgres-date's path.
      '2026-12-06 14:38:06.5+01',
      '2026-12-06 08:08:06.5-05:30',
      '0044-03-15 12:00:00+00 BC',
      '0099-01-01 00:00:00+00',
      'infinity',
      '-infinity',
    ];
    for (const text of texts) expect(parseTimestamptz(text), text).toEqual(postgresDate(text));
  });

  it('keeps milliseconds of a Date written by the service exactly', () => {
    for (let ms = 0; ms < 1_000; ms += 1) {
      const written = new Date(Date.UTC(2026, 11, 6, 13, 38, 6, ms));
      const text = `2026-12-06 13:38:06.${String(ms).padStart(3, '0')}+00`;
      expect(parseTimestamptz(text).getTime()).toBe(written.getTime());
    }
  });
});
