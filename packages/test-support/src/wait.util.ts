import { eventually } from '@authsvc/core/fixtures';

// One polling loop for every test of the monorepo: core's `eventually` (core's own tests and the contract suites use
// it, and core cannot depend on this package). `waitFor` is the asserting form for suites that need no `expect`.
export { eventually };

/**
 * Polls `probe` every `stepMs` until it is true; throws after `timeoutMs` naming `what` was awaited. A probe that
 * throws counts as "not yet" (a service still restarting refuses connections).
 */
export async function waitFor(probe: () => Promise<boolean> | boolean, timeoutMs: number, what: string, stepMs = 100): Promise<void> {
  const met = await eventually(() => Promise.resolve().then(probe).catch(() => false), timeoutMs, stepMs);
  if (!met) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
