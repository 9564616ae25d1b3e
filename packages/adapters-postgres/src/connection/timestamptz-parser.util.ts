import pg from 'pg';

/** PostgreSQL's type oid of timestamptz. */
const TIMESTAMPTZ = 1184;

/** How PostgreSQL writes a timestamptz in a UTC session: "2026-12-06 13:38:06.123456+00", the fraction optional (years from 1000: Date.UTC reads 0-99 as 1900-1999). */
const UTC_TIMESTAMP = /^([1-9]\d{3})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?\+00$/;

/**
 * A timestamptz as a Date, like node-postgres's own parser (postgres-date) but without its general path for the one
 * form every read of this service gets back from a UTC session: that path (an infinity test, two regular expressions,
 * parseInt and parseFloat, a second Date for the offset) cost ~3 µs a column, ~9 µs of each account read. Anything
 * else (another session time zone, a BC date, infinity) goes to postgres-date. The fraction is truncated to whole
 * milliseconds, as postgres-date's Date.UTC call does.
 */
export function parseTimestamptz(text: string): Date {
  const m = UTC_TIMESTAMP.exec(text);
  if (m === null) return defaultParser(text) as Date;
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms));
}

const defaultParser = pg.types.getTypeParser(TIMESTAMPTZ, 'text') as (text: string) => unknown;

/** node-postgres's type parsers, timestamptz in text form read by `parseTimestamptz`. For a pool's `types`. */
export const poolTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ && format !== 'binary' ? parseTimestamptz : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};
