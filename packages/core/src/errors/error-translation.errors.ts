import { isDomainError, type DomainError } from './domain.errors.js';

/**
 * How an adapter reads its driver's failures: the domain error a failure means (its store is unavailable, a unique
 * value is taken), or the failure itself, unchanged, when it means nothing to the domain (a bug must surface as one).
 */
export type ErrorTranslator = (error: unknown) => unknown;

/**
 * Builds an adapter's translator from its classification. A domain error passes through untouched, so translating
 * twice (an operation inside a transaction, then the transaction) is harmless.
 */
export function errorTranslator(classify: (error: unknown) => DomainError | undefined): ErrorTranslator {
  return (error) => (isDomainError(error) ? error : (classify(error) ?? error));
}

/** Runs one store operation, rethrowing its failure through `translate`. */
export async function translatingErrors<T>(translate: ErrorTranslator, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw translate(error);
  }
}

/**
 * Told of every failure a translator reads as an outage of its dependency (DEPENDENCY_UNAVAILABLE), as it happens:
 * the composition root gives each connection one that turns the service's health NOT_SERVING at the first such
 * failure instead of at the next probe.
 */
export type OutageListener = (outage: DomainError) => void;

/** `translate`, also telling `onOutage` of each failure it turns into DEPENDENCY_UNAVAILABLE. */
export function reportingOutages(translate: ErrorTranslator, onOutage: OutageListener | undefined): ErrorTranslator {
  if (onOutage === undefined) return translate;
  return (error) => {
    const translated = translate(error);
    if (isDomainError(translated, 'DEPENDENCY_UNAVAILABLE')) onOutage(translated);
    return translated;
  };
}
