/**
 * A node's process table: what `ps` lists, `lsns` groups into namespaces and `nsenter -t PID`
 * looks up. PIDs come from one counter per boot, as the kernel hands them out; the short-lived
 * helpers real runtimes spawn (runc init, entrypoint scripts) are accounted for by gaps.
 *
 * @example
 * const table = new ProcessTable(700);
 * const shim = table.spawn({ ppid: 1, uid: 0, args: "/usr/bin/containerd-shim-runc-v2 …", netns: ROOT_NETNS, start: now });
 * table.spawn({ ppid: shim.pid, uid: 65535, args: "/pause", netns: podNetns, start: now }, 18);
 */

/** A network namespace: the host's, or one a pod sandbox pinned under `/var/run/netns`. */
export interface NetNamespace {
  /** `cni-<uuid>`; empty for the host namespace. */
  name: string;
  /** The nsfs inode `lsns` prints in its NS column. */
  inode: number;
  /** The id the host namespace knows it by (`ip netns list`, lsns NETNSID); -1 unassigned. */
  nsid: number;
}

/** The initial network namespace (`/proc/1/ns/net`). */
export const ROOT_NETNS: NetNamespace = Object.freeze({ name: "", inode: 4026531840, nsid: -1 });

export interface Process {
  pid: number;
  ppid: number;
  uid: number;
  /** The command line as `ps` shows it (`[kthreadd]` for kernel threads). */
  args: string;
  netns: NetNamespace;
  /** UTS name: the pod name for pod processes (their `hostname`), undefined for the host's. */
  hostname?: string;
  /** Virtual epoch ms it started. */
  start: number;
  /** Virtual memory and resident set, KiB. */
  vsz: number;
  rss: number;
  /** `ps` STAT, e.g. `Ssl`. */
  stat: string;
  tty: string;
  /** Average CPU use in percent, for %CPU and TIME. */
  cpu: number;
  /** The container it belongs to (its id), if any. */
  container?: string;
}

export type ProcessInit = Omit<Process, "pid" | "vsz" | "rss" | "stat" | "tty" | "cpu"> & Partial<Pick<Process, "vsz" | "rss" | "stat" | "tty" | "cpu">>;

/** One boot's processes, keyed by PID. */
export class ProcessTable {
  private readonly byPid = new Map<number, Process>();

  constructor(private next: number) {}

  /** Starts a process; `skip` PIDs go to helpers that came and went before it. */
  spawn(init: ProcessInit, skip = 0): Process {
    this.next += skip;
    const proc: Process = { vsz: 0, rss: 0, stat: "S", tty: "?", cpu: 0, ...init, pid: this.next++ };
    this.byPid.set(proc.pid, proc);
    return proc;
  }

  /** Puts a process at a fixed PID (the system's boot-time daemons). */
  place(proc: Process): void {
    this.byPid.set(proc.pid, proc);
    if (proc.pid >= this.next) this.next = proc.pid + 1;
  }

  get(pid: number): Process | undefined {
    return this.byPid.get(pid);
  }

  kill(pid: number): void {
    this.byPid.delete(pid);
  }

  /** The PID the next process will get (what a `ps` started now would be). */
  peek(): number {
    return this.next;
  }

  /** Every process, by PID. */
  list(): Process[] {
    return [...this.byPid.values()].sort((a, b) => a.pid - b.pid);
  }
}
