import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { PrivateRedis, freePort } from '@authsvc/test-support';

/** A throw-away Redis master (with an optional replica) watched by one Sentinel, all child processes. */
export class RedisSentinelProcesses {
  readonly masterName = 'authsvc-test-master';
  master: PrivateRedis | undefined;
  private replica: PrivateRedis | undefined;
  private sentinel: ChildProcess | undefined;
  private dir = '';
  sentinelPort = 0;

  /** With `withReplica`, Sentinel fails over to the replica half a second after the master stops answering. */
  async start(withReplica = false): Promise<void> {
    this.master = await PrivateRedis.create();
    await this.master.start();
    if (withReplica) {
      this.replica = await PrivateRedis.create({ extraArgs: ['--replicaof', '127.0.0.1', String(this.master.port)] });
      await this.replica.start();
    }
    this.sentinelPort = await freePort();
    this.dir = await mkdtemp(join(tmpdir(), 'authsvc-redis-sentinel-'));
    const config = join(this.dir, 'sentinel.conf');
    await writeFile(
      config,
      [`port ${this.sentinelPort}`, 'bind 127.0.0.1', `dir ${this.dir}`, `sentinel monitor ${this.masterName} 127.0.0.1 ${this.master.port} 1`,
        `sentinel down-after-milliseconds ${this.masterName} 500`,
        `sentinel failover-timeout ${this.masterName} 5000`,
        '',
      ].join('\n'),
    );
    this.sentinel = spawn('redis-server', [config, '--sentinel'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis({ port: this.sentinelPort, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      probe.on('error', () => {});
      try {
        await probe.connect();
        const address = await probe.call('SENTINEL', 'get-master-addr-by-name', this.masterName);
        const replicas = await probe.call('SENTINEL', 'replicas', this.masterName);
        if (Array.isArray(address) && (!this.replica || (Array.isArray(replicas) && replicas.length > 0))) return;
      } catch {
        // not up yet
      } finally {
        probe.disconnect();
      }
      if (Date.now() > deadline) throw new Error('sentinel did not start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    const sentinel = this.sentinel;
    if (sentinel && sentinel.exitCode === null) {
      await new Promise<void>((resolve) => {
        sentinel.once('exit', () => resolve());
        sentinel.kill('SIGKILL');
      });
    }
    await this.master?.kill();
    await this.replica?.kill();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
