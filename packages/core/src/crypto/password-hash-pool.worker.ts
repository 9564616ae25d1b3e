import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { DomainError } from '../errors/domain.errors.js';

/** One unit of password-hashing work, run synchronously inside a worker thread. Verify tasks carry a hash already read (password-hash.codec.ts). */
export type PasswordHashTask =
  | { op: 'hash'; algorithm: 'bcrypt'; password: string; cost: number }
  | { op: 'hash'; algorithm: 'argon2id'; password: string; memoryKiB: number; iterations: number; parallelism: number }
  | { op: 'verify'; algorithm: 'bcrypt' | 'argon2id'; password: string; hash: string }
  | { op: 'verify'; algorithm: 'scrypt'; password: string; logN: number; blockSize: number; parallelism: number; salt: Uint8Array; digest: Uint8Array }
  | { op: 'verify'; algorithm: 'pbkdf2-sha256'; password: string; iterations: number; salt: Uint8Array; digest: Uint8Array };

type WorkerReply = { ok: true; result: string | boolean } | { ok: false; message: string };

interface Job {
  task: PasswordHashTask;
  resolve: (result: string | boolean) => void;
  reject: (error: unknown) => void;
  /** Set while the job waits in the queue with a signal: takes it out of the queue when the signal fires. */
  cancel?: () => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
  /** performance.now() when the worker took its job. */
  startedAt: number;
}

/** Before any task has run: a bcrypt-10 hash on a slow core. Only used to estimate a retry delay. */
const INITIAL_TASK_MS = 100;

