import type { AppLogger } from '../logging/logger.factory.js';

/**
 * Resources in the order they were opened, closed in reverse. The composition root opens the database
 * first, then Redis, then the producer, then starts the relay, so closing in reverse gives the shutdown order
 * the service needs: relay stopped, producer flushed, Redis closed, database pool closed last (the old
 * service closed the database before the producer flushed).
 */
export class ResourceStack {
  private readonly entries: { name: string; close: () => Promise<void> | void }[] = [];
  private closing: Promise<void> | undefined;

  push(name: string, close: () => Promise<void> | void): void {
    this.entries.push({ name, close });
  }

  /** Names in closing order (for tests and the log). */
  closingOrder(): string[] {
    return this.entries.map((e) => e.name).reverse();
  }

  /** Closes everything once, in reverse order; a failure is logged and the rest still close. */
  close(logger: AppLogger): Promise<void> {
    this.closing ??= (async () => {
      for (const entry of this.entries.reverse()) {
        try {
          await entry.close();
          logger.debug({ resource: entry.name }, 'closed');
        } catch (error) {
          logger.error({ err: error, resource: entry.name }, 'closing failed');
        }
      }
    })();
    return this.closing;
  }
}
