import { ConfigError, CONFIG_EXIT_CODE } from '../config/config.errors.js';
import type { AppLogger } from '../logging/logger.factory.js';

/**
 * Reports a failure to start and returns the exit code: 2 with the list of settings for a configuration
 * problem (on stderr, before any logger exists), 1 for anything else (logged, without secrets: the logger redacts).
 */
export function reportStartupError(error: unknown, logger: AppLogger | undefined): number {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    return CONFIG_EXIT_CODE;
  }
  if (logger) logger.fatal({ err: error }, 'start-up failed');
  else process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}
