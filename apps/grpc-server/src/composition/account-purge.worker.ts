import type { AuthService } from '@authsvc/core';
import type { AppLogger } from '../logging/logger.factory.js';

/** The server's housekeeping of deleted accounts: erases those past the grace period, every `intervalMs`. */
export interface AccountPurgeWorker {
  /** Runs one pass now (after the running one, if any); resolves with the ids it erased. */
  runOnce(): Promise<string[]>;
  /** Stops the timer and waits for a running pass. */
  stop(): Promise<void>;
}

/**
 * Starts the timer; the first pass runs one interval after the start (a restart loop never hammers the database).
 * Passes never overlap; a failed pass is logged (no personal data: the error only) and the next one tries again.
 * Several instances may run it: the erasure of one account is race-safe (AccountWriter.erase locks the row).
 */
export function startAccountPurge(service: AuthService, logger: AppLogger, intervalMs: number): AccountPurgeWorker {
  let running: Promise<string[]> = Promise.resolve([]);
  const pass = (): Promise<string[]> => {
    running = running
      .catch(() => [])
      .then(async () => {
        const { erased } = await service.purgeDeletedAccounts();
        if (erased.length > 0) logger.info({ erased: erased.length }, 'deleted accounts erased after their grace period');
        return erased;
      });
    return running;
  };
  const timer = setInterval(() => {
    pass().catch((error: unknown) => logger.error({ err: error }, 'erasing deleted accounts failed; the next pass tries again'));
  }, intervalMs);
  timer.unref();
  return {
    runOnce: pass,
    stop: async () => {
      clearInterval(timer);
      await running.catch(() => undefined);
    },
  };
}
