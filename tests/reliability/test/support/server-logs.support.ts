import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The run's folder is named by global-setup (one per run: concurrent runs on one machine must not see each other's logs). */
export const LOG_DIR_ENV = 'AUTHSVC_RELIABILITY_LOG_DIR';

/** Every server process of the run writes its output here (global-setup scans it all for secrets at the end). */
export const LOG_DIR = process.env[LOG_DIR_ENV] ?? join(tmpdir(), 'authsvc-reliability-logs', 'unscoped');

let started = 0;

/** A new log file in LOG_DIR for the server process the test calls `name`. */
export function newLogFile(name: string): string {
  started += 1;
  mkdirSync(LOG_DIR, { recursive: true });
  return join(LOG_DIR, `${name}-${process.pid}-${started}.log`);
}
