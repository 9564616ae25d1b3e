import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

/**
 * Experiment behind a proposed core change (BcryptWorkerPool): a worker that finishes a hash waits for the MAIN
 * thread to hand it the next one. When the main thread is busy (a server under load), each hand-off waits for the
 * current macrotask, and the workers sit idle while hashes queue. Compares hashes/s of a pool that hands out one
 * task per worker (as core does) with one that keeps `depth` tasks posted to each worker, while the main thread is
 * kept `busyPercent` busy in `sliceMs` slices (a stand-in for request handling).
 *   node bench/src/experiments/hash-dispatch.experiment.ts [seconds=5] [busyPercent=70] [sliceMs=20] [threads=2] [cost=10]
 */
const [seconds = 5, busyPercent = 70, sliceMs = 20, threads = 2, cost = 10] = process.argv.slice(2).map(Number);
const bcryptPath = createRequire(createRequire(import.meta.resolve('@authsvc/core')).resolve('bcryptjs')).resolve('bcryptjs');
const source = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptPath);
parentPort.on('message', (task) => parentPort.postMessage(bcrypt.compareSync(task.password, task.hash)));
`;
const hash = (await import(bcryptPath)).default.hashSync('bench-password-1', cost) as string;

async function run(depth: number): Promise<number> {
  const workers = Array.from({ length: threads }, () => new Worker(source, { eval: true, workerData: { bcryptPath } }));
  let done = 0;
  let stop = false;
  const end = performance.now() + seconds * 1_000;
  // Always 16 verifications waiting, as in a login storm; each worker holds at most `depth` of them.
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          let posted = 0;
          const post = () => {
            while (!stop && posted < depth) {
              worker.postMessage({ password: 'bench-password-1', hash });
              posted += 1;
            }
          };
          worker.on('message', () => {
            posted -= 1;
            if (performance.now() < end) done += 1;
            else stop = true;
            if (stop && posted === 0) resolve();
            else post();
          });
          post();
        }),
    ),
  );
  await Promise.all(workers.map((w) => w.terminate()));
  return done / seconds;
}

let busyTimer: NodeJS.Timeout | undefined;
function startBusy(): void {
  // busyPercent of each period spent blocking the loop, in sliceMs pieces.
  const period = sliceMs / (busyPercent / 100);
  busyTimer = setInterval(() => {
    const until = performance.now() + sliceMs;
    while (performance.now() < until);
  }, period - sliceMs);
}

for (const busy of [false, true]) {
  if (busy) startBusy();
  for (const depth of [1, 2]) {
    console.log(JSON.stringify({ mainThreadBusyPercent: busy ? busyPercent : 0, sliceMs, depth, hashesPerSecond: Math.round((await run(depth)) * 10) / 10 }));
  }
  clearInterval(busyTimer);
}
