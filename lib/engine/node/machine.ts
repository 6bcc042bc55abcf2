/**
 * One node's hardware and operating system as its tools report them: Ubuntu 22.04.5 on a
 * 2-CPU, 4 GiB KVM guest with kernel 5.15.0-1071-kvm, its machine-id, product UUID and boot
 * id, when it booted, and the processes systemd starts at boot (PIDs and memory figures
 * as on a fresh cloud image). A reboot gives it a new boot id and start time.
 *
 * @example
 * const m = new Machine("node01", rng, bootTime);
 * m.kernel;                 // "5.15.0-1071-kvm"
 * m.bootProcesses(table);   // systemd, journald, …, containerd, sshd
 */
import type { Rng } from "../util/rng";
import { ROOT_NETNS, type Process, type ProcessTable } from "./runtime/processes";

export const OS_IMAGE = "Ubuntu 22.04.5 LTS";
export const KERNEL = "5.15.0-1071-kvm";
export const KERNEL_BUILD = "#77-Ubuntu SMP Fri Nov 8 14:49:26 UTC 2024";
export const CONTAINERD_VERSION = "1.7.24";
export const CONTAINERD_REVISION = "88bf19b2105c8b17560993bee28a01ddc2f97182";
export const DOCKER_VERSION = "27.4.1";
export const CPUS = 2;
/** MemTotal in KiB (what the Node's capacity.memory reports). */
export const MEMORY_KIB = 4010248;
/** The root file system (ephemeral-storage capacity), KiB. */
export const DISK_KIB = 20134592;

/** The systemd units and daemons of a fresh node, with their boot-time PIDs. */
const BOOT: readonly Omit<Process, "start" | "netns">[] = [
  { pid: 1, ppid: 0, uid: 0, args: "/sbin/init", vsz: 166_580, rss: 11_740, stat: "Ss", tty: "?", cpu: 0.1 },
  { pid: 2, ppid: 0, uid: 0, args: "[kthreadd]", vsz: 0, rss: 0, stat: "S", tty: "?", cpu: 0 },
  { pid: 3, ppid: 2, uid: 0, args: "[rcu_gp]", vsz: 0, rss: 0, stat: "I<", tty: "?", cpu: 0 },
  { pid: 4, ppid: 2, uid: 0, args: "[rcu_par_gp]", vsz: 0, rss: 0, stat: "I<", tty: "?", cpu: 0 },
  { pid: 12, ppid: 2, uid: 0, args: "[ksoftirqd/0]", vsz: 0, rss: 0, stat: "S", tty: "?", cpu: 0 },
  { pid: 13, ppid: 2, uid: 0, args: "[rcu_sched]", vsz: 0, rss: 0, stat: "I", tty: "?", cpu: 0 },
  { pid: 14, ppid: 2, uid: 0, args: "[migration/0]", vsz: 0, rss: 0, stat: "S", tty: "?", cpu: 0 },
  { pid: 20, ppid: 2, uid: 0, args: "[ksoftirqd/1]", vsz: 0, rss: 0, stat: "S", tty: "?", cpu: 0 },
  { pid: 340, ppid: 1, uid: 0, args: "/lib/systemd/systemd-journald", vsz: 64_800, rss: 14_200, stat: "S<s", tty: "?", cpu: 0 },
  { pid: 379, ppid: 1, uid: 0, args: "/lib/systemd/systemd-udevd", vsz: 25_400, rss: 6_300, stat: "Ss", tty: "?", cpu: 0 },
  { pid: 512, ppid: 1, uid: 100, args: "/lib/systemd/systemd-networkd", vsz: 16_300, rss: 8_100, stat: "Ss", tty: "?", cpu: 0 },
  { pid: 514, ppid: 1, uid: 101, args: "/lib/systemd/systemd-resolved", vsz: 25_700, rss: 12_900, stat: "Ss", tty: "?", cpu: 0 },
  { pid: 560, ppid: 1, uid: 0, args: "/usr/sbin/cron -f -P", vsz: 7_300, rss: 2_800, stat: "Ss", tty: "?", cpu: 0 },
  { pid: 561, ppid: 1, uid: 102, args: "@dbus-daemon --system --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only", vsz: 8_900, rss: 4_800, stat: "Ss", tty: "?", cpu: 0 },
  { pid: 570, ppid: 1, uid: 0, args: "/lib/systemd/systemd-logind", vsz: 15_000, rss: 7_400, stat: "Ss", tty: "?", cpu: 0 },
  { pid: 601, ppid: 1, uid: 0, args: "/sbin/agetty -o -p -- \\u --noclear tty1 linux", vsz: 6_200, rss: 1_100, stat: "Ss+", tty: "tty1", cpu: 0 },
  { pid: 622, ppid: 1, uid: 0, args: "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups", vsz: 15_400, rss: 9_000, stat: "Ss", tty: "?", cpu: 0 },
];

/** `/etc/passwd` lines for the system users of an Ubuntu 22.04 node beyond the shell's skeleton. */
export const SYSTEM_USERS = "systemd-network:x:100:102:systemd Network Management,,,:/run/systemd:/usr/sbin/nologin\nsystemd-resolve:x:101:103:systemd Resolver,,,:/run/systemd:/usr/sbin/nologin\nmessagebus:x:102:105::/nonexistent:/usr/sbin/nologin\n";

export class Machine {
  readonly machineID: string;
  readonly systemUUID: string;
  bootID: string;
  bootTime: number;

  constructor(readonly name: string, private readonly rng: Rng, bootTime: number) {
    this.machineID = rng.hex(32);
    this.systemUUID = rng.uuid();
    this.bootID = rng.uuid();
    this.bootTime = bootTime;
  }

  /** A new boot: new boot id, clock of the boot. */
  reboot(at: number): void {
    this.bootID = this.rng.uuid();
    this.bootTime = at;
  }

  /** Places the boot-time processes into a fresh table (started a few seconds after boot). */
  bootProcesses(table: ProcessTable): void {
    for (const p of BOOT) table.place({ ...p, netns: ROOT_NETNS, start: this.bootTime + (p.pid > 300 ? 4_000 : 0) });
  }
}
