import { PassThrough } from 'node:stream';
import pg from 'pg';
import type { CliIo } from '../../../src/cli/cli-io.util.js';

/** An CliIo writing into strings, with its own environment (never the test runner's AUTH_* settings). */
export function bufferIo(env: Record<string, string | undefined> = {}): CliIo & { out(): string; err(): string; exitCode(): number | undefined } {
  let out = '';
  let err = '';
  let code: number | undefined;
  return {
    env: { ...env },
    stdin: new PassThrough(),
    stdout: { write: (chunk: string | Uint8Array) => ((out += String(chunk)), true) },
    stderr: { write: (chunk: string | Uint8Array) => ((err += String(chunk)), true) },
    setExitCode: (c) => (code = c),
    out: () => out,
    err: () => err,
    exitCode: () => code,
  };
}

/** Runs a query on a database (to look at what a command did). */
export async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
