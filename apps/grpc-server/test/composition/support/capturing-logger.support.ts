import { Writable } from 'node:stream';
import { createLogger, type AppLogger } from '../../../src/logging/logger.factory.js';

/** The app's real logger writing into memory: `lines` holds each JSON line as written. */
export function capturingLogger(level: 'debug' | 'info' = 'info'): { logger: AppLogger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).trim().split('\n'));
      callback();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}
