import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { DomainError } from '../errors/domain.errors.js';

/** One unit of bcrypt work, run synchronously inside a worker thread. */
export type BcryptTask =
  | { op: 'hash'; password: string; cost: number }
  | { op: 'verify'; password: string; hash: string };

type WorkerReply = { ok: true; result: string | boolean } | { ok: false; message: string };

interface Job {
  task: BcryptTask;
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
 * It `require`s bcryptjs by the absolute path the main thread resolved (from this module's own
 * location, so the package's own dependency is used wherever the caller lives), which works
 * identically from sources and from the build. bcryptjs ships a CommonJS build (`umd/index.js`).
 *
 * The worker runs the synchronous bcryptjs functions: blocking is the point of a worker thread.
 * It refuses a password bcrypt would truncate, as a second line behind the main-thread check.
 */
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptPath);
parentPort.on('message', (task) => {
  try {
    if (bcrypt.truncates(task.password)) throw new Error('password longer than 72 bytes');
    const result = task.op === 'hash'
      ? bcrypt.hashSync(task.password, task.cost)
      : bcrypt.compareSync(task.password, task.hash);
    parentPort.postMessage({ ok: true, result });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error && error.message) });
  }
});
`;

const bcryptPath = createRequire(import.meta.url).resolve('bcryptjs');

/**
 * A fixed-size pool of worker threads running bcryptjs, one task per worker at a time, with a FIFO
 * queue in front. Workers start on demand and are unref'd while idle, so a pool that nobody closed
 * does not keep the process alive; `close()` still should be called on shutdown.
 */
export class BcryptWorkerPool {
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
   */
  constructor(
    readonly threads: number,
    readonly maxQueued: number = Infinity,
  ) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    if (!(maxQueued === Infinity || (Number.isInteger(maxQueued) && maxQueued >= 0))) {
      throw new RangeError(`maxQueued must be a whole number >= 0 or Infinity, got ${maxQueued}`);
    }
  }

  /**
   * Runs `task` on the next free worker. When `signal` fires while the task still waits in the queue, the task is
   * dropped and the promise rejects with `signal.reason`: a caller that gave up must not cost a hash. A task a worker
   * already runs is not interrupted (bcrypt cannot be; stopping the thread would cost a respawn instead).
   */
  run(task: BcryptTask, signal?: AbortSignal): Promise<string | boolean> {
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
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptPath } });
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
        else job.reject(new Error(`bcrypt worker: ${reply.message}`));
      }
      this.dispatch();
    });
    worker.on('error', (error) => {
      slot.job?.reject(error instanceof Error ? error : new Error(String(error)));
      slot.job = undefined;
    });
    worker.on('exit', () => {
      // A crashed worker is replaced on the next dispatch; its task (if any) has already failed.
      slot.job?.reject(new Error('bcrypt worker exited'));
      slot.job = undefined;
      this.slots.delete(slot);
      const at = this.idle.indexOf(slot);
      if (at >= 0) this.idle.splice(at, 1);
      this.dispatch();
    });
    return slot;
  }
}
