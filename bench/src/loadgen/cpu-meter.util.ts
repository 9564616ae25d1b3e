import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (ms, all threads) of the server process and of each store process, at one instant. */
export interface CpuReading {
  server: number;
  /** pid -> CPU ms of every PostgreSQL process (postmaster and backends) and of the Redis server. */
  postgres: Map<string, number>;
  redis: Map<string, number>;
}

/** Command names (/proc/<pid>/stat) of the store processes. */
const STORE_COMMANDS: Record<string, 'postgres' | 'redis'> = { postgres: 'postgres', 'redis-server': 'redis' };

/**
 * Command (or thread) name and CPU time in ms (utime + stime, in USER_HZ = 100 ticks) of /proc/<entry>/stat, where
 * entry is a pid or `<pid>/task/<tid>`; null when it is gone.
 */
export function readStat(entry: string): { command: string; cpuMs: number } | null {
  try {
    const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    // The command sits in parentheses and may hold spaces: the fields after it start two characters later.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), cpuMs: (Number(fields[11]) + Number(fields[12])) * 10 };
  } catch {
    return null;
  }
}

/**
 * CPU of the server (NaN without a pid, or when it died: its calls fail anyway) and of every PostgreSQL and Redis
 * process on this machine. The stores run next to the server on the same cores, so what a call costs them is taken
 * from the same budget.
 */
export function readCpu(serverPid: number | undefined): CpuReading {
  const reading: CpuReading = { server: serverPid === undefined ? Number.NaN : (readStat(String(serverPid))?.cpuMs ?? Number.NaN), postgres: new Map(), redis: new Map() };
  for (const { pid, command, cpuMs } of listProcesses()) {
    const store = STORE_COMMANDS[command];
    if (store) reading[store].set(pid, cpuMs);
  }
  return reading;
}

/**
 * CPU ms the store processes used between two readings: a process seen at both counts its difference, one that
 * started in between counts whole. One that ended in between (a PostgreSQL backend whose client hung up) is left
 * out, since its last value cannot be read any more: an undercount by at most its own share, never a negative.
 */
export function storeCpuBetween(start: Map<string, number>, end: Map<string, number>): number {
  let total = 0;
  for (const [pid, cpuMs] of end) total += cpuMs - (start.get(pid) ?? 0);
  return total;
}

/** Every process on the machine now: pid, command name and CPU ms. */
export function listProcesses(): { pid: string; command: string; cpuMs: number }[] {
  return readdirSync('/proc').flatMap((pid) => {
    if (!/^\d+$/.test(pid)) return []; // not a process folder
    const stat = readStat(pid);
    return stat ? [{ pid, ...stat }] : [];
  });
}

/** CPU ms of every process with this command name (e.g. `java`, the Kafka broker here), summed. */
export function commandCpuMs(command: string): number {
  return listProcesses().reduce((total, p) => (p.command === command ? total + p.cpuMs : total), 0);
}
