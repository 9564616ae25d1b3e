import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ImportRecord } from '@authsvc/core';

export type ImportFormat = 'jsonl' | 'csv';

/** The format by the file name: `.csv` is CSV, anything else JSON lines. */
export function formatOf(path: string): ImportFormat {
  return path.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl';
}

/** Lines longer than this are refused unread (a record is a few hundred bytes). */
const MAX_RECORD_CHARS = 16_384;

/**
 * The records of a JSON-lines file (one object per line; blank lines skipped) or a CSV file (RFC 4180: a header
 * row naming the fields, `"` quoting with `""` for a quote, quoted fields may span lines; empty cells are absent
 * fields). Each record carries the line it starts on; a line that cannot be read becomes an `unreadable` record, so
 * the import reports it and goes on.
 */
export async function* readImportRecords(path: string, format: ImportFormat): AsyncGenerator<ImportRecord> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  if (format === 'jsonl') {
    let line = 0;
    for await (const text of lines) {
      line += 1;
      if (text.trim() === '') continue;
      yield { line, fields: parseJsonLine(text) };
    }
    return;
  }
  let header: string[] | null = null;
  let line = 0;
  let pending = '';
  let startLine = 0;
  for await (const text of lines) {
    line += 1;
    if (pending === '') startLine = line;
    pending = pending === '' ? text : `${pending}\n${text}`;
    if (pending.length > MAX_RECORD_CHARS) {
      yield { line: startLine, fields: { unreadable: `record longer than ${MAX_RECORD_CHARS} characters` } };
      pending = '';
      continue;
    }
    const cells = splitCsvRecord(pending);
    if (cells === 'open') continue; // a quoted field goes on on the next line
    pending = '';
    if (cells === null) {
      yield { line: startLine, fields: { unreadable: 'malformed CSV (a quote inside an unquoted field, or text after a closing quote)' } };
      continue;
    }
    if (header === null) {
      header = cells.map((cell) => cell.trim().replace(/^\uFEFF/, ''));
      continue;
    }
    if (cells.length === 1 && cells[0] === '') continue;
    if (cells.length !== header.length) {
      yield { line: startLine, fields: { unreadable: `has ${cells.length} fields, the header ${header.length}` } };
      continue;
    }
    const fields: Record<string, unknown> = {};
    for (const [at, name] of header.entries()) if (cells[at] !== '') fields[name] = cells[at];
    yield { line: startLine, fields };
  }
  if (pending !== '') yield { line: startLine, fields: { unreadable: 'a quoted field is never closed' } };
}

function parseJsonLine(text: string): ImportRecord['fields'] {
  if (text.length > MAX_RECORD_CHARS) return { unreadable: `line longer than ${MAX_RECORD_CHARS} characters` };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { unreadable: 'must be a JSON object' };
    return value as Record<string, unknown>;
  } catch {
    return { unreadable: 'is not valid JSON' };
  }
}

/** The cells of one CSV record; 'open' when a quoted field is not closed yet; null when malformed. */
export function splitCsvRecord(text: string): string[] | 'open' | null {
  const cells: string[] = [];
  let at = 0;
  for (;;) {
    if (text[at] === '"') {
      let cell = '';
      at += 1;
      for (;;) {
        const quote = text.indexOf('"', at);
        if (quote < 0) return 'open';
        cell += text.slice(at, quote);
        if (text[quote + 1] === '"') {
          cell += '"';
          at = quote + 2;
          continue;
        }
        at = quote + 1;
        break;
      }
      cells.push(cell);
      if (at === text.length) return cells;
      if (text[at] !== ',') return null;
      at += 1;
    } else {
      const comma = text.indexOf(',', at);
      const cell = comma < 0 ? text.slice(at) : text.slice(at, comma);
      if (cell.includes('"')) return null;
      cells.push(cell);
      if (comma < 0) return cells;
      at = comma + 1;
    }
  }
}
