/** Serving status as grpc.health.v1 reports it. */
export type ServingStatus = 'SERVING' | 'NOT_SERVING';

/**
 * What decides the health status: the composition root reports NOT_SERVING while a required
 * dependency (database, session store...) is down, and SERVING again when it is back.
 */
export interface HealthReporter {
  /** The current status. */
  getStatus(): ServingStatus;
  /** Calls `listener` on every change; returns a function that unsubscribes. */
  onChange(listener: (status: ServingStatus) => void): () => void;
}

/** A reporter whose status is set by hand: for tests and for the draining phase of shutdown. */
export class ManualHealthReporter implements HealthReporter {
  private status: ServingStatus;
  private readonly listeners = new Set<(status: ServingStatus) => void>();

  constructor(initial: ServingStatus = 'SERVING') {
    this.status = initial;
  }

  getStatus(): ServingStatus {
    return this.status;
  }

  set(status: ServingStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const listener of this.listeners) listener(status);
  }

  onChange(listener: (status: ServingStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
