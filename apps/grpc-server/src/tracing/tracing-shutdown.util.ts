let stopSdk: (() => Promise<void>) | null = null;

/** Registers how to stop the tracing SDK (tracing.factory.ts, when tracing is on). */
export function onTracingStop(stop: () => Promise<void>): void {
  stopSdk = stop;
}

/**
 * Sends the spans still buffered and stops the SDK; nothing when tracing is off. The graceful shutdown calls it last,
 * before the process exits (kept apart from the SDK so that a process without tracing never loads it).
 */
export async function stopTracing(): Promise<void> {
  const stop = stopSdk;
  stopSdk = null;
  await stop?.();
}
