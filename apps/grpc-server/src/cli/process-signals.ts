import type { AppLogger } from '../logging/create-logger.js';

/**
 * Runs `shutdown` once on the first SIGTERM or SIGINT and exits with its code; a second signal exits at once
 * with 130. An uncaught exception or unhandled rejection is logged (the logger redacts secrets) and also shuts down.
 */
export function onTermination(logger: AppLogger, shutdown: (reason: string) => Promise<number>): void {
  let stopping = false;
  const stop = (reason: string, failed: boolean) => {
    if (stopping) {
      logger.warn({ reason }, 'second stop request: exiting without waiting');
      process.exit(130);
    }
    stopping = true;
    shutdown(reason).then(
      (code) => process.exit(failed ? 1 : code),
      (error: unknown) => {
        logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM', false));
  process.on('SIGINT', () => stop('SIGINT', false));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    stop('uncaughtException', true);
  });
  process.on('unhandledRejection', (error) => {
    logger.fatal({ err: error }, 'unhandled promise rejection');
    stop('unhandledRejection', true);
  });
}
