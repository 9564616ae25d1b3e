import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** A temporary folder removed by `remove()`. */
export function temporaryDir(prefix = 'authsvc-admin-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A fresh PostgreSQL database on the server of `serverUrl`, dropped by `drop()` (services are shared between runs). */
export async function createTestDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `authsvc_admin_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
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
