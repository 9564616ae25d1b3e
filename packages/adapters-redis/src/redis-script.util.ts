import type { Cluster, Redis } from 'ioredis';

/** A standalone/Sentinel connection or a Cluster: both run the same commands and scripts. */
export type RedisClient = Redis | Cluster;

/** Runs a one-key Lua script: EVALSHA, falling back to EVAL once when the server lacks it (ioredis defineCommand). */
export type ScriptRunner = (key: string, ...args: (string | number)[]) => Promise<unknown>;

/**
 * Registers `lua` as command `name` on the client (once per client) and returns a typed runner. ioredis sends
 * EVALSHA, so a warm call is one round trip; on Cluster it routes by the key like any other command.
 */
export function defineScript(client: RedisClient, name: string, lua: string): ScriptRunner {
  const commands = client as unknown as Record<string, ScriptRunner | undefined>;
  if (typeof commands[name] !== 'function') client.defineCommand(name, { numberOfKeys: 1, lua });
  const run = commands[name];
  if (!run) throw new Error(`script ${name} could not be defined`);
  return (key, ...args) => run.call(client, key, ...args);
}
