import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@authsvc/test-support';

const run = promisify(execFile);

/** A throw-away three-master Redis Cluster of redis-server child processes (no replicas, nothing persisted). */
export class RedisClusterProcesses {
  private readonly children: ChildProcess[] = [];
  readonly nodes: { host: string; port: number }[] = [];
  private dir = '';

  async start(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'authsvc-redis-cluster-'));
    for (let i = 0; i < 3; i += 1) this.nodes.push({ host: '127.0.0.1', port: await this.startNode() });
    const addresses = this.nodes.map((n) => `${n.host}:${n.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    await this.retry(async () => {
      for (const node of this.nodes) {
        const { stdout } = await run('redis-cli', ['-p', String(node.port), 'cluster', 'info']);
        if (!stdout.includes('cluster_state:ok')) throw new Error('cluster not ready');
      }
    });
  }

  /**
   * One node, answering PING, on a port of its own. The port is free when chosen but another process on the machine
   * may take it before redis-server binds it; the node then exits at once and is started again on another port.
   */
  private async startNode(): Promise<number> {
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--cluster-enabled', 'yes'];
      args.push('--cluster-config-file', join(this.dir, `nodes-${port}.conf`), '--dir', this.dir);
      const child = spawn('redis-server', args, { stdio: 'ignore' });
      this.children.push(child);
      try {
        await this.retry(async () => {
          if (child.exitCode !== null) throw new Error(`redis-server on port ${port} exited with ${child.exitCode}`);
          await run('redis-cli', ['-p', String(port), 'ping']);
        });
        return port;
      } catch (error) {
        child.kill('SIGKILL');
        if (attempt >= 3) throw error;
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  private async retry(probe: () => Promise<unknown>): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        await probe();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}
