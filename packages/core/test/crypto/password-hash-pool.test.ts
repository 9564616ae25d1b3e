import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { PasswordHashPool } from '../../src/crypto/password-hash-pool.worker.js';
import { isDomainError, type DomainError } from '../../src/errors/domain.errors.js';

// Cost 12 takes a few hundred ms here: long enough that a second task is certainly still queued behind the first.
const SLOW = { op: 'hash', algorithm: 'bcrypt', password: 'correct horse', cost: 12 } as const;

describe('PasswordHashPool: a caller that gives up costs no hash', () => {
  let pool: PasswordHashPool;
  afterEach(() => pool.close());

  it('drops a queued task when its signal fires, rejecting with the signal reason, and runs the rest', async () => {
    pool = new PasswordHashPool(1);
    const first = pool.run(SLOW);
    const controller = new AbortController();
    const second = pool.run(SLOW, controller.signal);
    const third = pool.run({ op: 'hash', algorithm: 'bcrypt', password: 'x', cost: 4 });
    expect(pool.stats()).toMatchObject({ queued: 2, active: 1 });

    const reason = new DOMException('deadline', 'TimeoutError');
    controller.abort(reason);
    await expect(second).rejects.toBe(reason);
    expect(pool.stats()).toMatchObject({ queued: 1, active: 1 });
    await expect(first).resolves.toMatch(/^\$2b\$12\$/);
    await expect(third).resolves.toMatch(/^\$2b\$04\$/);
  });

  it('refuses a task whose signal already fired without queueing it', async () => {
    pool = new PasswordHashPool(1);
    const reason = new Error('gone');
    await expect(pool.run(SLOW, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(pool.stats()).toMatchObject({ queued: 0, active: 0 });
  });

  it('lets a task a worker already runs finish, and leaves no listener on the signal', async () => {
    pool = new PasswordHashPool(1);
    const controller = new AbortController();
    let listeners = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => ((listeners += 1), add(...args))) as typeof add;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => ((listeners -= 1), remove(...args))) as typeof remove;

    const running = pool.run({ op: 'hash', algorithm: 'bcrypt', password: 'x', cost: 8 }, signal);
    expect(pool.stats()).toMatchObject({ queued: 0, active: 1 });
    controller.abort();
    await expect(running).resolves.toMatch(/^\$2b\$08\$/);
    expect(listeners).toBe(0);
  });
});

describe('PasswordHashPool: a full queue refuses at once instead of making the caller wait', () => {
  let pool: PasswordHashPool;
  afterEach(() => pool.close());

  it('past maxQueued, a task fails with OVERLOADED and a retry delay; the queued ones still run', async () => {
    pool = new PasswordHashPool(1, 1);
    const running = pool.run(SLOW);
    const queued = pool.run(SLOW);
    const refused = await pool.run(SLOW).then(
      () => expect.fail('a third task must be refused'),
      (error: unknown) => error,
    );
    expect(isDomainError(refused, 'OVERLOADED')).toBe(true);
    expect((refused as DomainError).retryAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(pool.stats()).toMatchObject({ queued: 1, active: 1 });
    await expect(Promise.all([running, queued])).resolves.toHaveLength(2);
    await expect(pool.run({ op: 'hash', algorithm: 'bcrypt', password: 'x', cost: 4 })).resolves.toMatch(/^\$2b\$04\$/);
  });

  it('with maxQueued 0, a task runs when a worker is free and is refused only when none is', async () => {
    pool = new PasswordHashPool(1, 0);
    const running = pool.run(SLOW);
    await expect(pool.run(SLOW)).rejects.toMatchObject({ code: 'OVERLOADED' });
    await running;
    await expect(pool.run({ op: 'hash', algorithm: 'bcrypt', password: 'x', cost: 4 })).resolves.toMatch(/^\$2b\$04\$/);
  });
});

describe('PasswordHashPool: counts the work its workers really did', () => {
  let pool: PasswordHashPool;
  afterEach(() => pool.close());

  it('counts finished hashes and verifications, never a task dropped from the queue or refused', async () => {
    pool = new PasswordHashPool(1, 1);
    const hash = (await pool.run({ op: 'hash', algorithm: 'bcrypt', password: 'correct horse', cost: 4 })) as string;
    const running = pool.run({ op: 'verify', algorithm: 'bcrypt', password: 'correct horse', hash });
    const controller = new AbortController();
    const dropped = pool.run({ op: 'verify', algorithm: 'bcrypt', password: 'wrong horse', hash }, controller.signal);
    await expect(pool.run({ op: 'verify', algorithm: 'bcrypt', password: 'third', hash })).rejects.toMatchObject({ code: 'OVERLOADED' });
    controller.abort();
    await expect(dropped).rejects.toBeDefined();
    await expect(running).resolves.toBe(true);
    expect(pool.stats()).toMatchObject({ hashes: 1, verifications: 1 });
  });
});

/** The nice value of every thread of this process, by thread id (field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): Map<number, number> {
  const nice = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, nice field 19.
    nice.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
  }
  return nice;
}

describe.runIf(process.platform === 'linux')('PasswordHashPool: worker priority (Linux)', () => {
  let pool: PasswordHashPool;
  afterEach(() => pool.close());

  it('runs its workers at the nice value given and leaves the rest of the process where it was', async () => {
    const before = threadNiceValues();
    pool = new PasswordHashPool(2, Infinity, 7);
    const task = { op: 'hash', algorithm: 'bcrypt', password: 'x', cost: 4 } as const;
    await Promise.all([pool.run(task), pool.run(task)]);
    const after = threadNiceValues();
    const newThreads = [...after].filter(([tid]) => !before.has(tid));
    expect(newThreads.filter(([, nice]) => nice === 7)).toHaveLength(2);
    for (const [tid, nice] of before) if (after.has(tid)) expect(after.get(tid)).toBe(nice);
    expect(after.get(process.pid)).toBe(0);
  });

  it('leaves its workers at the process priority by default', async () => {
    const before = threadNiceValues();
    pool = new PasswordHashPool(1);
    await pool.run({ op: 'hash', algorithm: 'bcrypt', password: 'x', cost: 4 });
    expect([...threadNiceValues()].filter(([tid, nice]) => !before.has(tid) && nice !== 0)).toEqual([]);
  });

  it('refuses a nice value outside 0..19', () => {
    expect(() => new PasswordHashPool(1, Infinity, 20)).toThrow(RangeError);
    expect(() => new PasswordHashPool(1, Infinity, -1)).toThrow(RangeError);
    pool = new PasswordHashPool(1);
  });
});
