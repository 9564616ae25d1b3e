import type { AppLogger } from '../logging/logger.factory.js';

/**
 * A signal this soon after the first one is the same stop request delivered twice, not an operator insisting:
 * Ctrl-C under `pnpm start` reaches node both from the terminal (the whole process group) and from pnpm,
 * which forwards it, a few milliseconds apart.
 */
export const DUPLICATE_SIGNAL_WINDOW_MS = 1_000;

/**
 * Runs `shutdown` once on the first SIGTERM or SIGINT and exits with its code; a later signal (after
 * DUPLICATE_SIGNAL_WINDOW_MS) exits at once with 130. An uncaught exception or unhandled rejection is logged
 * (the logger redacts secrets) and also shuts down.
 */
export function onTermination(logger: AppLogger, shutdown: (reason: string) => Promise<number>): void {
  let stoppingSince: number | undefined;
  const stop = (reason: string, failed: boolean) => {
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < DUPLICATE_SIGNAL_WINDOW_MS) return;
      logger.warn({ reason }, 'second stop request: exiting without waiting');
      process.exit(130);
    }
    stoppingSince = Date.now();
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
