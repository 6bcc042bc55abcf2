import { readFileSync } from "node:fs";

/** Linux reports a thread's times in USER_HZ ticks, 100 per second on every architecture. */
const MS_PER_TICK = 10;
const STAT = "/proc/thread-self/stat";

/**
 * A clock of the calling thread's own CPU time (user + system) in milliseconds, from Linux's
 * /proc/thread-self/stat (10 ms resolution; about 20 µs a reading). Node 20 has no per-thread
 * CPU clock (process.cpuUsage() counts every thread). Null where the file does not exist.
 *
 * @example
 * const cpu = threadCpuClock();
 * const before = cpu?.();
 */
export function threadCpuClock(): (() => number) | null {
  const read = () => {
    const stat = readFileSync(STAT, "utf8");
    // "pid (comm) state ppid …": comm may hold spaces and parentheses; fields 14 and 15 are utime and stime.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  };
  try {
    return Number.isFinite(read()) ? read : null;
  } catch {
    return null;
  }
}
