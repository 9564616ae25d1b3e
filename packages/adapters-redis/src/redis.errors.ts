import { dependencyUnavailable, errorTranslator, translatingErrors } from '@authsvc/core';

/**
 * Redis reply-error codes that mean "the store cannot serve right now" rather than "this code sent a bad command":
 * loading its data after a restart, a replica after a failover (READONLY), a master without its replicas, a cluster
 * resharding or failing over (CLUSTERDOWN, TRYAGAIN, and MOVED/ASK reaching a client that does not follow them),
 * busy with a script, out of memory, and DEADLINE: a script that reached Redis after its caller had given up
 * (redis-script.util.ts). See https://redis.io/docs/latest/develop/reference/protocol-spec/.
 */
const UNAVAILABLE_REPLY_CODES = new Set([
  'LOADING',
  'READONLY',
  'MASTERDOWN',
  'CLUSTERDOWN',
  'TRYAGAIN',
  'MOVED',
  'ASK',
  'BUSY',
  'OOM',
  'NOREPLICAS',
  'DEADLINE',
]);

/**
 * Connection failures, command timeouts, the rejected offline queue, a cluster that gave up following redirections
 * and "server cannot serve" replies become DEPENDENCY_UNAVAILABLE (the edge answers UNAVAILABLE). Any other reply
 * error (a bad script, a wrong key type) is a bug and is returned unchanged: it must surface, and it still never
 * reads as "valid".
 */
export const translateRedisError = errorTranslator((error) => {
  if (error instanceof Error && error.name === 'ReplyError') {
    const code = error.message.split(' ', 1)[0] ?? '';
    const unavailable = UNAVAILABLE_REPLY_CODES.has(code) || error.message.startsWith('ERR max number of clients');
    return unavailable ? dependencyUnavailable('redis', error) : undefined;
  }
  return dependencyUnavailable('redis', error);
});

/** Runs one Redis operation, rethrowing its failure translated. */
export const redisCall = <T>(operation: () => Promise<T>): Promise<T> => translatingErrors(translateRedisError, operation);
