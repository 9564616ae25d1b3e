import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Experiment behind a proposed core change: does lowering the scheduling priority of the bcrypt worker threads
 * (Linux nice is per thread: os.setPriority(0, n) inside a worker affects only that thread) keep the event loop
 * responsive while every core hashes, and at what cost in hashes/s? Alternates nice 0 and nice 10, `rounds` times,
 * `seconds` each; the main thread meanwhile does a small timer-driven task, as a server's loop does.
 *   node bench/src/experiments/hash-worker-priority.experiment.ts [rounds=3] [seconds=5] [threads=2] [cost=10]
 */
const [rounds = 3, seconds = 5, threads = 2, cost = 10] = process.argv.slice(2).map(Number);
const bcryptPath = createRequire(createRequire(import.meta.resolve('@authsvc/core')).resolve('bcryptjs')).resolve('bcryptjs');
const source = `
const { parentPort, workerData } = require('node:worker_threads');
const os = require('node:os');
const bcrypt = require(workerData.bcryptPath);
if (workerData.nice !== 0) os.setPriority(0, workerData.nice);
const hash = bcrypt.hashSync('bench-password-1', workerData.cost);
let stop = false;
parentPort.on('message', () => { stop = true; });
(function loop() {
  if (stop) return parentPort.postMessage('done');
  bcrypt.compareSync('bench-password-1', hash);
  parentPort.postMessage('hash');
  setImmediate(loop);
})();
`;

async function round(nice: number): Promise<{ nice: number; hashesPerSecond: number; eldP99Ms: number; eldMaxMs: number }> {
  let hashes = 0;
  const workers = Array.from({ length: threads }, () => new Worker(source, { eval: true, workerData: { bcryptPath, cost, nice } }));
  for (const w of workers) w.on('message', (m) => m === 'hash' && (hashes += 1));
  await new Promise((resolve) => setTimeout(resolve, 500));
  hashes = 0;
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  const start = performance.now();
  const tick = setInterval(() => JSON.stringify({ a: Math.random() }), 5);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
  clearInterval(tick);
  eld.disable();
  const elapsed = (performance.now() - start) / 1_000;
  const done = hashes;
  await Promise.all(workers.map((w) => w.terminate()));
  return { nice, hashesPerSecond: Math.round((done / elapsed) * 10) / 10, eldP99Ms: Math.round(eld.percentile(99) / 1e4) / 100, eldMaxMs: Math.round(eld.max / 1e4) / 100 };
}

for (let i = 0; i < rounds; i += 1) {
  for (const nice of [0, 10]) console.log(JSON.stringify(await round(nice)));
}
