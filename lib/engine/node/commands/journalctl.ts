/**
 * `journalctl` (systemd 249) over the node's journal: `-u UNIT` (repeatable), `-n N`,
 * `-b`, `-f` (prints the last 10 lines; nothing follows in a transcript), `--no-pager`, in the
 * short format `Jan 12 08:52:10 node01 kubelet[1021]: …`, with `-- Boot … --` between boots.
 *
 * @example
 * journalctl -u kubelet -n 20 --no-pager
 */
import type { Command } from "../../shell";
import type { NodeAgent } from "../agent";
import { syslogTime } from "../format";
import type { JournalEntry } from "../kubelet/journal";

/** One entry in journalctl's short format. */
export function journalLine(host: string, e: JournalEntry): string {
  return `${syslogTime(e.time)} ${host} ${e.ident}[${e.pid}]: ${e.message}`;
}

export function journalctlCommand(agent: NodeAgent): Command {
  return {
    name: "journalctl",
    summary: "print log entries from the systemd journal",
    usage: "journalctl [OPTIONS...] [MATCHES...]",
    spec: {
      flags: [
        { name: "unit", short: "u", long: "unit", value: "required", valueName: "UNIT", help: "show logs from the specified unit" },
        { name: "lines", short: "n", long: "lines", value: "required", valueName: "INTEGER", help: "number of journal entries to show" },
        { name: "boot", short: "b", long: "boot", help: "show current boot" },
        { name: "follow", short: "f", long: "follow", help: "follow the journal" },
        { name: "pager-end", short: "e", long: "pager-end", help: "immediately jump to the end in the pager" },
        { name: "no-pager", long: "no-pager", help: "do not pipe output into a pager" },
        { name: "catalog", short: "x", long: "catalog", help: "add message explanations where available" },
        { name: "reverse", short: "r", long: "reverse", help: "show the newest entries first" },
      ],
    },
    run(args) {
      const units = args.values("unit").map((u) => u.replace(/\.service$/, ""));
      let entries = agent.journal.entries.filter((e) => units.length === 0 || units.includes(e.unit));
      if (args.has("boot")) entries = entries.filter((e) => e.boot === agent.machine.bootID);
      const count = args.has("lines") ? Number(args.value("lines")) : args.has("follow") || args.has("pager-end") ? (args.has("pager-end") ? 1000 : 10) : undefined;
      if (args.has("lines") && !Number.isInteger(count)) return { stdout: "", stderr: `Failed to parse lines '${args.value("lines")}'\n`, exitCode: 1 };
      if (count !== undefined) entries = entries.slice(-count);
      if (args.has("reverse")) entries = [...entries].reverse();
      if (entries.length === 0) return { stdout: "-- No entries --\n", stderr: "", exitCode: 0 };
      const lines: string[] = [];
      let boot = entries[0].boot;
      for (const e of entries) {
        if (e.boot !== boot) {
          lines.push(`-- Boot ${e.boot.replace(/-/g, "")} --`);
          boot = e.boot;
        }
        lines.push(journalLine(agent.name, e));
      }
      return { stdout: lines.join("\n") + "\n", stderr: "", exitCode: 0 };
    },
  };
}
