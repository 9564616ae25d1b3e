/** Command-line settings of one bench run. */
export interface BenchSettings {
  quick: boolean;
  smoke: boolean;
  /** Profile the server (`node --cpu-prof`), written to bench/results/ at the end. */
  cpuProf: boolean;
  /** Start the server with --inspect and record its retained memory (after a forced GC) after each pass. */
  inspectMemory: boolean;
  /** Run the load scenarios a second time on the same server to measure RSS growth. */
  secondPass: boolean;
  concurrency: number;
  /** Deadline of one call. */
  callTimeoutMs: number;
  bcryptCost: number;
  /** Algorithm of the server's new password hashes (the accounts the bench registers, so the logins verify it). */
  algorithm: 'bcrypt' | 'argon2id';
  hashThreads: number;
  warmupMs: number;
  baselineMs: number;
  loginStormMs: number;
  closedLoopMs: number;
  registerStormMs: number;
  probeRate: number;
  outboxRate: number;
  outboxSteadyMs: number;
  drainEvents: number;
  /** Sessions the logout closed loop ends (seeded by logins before it; its budget of calls). */
  logoutSessions: number;
  /** Accounts seeded; each closed-loop virtual user gets its own. */
  accounts: number;
  /** Extra AUTH_* settings of the server (--server-env KEY=VALUE), for before/after experiments. */
  serverEnv: Record<string, string>;
}

const FULL = { warmupMs: 2_000, baselineMs: 15_000, loginStormMs: 30_000, closedLoopMs: 15_000, registerStormMs: 15_000, outboxSteadyMs: 30_000, drainEvents: 50_000, logoutSessions: 2_000 };
const QUICK = { warmupMs: 300, baselineMs: 2_000, loginStormMs: 5_000, closedLoopMs: 2_000, registerStormMs: 2_000, outboxSteadyMs: 2_000, drainEvents: 5_000, logoutSessions: 200 };

const USAGE = `usage: pnpm bench [--quick] [--smoke] [--cpu-prof] [--no-second-pass] [--cost N] [--threads N]
  --quick           short scenarios (under a minute), no second pass
  --smoke           exit non-zero only when a scenario errors (CI), never on timings; the open-loop
                    probe offers 20/s instead of 200/s and calls get 30 s, so a slow machine's
                    overload cannot turn timing into errors (every error still fails)
  --cpu-prof        write a V8 CPU profile of the server to bench/results/
  --inspect-memory  record the server's retained memory (forced GC, process.memoryUsage) after each pass
  --no-second-pass  skip the second identical pass (RSS growth); --second-pass forces it in quick mode
  --cost N          bcrypt cost of the server and of the hash baseline (default 10, the server's default)
  --algorithm A     bcrypt (default) or argon2id (the server's defaults: OWASP m=19 MiB, t=2, p=1): what the
                    seeded accounts are hashed with, so the login storm verifies it; the hash baseline stays bcrypt
  --threads N       password-hash worker threads (default 2, the server's default)
  --server-env K=V  an extra environment variable of the server (repeatable), e.g. AUTH_OUTBOX_BATCH_SIZE=1000
  --drain-events N  events in the outbox-drain backlog (default 50,000; quick 5,000)
  --logout-sessions N  sessions the Logout closed loop ends, one call each (default 2,000; quick 200)`;

export function parseSettings(argv: string[]): BenchSettings {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const number = (name: string, fallback: number): number => {
    const at = argv.indexOf(name);
    if (at < 0) return fallback;
    const value = Number(argv[at + 1]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive integer\n${USAGE}`);
    return value;
  };
  const known = ['--quick', '--smoke', '--cpu-prof', '--inspect-memory', '--second-pass', '--no-second-pass', '--cost', '--algorithm', '--threads', '--server-env', '--drain-events', '--logout-sessions', '--help'];
  const serverEnv: Record<string, string> = {};
  argv.forEach((arg, i) => {
    if (arg !== '--server-env') return;
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(argv[i + 1] ?? '');
    if (!match) throw new Error(`--server-env needs NAME=value\n${USAGE}`);
    serverEnv[match[1]!] = match[2]!;
  });
  const unknown = [...flags].filter((f) => !known.includes(f));
  if (unknown.length > 0 || flags.has('--help')) {
    console.error(USAGE);
    process.exit(unknown.length > 0 ? 64 : 0);
  }
  const quick = flags.has('--quick');
  const smoke = flags.has('--smoke');
  return {
    quick,
    smoke,
    cpuProf: flags.has('--cpu-prof'),
    inspectMemory: flags.has('--inspect-memory'),
    secondPass: flags.has('--second-pass') || (!quick && !flags.has('--no-second-pass')),
    concurrency: 16,
    callTimeoutMs: smoke ? 30_000 : 10_000,
    bcryptCost: number('--cost', 10),
    algorithm: algorithmOf(argv),
    hashThreads: number('--threads', 2),
    probeRate: smoke ? 20 : 200,
    outboxRate: 10,
    accounts: 16,
    serverEnv,
    ...(quick ? QUICK : FULL),
    ...(argv.includes('--drain-events') ? { drainEvents: number('--drain-events', 0) } : {}),
    ...(argv.includes('--logout-sessions') ? { logoutSessions: number('--logout-sessions', 0) } : {}),
  };
}

function algorithmOf(argv: string[]): 'bcrypt' | 'argon2id' {
  const at = argv.indexOf('--algorithm');
  if (at < 0) return 'bcrypt';
  const value = argv[at + 1];
  if (value !== 'bcrypt' && value !== 'argon2id') throw new Error(`--algorithm needs bcrypt or argon2id\n${USAGE}`);
  return value;
}
