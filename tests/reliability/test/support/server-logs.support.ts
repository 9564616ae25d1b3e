import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every server process of the run writes its output here (global-setup scans it all for secrets at the end). */
export const LOG_DIR = join(tmpdir(), 'authsvc-reliability-logs');

let started = 0;

/** A new log file in LOG_DIR for the server process the test calls `name`. */
export function newLogFile(name: string): string {
  started += 1;
  mkdirSync(LOG_DIR, { recursive: true });
  return join(LOG_DIR, `${name}-${process.pid}-${started}.log`);
}
