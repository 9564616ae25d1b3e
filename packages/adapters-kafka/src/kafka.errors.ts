import { dependencyUnavailable, errorTranslator } from '@authsvc/core';

/**
 * Every failure of a publish (no broker, no acknowledgement in time, a rejected batch after the client's own retries)
 * means the broker cannot take the events now: DEPENDENCY_UNAVAILABLE, on which the outbox relay backs off and retries.
 */
export const translateKafkaError = errorTranslator((error) => dependencyUnavailable('Kafka', error));
