/**
 * A node's systemd journal: what the units (kubelet, containerd, systemd itself) logged as
 * things happened, so `journalctl -u kubelet` and `systemctl status` show real history.
 * Kubelet lines are klog-formatted, as the real kubelet writes them to its stderr.
 *
 * @example
 * journal.klog(1021, "I", "kubelet.go:2468", '"SyncLoop ADD" source="api" pods=["default/web"]');
 * journal.forUnit("kubelet"); // entries, oldest first
 */
import type { VirtualClock } from "../../util/clock";
import { klogHeader } from "../format";

export interface JournalEntry {
  time: number;
  /** The unit the entry belongs to (`kubelet`, `containerd`). */
  unit: string;
  /** The syslog identifier (`kubelet`, `systemd`). */
  ident: string;
  pid: number;
  message: string;
  /** The boot it was logged in (journalctl prints `-- Boot … --` between boots). */
  boot: string;
}

const MAX_ENTRIES = 4000;

export class Journal {
  readonly entries: JournalEntry[] = [];
  boot = "";

  constructor(private readonly clock: VirtualClock) {}

  /** A plain line from a unit's process (or from systemd about the unit, with ident `systemd`). */
  add(unit: string, ident: string, pid: number, message: string, at = this.clock.now()): void {
    this.entries.push({ time: at, unit, ident, pid, message, boot: this.boot });
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  /** A kubelet klog line: `I0112 09:00:03.123000    1021 kubelet.go:2468] …`. */
  klog(pid: number, severity: "I" | "W" | "E", where: string, message: string, at = this.clock.now()): void {
    this.add("kubelet", "kubelet", pid, `${klogHeader(severity, at, pid)} ${where}] ${message}`, at);
  }

  forUnit(unit: string): JournalEntry[] {
    return this.entries.filter((e) => e.unit === unit);
  }
}