/**
 * The worker's source, evaluated with `eval: true` rather than loaded from a file.
 *
 * Why not a worker file (or piscina, which needs one): under vitest the sources are `.ts` files
 * that a plain worker thread cannot load, while from `dist/` they are `.js`; a file path that works
 * in both needs a loader hook or a build-time copy. An inline CommonJS source has no path at all.
 * It `require`s bcryptjs and @node-rs/argon2 by the absolute paths the main thread resolved (from this module's own
 * location, so the package's own dependencies are used wherever the caller lives), which works
 * identically from sources and from the build. bcryptjs ships a CommonJS build (`umd/index.js`); @node-rs/argon2 is
 * a Node-API addon, which loads in worker threads.
 *
 * The worker runs synchronous functions (bcryptjs, argon2's `*Sync`, node:crypto's scryptSync and pbkdf2Sync):
 * blocking is the point of a worker thread. It refuses a password bcrypt would truncate, as a second line behind the
 * main-thread check. scrypt and PBKDF2 digests are compared with timingSafeEqual.
 */
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const bcrypt = require(workerData.bcryptPath);
const argon2 = require(workerData.argon2Path);
const same = (derived, digest) => crypto.timingSafeEqual(derived, Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength));
function run(task) {
  if (task.algorithm === 'bcrypt' && bcrypt.truncates(task.password)) throw new Error('password longer than 72 bytes');
  if (task.op === 'hash') {
    if (task.algorithm === 'bcrypt') return bcrypt.hashSync(task.password, task.cost);
    if (task.algorithm === 'argon2id') {
      return argon2.hashSync(task.password, { algorithm: argon2.Algorithm.Argon2id, memoryCost: task.memoryKiB, timeCost: task.iterations, parallelism: task.parallelism });
    }
  } else {
    switch (task.algorithm) {
      case 'bcrypt': return bcrypt.compareSync(task.password, task.hash);
      case 'argon2id': return argon2.verifySync(task.hash, task.password);
      case 'scrypt': {
        const N = 2 ** task.logN;
        const derived = crypto.scryptSync(task.password, task.salt, task.digest.byteLength, { N, r: task.blockSize, p: task.parallelism, maxmem: 256 * N * task.blockSize + 1048576 });
        return same(derived, task.digest);
      }
      case 'pbkdf2-sha256':
        return same(crypto.pbkdf2Sync(task.password, task.salt, task.iterations, task.digest.byteLength, 'sha256'), task.digest);
    }
  }
  throw new Error('unknown task ' + task.op + ' ' + task.algorithm);
}
// Linux keeps a nice value per thread, so this lowers only this thread's priority (see PasswordHashPool).
if (workerData.nice > 0) require('node:os').setPriority(0, workerData.nice);
parentPort.on('message', (task) => {
  try {
    parentPort.postMessage({ ok: true, result: run(task) });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error && error.message) });
  }
});
`;

const requireHere = createRequire(import.meta.url);
const modulePaths = { bcryptPath: requireHere.resolve('bcryptjs'), argon2Path: requireHere.resolve('@node-rs/argon2') };

/** Where a thread's nice value is its own: elsewhere (macOS) setpriority(0) would lower the whole process, event loop included. */
const NICE_IS_PER_THREAD = process.platform === 'linux';

/**
 * A fixed-size pool of worker threads hashing and verifying passwords (every algorithm: bcrypt, argon2id, scrypt,
 * PBKDF2), one task per worker at a time, with a FIFO
 * queue in front. Workers start on demand and are unref'd while idle, so a pool that nobody closed
 * does not keep the process alive; `close()` still should be called on shutdown.
 */
export class PasswordHashPool {
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private readonly queue: Job[] = [];
  private closed = false;
  /** Moving average of how long a task takes on a worker, for the retry delay of a refused task. */
  private taskMs = INITIAL_TASK_MS;
  /** Tasks a worker ran to the end, by kind: what the password checks really cost, whatever the callers were told. */
  private readonly finished = { hash: 0, verify: 0 };

  /**
   * `maxQueued`: tasks that may wait for a worker; one more is refused at once with OVERLOADED and a retry delay
   * (the queue's expected wait) instead of waiting behind them. Infinity (the default) queues everything.
   *
   * `threadNice`: how much lower than the rest of the process the workers run (a Linux nice value, 0..19, added to
   * each worker thread only; ignored on other systems). With every core hashing, the event loop otherwise waits for
   * a core as long as a worker does (about 0.5 ms per wake-up under a login storm on 2 cores, more than it runs), and
   * every call it serves waits with it; a niced worker still gets every core nobody else wants (docs/PERFORMANCE.md).
   */
  constructor(
    readonly threads: number,
    readonly maxQueued: number = Infinity,
    readonly threadNice: number = 0,
  ) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    if (!(maxQueued === Infinity || (Number.isInteger(maxQueued) && maxQueued >= 0))) {
      throw new RangeError(`maxQueued must be a whole number >= 0 or Infinity, got ${maxQueued}`);
    }
    if (!Number.isInteger(threadNice) || threadNice < 0 || threadNice > 19) throw new RangeError(`threadNice must be a whole number 0..19, got ${threadNice}`);
  }

  /**
   * Runs `task` on the next free worker. When `signal` fires while the task still waits in the queue, the task is
   * dropped and the promise rejects with `signal.reason`: a caller that gave up must not cost a hash. A task a worker
   * already runs is not interrupted (a hash cannot be; stopping the thread would cost a respawn instead).
   */
  run(task: PasswordHashTask, signal?: AbortSignal): Promise<string | boolean> {
    if (this.closed) return Promise.reject(new Error('password hasher is closed'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const everyWorkerBusy = this.idle.length === 0 && this.slots.size >= this.threads;
    if (everyWorkerBusy && this.queue.length >= this.maxQueued) return Promise.reject(this.overloaded());
    return new Promise((resolve, reject) => {
      const job: Job = { task, resolve, reject };
      if (signal) {
        const onAbort = (): void => {
          const at = this.queue.indexOf(job);
          if (at >= 0) this.queue.splice(at, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        // Removed as soon as the job leaves the queue: a long-lived signal must not collect listeners.
        job.cancel = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(job);
      this.dispatch();
    });
  }

  stats(): { queued: number; active: number; threads: number; hashes: number; verifications: number } {
    let active = 0;
    for (const slot of this.slots) if (slot.job) active += 1;
    return { queued: this.queue.length, active, threads: this.threads, hashes: this.finished.hash, verifications: this.finished.verify };
  }

  /** OVERLOADED, with a retry when the tasks queued now should have run (at least a second, so clients do not retry in a tight loop). */
  private overloaded(): DomainError {
    const waitMs = Math.ceil(((this.queue.length + 1) / this.threads) * this.taskMs);
    return new DomainError('OVERLOADED', { retryAfterMs: Math.max(1_000, waitMs) });
  }

  /** Refuses new work, fails queued work, lets running tasks finish, then stops every worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) {
      job.cancel?.();
      job.reject(new Error('password hasher is closed'));
    }
    const running = [...this.slots].filter((slot) => slot.job).map((slot) => new Promise<void>((done) => slot.worker.once('message', () => done()).once('exit', () => done())));
    await Promise.all(running);
    await Promise.all([...this.slots].map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      const slot = this.idle.pop() ?? (this.slots.size < this.threads ? this.spawn() : undefined);
      if (!slot) return;
      const job = this.queue.shift()!;
      // Taken by a worker: it runs to the end whatever the signal does now.
      job.cancel?.();
      slot.job = job;
      slot.startedAt = performance.now();
      slot.worker.ref();
      slot.worker.postMessage(job.task);
    }
  }

  private spawn(): Slot {
    // Raising one's own nice value needs no privilege, so the worker's setpriority cannot be refused.
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...modulePaths, nice: NICE_IS_PER_THREAD ? this.threadNice : 0 } });
    const slot: Slot = { worker, job: undefined, startedAt: 0 };
    this.slots.add(slot);
    worker.on('message', (reply: WorkerReply) => {
      const job = slot.job;
      slot.job = undefined;
      if (job) {
        this.taskMs = 0.8 * this.taskMs + 0.2 * (performance.now() - slot.startedAt);
        this.finished[job.task.op] += 1;
      }
      worker.unref();
      this.idle.push(slot);
      if (job) {
        if (reply.ok) job.resolve(reply.result);
        else job.reject(new Error(`password hash worker: ${reply.message}`));
      }
      this.dispatch();
    });
    worker.on('error', (error) => {
      slot.job?.reject(error instanceof Error ? error : new Error(String(error)));
      slot.job = undefined;
    });
    worker.on('exit', () => {
      // A crashed worker is replaced on the next dispatch; its task (if any) has already failed.
      slot.job?.reject(new Error('password hash worker exited'));
      slot.job = undefined;
      this.slots.delete(slot);
      const at = this.idle.indexOf(slot);
      if (at >= 0) this.idle.splice(at, 1);
      this.dispatch();
    });
    return slot;
  }
}
