import type { Cluster, Redis } from 'ioredis';

/** A standalone/Sentinel connection or a Cluster: both run the same commands and scripts. */
export type RedisClient = Redis | Cluster;

/** Runs a one-key Lua script: EVALSHA, falling back to EVAL once when the server lacks it (ioredis defineCommand). */
export type ScriptRunner = (key: string, ...args: (string | number)[]) => Promise<unknown>;

/**
 * Run before the body of every script: the runner appends a deadline (epoch ms on Redis's clock) to ARGV, and a
 * script that starts after it does nothing and replies the error DEADLINE. A command sent to a Redis that stalls
 * (paused, swapping, a long BUSY script) waits in its input buffer; its caller times out and is told the store is
 * unavailable, and without the deadline the command would still run when Redis resumes: a refresh-token rotation
 * the client never received, a revocation of a session its owner was told still stood. The deadline is taken off
 * ARGV first, so the body sees its own arguments only. 0 means none (a client without a command timeout).
 */
const DEADLINE_PRELUDE = `do
  local deadline = tonumber(table.remove(ARGV))
  if deadline > 0 then
    local now = redis.call('TIME')
    if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > deadline then
      return redis.error_reply('DEADLINE the script reached Redis after its caller had given up')
    end
  end
end
`;

/**
 * The share of the command timeout a script may take to start. The rest is for its reply to travel back before the
 * caller stops waiting: a script that starts just before its deadline still answers in time, so "the caller was told
 * it failed" and "it ran" never both hold (short of a reply lost in the network).
 */
const START_SHARE = 0.5;
/** How often the offset between this process's clock and Redis's is measured again while connected. */
const CLOCK_REFRESH_MS = 60_000;

/**
 * Redis's clock as this process reads it. The deadline is compared with Redis's TIME, so it must be expressed on
 * Redis's clock: the offset is measured with TIME on every (re)connection (a failover may lead to a server with
 * another clock) and once a minute, so a skew between the hosts neither refuses every script (Redis ahead) nor lets
 * late ones through (Redis behind). The offset is a lower bound (TIME ran before its reply arrived), so a deadline
 * can only come early, by at most one round trip.
 */
class RedisClock {
  #offsetMs = 0;
  #measuredAt = Number.NEGATIVE_INFINITY;
  /** Set from a (re)connection until its measurement ends: scripts wait for it rather than trust an old offset. */
  #connecting: Promise<void> | undefined;
  #measuring = false;

  constructor(private readonly client: RedisClient) {
    client.on('ready', () => {
      this.#connecting = this.#measure().finally(() => (this.#connecting = undefined));
    });
    if (client.status === 'ready') this.#connecting = this.#measure().finally(() => (this.#connecting = undefined));
  }

  /** Now, in epoch ms on Redis's clock. */
  async now(): Promise<number> {
    if (this.#connecting) await this.#connecting;
    else if (!this.#measuring && Date.now() - this.#measuredAt > CLOCK_REFRESH_MS && this.client.status === 'ready') void this.#measure();
    return Date.now() + this.#offsetMs;
  }

  async #measure(): Promise<void> {
    this.#measuring = true;
    try {
      const [seconds, micros] = await this.client.time();
      const received = Date.now();
      this.#offsetMs = Number(seconds) * 1_000 + Math.floor(Number(micros) / 1_000) - received;
      this.#measuredAt = received;
    } catch {
      // Keep the last offset: a Redis that does not answer TIME does not run scripts either.
    } finally {
      this.#measuring = false;
    }
  }
}

/** The deadline source of one client: its clock, and the budget its command timeout leaves a script to start. */
interface Deadlines {
  next(): Promise<number>;
}

const deadlinesByClient = new WeakMap<RedisClient, Deadlines>();

function commandTimeoutOf(client: RedisClient): number | undefined {
  const options = client.options as { commandTimeout?: number; redisOptions?: { commandTimeout?: number } };
  return options.commandTimeout ?? options.redisOptions?.commandTimeout;
}

function deadlinesOf(client: RedisClient): Deadlines {
  let deadlines = deadlinesByClient.get(client);
  if (deadlines === undefined) {
    const timeout = commandTimeoutOf(client);
    if (timeout === undefined || timeout <= 0) {
      deadlines = { next: async () => 0 };
    } else {
      const clock = new RedisClock(client);
      const budget = Math.max(1, Math.floor(timeout * START_SHARE));
      deadlines = { next: async () => (await clock.now()) + budget };
    }
    deadlinesByClient.set(client, deadlines);
  }
  return deadlines;
}

/**
 * Registers `lua` as command `name` on the client (once per client) and returns a typed runner. ioredis sends
 * EVALSHA, so a warm call is one round trip; on Cluster it routes by the key like any other command. Every script
 * defined here gets a deadline (DEADLINE_PRELUDE) derived from the client's command timeout, with nothing to do in
 * the script itself.
 */
export function defineScript(client: RedisClient, name: string, lua: string): ScriptRunner {
  const commands = client as unknown as Record<string, ScriptRunner | undefined>;
  if (typeof commands[name] !== 'function') client.defineCommand(name, { numberOfKeys: 1, lua: `${DEADLINE_PRELUDE}${lua}` });
  const run = commands[name];
  if (!run) throw new Error(`script ${name} could not be defined`);
  const deadlines = deadlinesOf(client);
  return async (key, ...args) => run.call(client, key, ...args, await deadlines.next());
}
