import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PhcPasswordHasher } from '@authsvc/core';

/**
 * The CPU a login's verification costs per algorithm, measured in the same minute through the server's own hasher
 * (one worker thread, one verification at a time): argon2id at OWASP parameters (m=19 MiB, t=2, p=1) against bcrypt
 * cost 10. On a shared machine compare only figures of the same run.
 *   node bench/src/experiments/hash-algorithms.experiment.ts [verifications=20]
 */
const [count = 20] = process.argv.slice(2).map(Number);
const argon2 = new PhcPasswordHasher({ algorithm: 'argon2id', threads: 1 });
const bcrypt = new PhcPasswordHasher({ algorithm: 'bcrypt', bcryptCost: 10, threads: 1 });
try {
  const perVerification = async (hasher: PhcPasswordHasher): Promise<number> => {
    const hash = await hasher.hash('a password of some length');
    await hasher.verify('a password of some length', hash);
    const started = performance.now();
    for (let i = 0; i < count; i += 1) await hasher.verify('a password of some length', hash);
    return (performance.now() - started) / count;
  };
  const load = loadavg()[0]!.toFixed(2);
  const a1 = await perVerification(argon2);
  const b = await perVerification(bcrypt);
  const a2 = await perVerification(argon2);
  console.log(`load average ${load}: argon2id ${a1.toFixed(1)} / ${a2.toFixed(1)} ms, bcrypt-10 ${b.toFixed(1)} ms per verification (${count} each)`);
} finally {
  await Promise.all([argon2.close(), bcrypt.close()]);
}
