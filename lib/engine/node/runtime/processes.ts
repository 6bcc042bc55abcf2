/**
 * A node's process table: what `ps` lists, `lsns` groups into namespaces and `nsenter -t PID`
 * looks up. PIDs come from one counter per boot, as the kernel hands them out; the short-lived
 * helpers real runtimes spawn (runc init, entrypoint scripts) are accounted for by gaps. Each
 * process is in one namespace of every type (the host's unless it was given its own), and the
 * table keeps `/proc/PID/ns/*` on the machine's file system, so `ls -l /proc/PID/ns`,
 * `readlink /proc/PID/ns/net` and the tools that read them (`ip netns identify`) see them.
 *
 * @example
 * const table = new ProcessTable(700, node.fs);
 * const shim = table.spawn({ ppid: 1, uid: 0, args: "/usr/bin/containerd-shim-runc-v2 …", netns: ROOT_NETNS, start: now });
 * table.spawn({ ppid: shim.pid, uid: 65535, args: "/pause", netns: podNetns, ns: { mnt, uts, ipc, pid, cgroup }, start: now }, 18);
 */
import type { FileSystem } from "../../shell";

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

/** The namespace types of Linux 5.15, in the order `/proc/PID/ns` lists them. */
export const NAMESPACE_TYPES = ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"] as const;
export type NamespaceType = (typeof NAMESPACE_TYPES)[number];

/** The initial namespaces' nsfs inodes (the kernel's PROC_*_INIT_INO; net and mnt are the first two it allocates at boot). */
export const HOST_NAMESPACES: Readonly<Record<NamespaceType, number>> = Object.freeze({
  time: 4026531834, cgroup: 4026531835, pid: 4026531836, user: 4026531837, uts: 4026531838, ipc: 4026531839, net: 4026531840, mnt: 4026531841,
});

/** A process's namespaces other than net (which {@link Process.netns} names); a missing type is the host's. */
export type ProcessNamespaces = Partial<Record<Exclude<NamespaceType, "net">, number>>;

/** The inode of the namespace of `type` that `proc` is in. */
export function namespaceOf(proc: Process, type: NamespaceType): number {
  return type === "net" ? proc.netns.inode : (proc.ns?.[type] ?? HOST_NAMESPACES[type]);
}

export interface Process {
  pid: number;
  ppid: number;
  uid: number;
  /** The command line as `ps` shows it (`[kthreadd]` for kernel threads). */
  args: string;
  netns: NetNamespace;
  /** Its other namespaces where they are not the host's (a container's mnt, pid, uts, ipc, cgroup). */
  ns?: ProcessNamespaces;
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

  /** `proc`: the machine's file system, whose `/proc/PID/ns` this boot's processes get (the previous boot's go). */
  constructor(
    private next: number,
    private readonly proc?: FileSystem,
  ) {
    if (proc?.isDirectory("/proc")) for (const name of proc.list("/proc")) if (/^\d+$/.test(name)) proc.removeTree(`/proc/${name}`);
  }

  /** Starts a process; `skip` PIDs go to helpers that came and went before it. */
  spawn(init: ProcessInit, skip = 0): Process {
    this.next += skip;
    const proc: Process = { vsz: 0, rss: 0, stat: "S", tty: "?", cpu: 0, ...init, pid: this.next++ };
    this.add(proc);
    return proc;
  }

  /** Puts a process at a fixed PID (the system's boot-time daemons). */
  place(proc: Process): void {
    this.add(proc);
    if (proc.pid >= this.next) this.next = proc.pid + 1;
  }

  get(pid: number): Process | undefined {
    return this.byPid.get(pid);
  }

  kill(pid: number): void {
    this.byPid.delete(pid);
    if (this.proc?.exists(`/proc/${pid}`)) this.proc.removeTree(`/proc/${pid}`);
  }

  /** The PID the next process will get (what a `ps` started now would be). */
  peek(): number {
    return this.next;
  }

  /** Every process, by PID. */
  list(): Process[] {
    return [...this.byPid.values()].sort((a, b) => a.pid - b.pid);
  }

  private add(proc: Process): void {
    this.byPid.set(proc.pid, proc);
    if (!this.proc) return;
    if (this.proc.exists(`/proc/${proc.pid}`)) this.proc.removeTree(`/proc/${proc.pid}`);
    const links: [string, string][] = [];
    for (const type of NAMESPACE_TYPES) {
      const target = `${type}:[${namespaceOf(proc, type)}]`;
      links.push([type, target]);
      // A process's children land in its pid and time namespaces unless it unshares again.
      if (type === "pid" || type === "time") links.push([`${type}_for_children`, target]);
    }
    this.proc.mkdirWithLinks(`/proc/${proc.pid}/ns`, links, { mode: 0o511 });
  }
}
