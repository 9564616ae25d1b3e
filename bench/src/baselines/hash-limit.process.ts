import { performance } from 'node:perf_hooks';
import { BcryptPasswordHasher } from '@authsvc/core';

/**
 * The hash limit: verifications per second of core's BcryptPasswordHasher on its worker pool alone, at the
 * server's cost and thread count, with `concurrency` verifications always queued (as a login storm keeps it).
 * Argument: JSON {cost, threads, concurrency, durationMs}. Prints one JSON line.
 */
const { cost, threads, concurrency, durationMs } = JSON.parse(process.argv[2] ?? '{}') as Record<string, number>;
const hasher = new BcryptPasswordHasher({ cost: cost!, threads: threads! });
const hash = await hasher.hash('bench-password-1');
// Warm the workers (thread start, JIT) before the clock starts.
await Promise.all(Array.from({ length: threads! }, () => hasher.verify('bench-password-1', hash)));
let done = 0;
const start = performance.now();
const cpuStart = process.cpuUsage();
const end = start + durationMs!;
await Promise.all(
  Array.from({ length: concurrency! }, async () => {
    while (performance.now() < end) {
      if (!(await hasher.verify('bench-password-1', hash))) throw new Error('verification of the right password failed');
      done += 1;
    }
  }),
);
const elapsed = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
await hasher.close();
console.log(JSON.stringify({ hashesPerSecond: (done / elapsed) * 1_000, verifications: done, elapsedMs: elapsed, cpuPercent: ((cpu.user + cpu.system) / 1_000 / elapsed) * 100 }));
