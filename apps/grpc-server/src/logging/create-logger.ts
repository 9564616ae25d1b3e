import { pino, type DestinationStream, type Logger } from 'pino';
import { REDACT_PATHS } from './redact-paths.js';

export type AppLogger = Logger;

export interface LoggerOptions {
  level: string;
  /** Where JSON lines go; stdout by default (tests pass a capturing stream). */
  destination?: DestinationStream;
}

/** JSON logs, one object per line, with every secret-looking field replaced by "[redacted]". */
export function createLogger(options: LoggerOptions): AppLogger {
  return pino(
    {
      level: options.level,
      base: { service: 'authsvc' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
