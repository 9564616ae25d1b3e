import { Redis } from 'ioredis';

/** One command as Redis's MONITOR saw it. */
export interface SeenCommand {
  args: string[];
  source: string;
}

/**
 * Watches, through a second connection running MONITOR, what one client sends to Redis. Each entry is one
 * command that reached the server; commands run inside a Lua script come from source "lua" and are not
 * round trips of the client.
 */
export class CommandRecorder {
  private constructor(
    private readonly monitor: Redis,
    private readonly seen: SeenCommand[],
  ) {}

  static async start(url: string): Promise<CommandRecorder> {
    const monitor = await new Redis(url).monitor();
    const seen: SeenCommand[] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => seen.push({ args, source }));
    return new CommandRecorder(monitor, seen);
  }

  /**
   * Runs `operation` on `client` and returns the commands `client` sent meanwhile. Fences with ECHO
   * markers from the same client: MONITOR reports in execution order, so everything between them is the operation.
   * With `fromAnyConnection`, commands of every connection in that span (other tests' included: filter by key).
   */
  async roundTripsOf(client: Redis, operation: () => Promise<unknown>, fromAnyConnection = false): Promise<SeenCommand[]> {
    const info = await client.client('INFO');
    const address = /\baddr=(\S+)/.exec(String(info))?.[1];
    if (!address) throw new Error('cannot tell the client address');
    const marker = `fence-${Math.random().toString(36).slice(2)}`;
    await client.echo(`${marker}-start`);
    await operation();
    await client.echo(`${marker}-end`);
    const deadline = Date.now() + 5_000;
    while (!this.seen.some((c) => c.args[1] === `${marker}-end`)) {
      if (Date.now() > deadline) throw new Error('MONITOR did not report the end marker');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const start = this.seen.findIndex((c) => c.args[1] === `${marker}-start`);
    const end = this.seen.findIndex((c) => c.args[1] === `${marker}-end`);
    return this.seen.slice(start + 1, end).filter((c) => c.source === address || (fromAnyConnection && c.source !== 'lua'));
  }

  async stop(): Promise<void> {
    this.monitor.disconnect();
  }
}
