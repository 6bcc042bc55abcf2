/**
 * `lsns` (util-linux 2.37): the namespaces of the node's processes, every type (cgroup, ipc,
 * mnt, net, pid, time, user, uts) or one (`-t net`), each with its process count, lowest PID,
 * that process's user and command. `-t net` adds NETNSID (the id the host's namespace gives a
 * pod's) and NSFS (where containerd pinned it, `/run/netns/cni-…`). `-p PID` lists one
 * process's namespaces; `-o` picks columns, `-n` drops the header, `-r` prints raw, `-u`
 * does not truncate.
 *
 * @example
 * lsns -t net -n -p 1538 | awk '{print $1}'
 */
import type { Command } from "../../shell";
import type { NodeAgent } from "../agent";
import { NAMESPACE_TYPES, namespaceOf, type NamespaceType, type Process } from "../runtime/processes";
import { userName } from "./kit";

const COLUMNS = ["NS", "TYPE", "PATH", "NPROCS", "PID", "PPID", "COMMAND", "UID", "USER", "NETNSID", "NSFS"] as const;
type Column = (typeof COLUMNS)[number];
/** Columns lsns aligns left; the rest are numbers, aligned right. */
const LEFT: ReadonlySet<Column> = new Set(["TYPE", "PATH", "COMMAND", "USER", "NSFS"]);

interface Row {
  inode: number;
  type: NamespaceType;
  procs: Process[];
}

export function lsnsCommand(agent: NodeAgent): Command {
  return {
    name: "lsns",
    summary: "list namespaces",
    usage: "lsns [options] [<namespace>]",
    path: "/usr/bin/lsns",
    spec: {
      flags: [
        { name: "json", short: "J", long: "json", help: "use JSON output format" },
        { name: "list", short: "l", long: "list", help: "use list format output" },
        { name: "noheadings", short: "n", long: "noheadings", help: "don't print headings" },
        { name: "output", short: "o", long: "output", value: "required", valueName: "list", help: "define which output columns to use" },
        { name: "output-all", long: "output-all", help: "output all columns" },
        { name: "task", short: "p", long: "task", value: "required", valueName: "pid", help: "print process namespaces" },
        { name: "raw", short: "r", long: "raw", help: "use the raw output format" },
        { name: "notruncate", short: "u", long: "notruncate", help: "don't truncate text in columns" },
        { name: "nowrap", short: "W", long: "nowrap", help: "don't use multi-line representation" },
        { name: "type", short: "t", long: "type", value: "required", valueName: "name", help: "namespace type (mnt, net, ipc, user, pid, uts, cgroup, time)" },
      ],
    },
    run(args, ctx) {
      const fail = (message: string) => ({ stdout: "", stderr: `lsns: ${message}\n`, exitCode: 1 });
      if (args.has("json")) return fail("JSON output is not simulated here");
      const types = args.values("type").map((t) => (t === "mount" ? "mnt" : t));
      const unknown = types.find((t) => !(NAMESPACE_TYPES as readonly string[]).includes(t));
      if (unknown !== undefined) return fail(`unknown namespace type: ${unknown}`);
      let columns: Column[] = ["NS", "TYPE", "NPROCS", "PID", "USER", ...(types.length === 1 && types[0] === "net" ? (["NETNSID", "NSFS"] as Column[]) : []), "COMMAND"];
      if (args.has("output-all")) columns = [...COLUMNS];
      const output = args.value("output");
      if (output !== undefined) {
        const asked = output.replace(/^\+/, "").split(",").map((c) => c.toUpperCase());
        const bad = asked.find((c) => !(COLUMNS as readonly string[]).includes(c));
        if (bad !== undefined) return fail(`unknown column: ${bad}`);
        columns = output.startsWith("+") ? [...columns, ...(asked as Column[])] : (asked as Column[]);
      }
      const task = args.value("task");
      const procs = agent.processes.list();
      if (task !== undefined && !/^\d+$/.test(task)) return fail(`invalid PID argument: '${task}'`);
      // An unknown PID leaves nothing to list but the header.
      const target = task === undefined ? undefined : agent.processes.get(Number(task));
      // One row per namespace: the processes in it, the lowest PID first.
      const rows = new Map<string, Row>();
      for (const p of procs) {
        for (const type of NAMESPACE_TYPES) {
          if (types.length > 0 && !types.includes(type)) continue;
          const inode = namespaceOf(p, type);
          const key = `${type}:${inode}`;
          const row = rows.get(key) ?? { inode, type, procs: [] };
          row.procs.push(p);
          rows.set(key, row);
        }
      }
      let list = [...rows.values()].sort((a, b) => a.inode - b.inode);
      if (task !== undefined) list = list.filter((r) => target !== undefined && r.procs.includes(target));
      const cell = (r: Row, c: Column): string => {
        const first = r.procs[0];
        switch (c) {
          case "NS": return String(r.inode);
          case "TYPE": return r.type;
          case "PATH": return `/proc/${first.pid}/ns/${r.type}`;
          case "NPROCS": return String(r.procs.length);
          case "PID": return String(first.pid);
          case "PPID": return String(first.ppid);
          case "COMMAND": return first.args;
          case "UID": return String(first.uid);
          case "USER": return userName(agent.host.fs, first.uid, 32);
          case "NETNSID": return r.type === "net" ? netnsid(agent, r) : "";
          case "NSFS": return r.type === "net" && first.netns.name ? `/run/netns/${first.netns.name}` : "";
        }
      };
      const body = list.map((r) => columns.map((c) => cell(r, c)));
      const all = args.has("noheadings") ? body : [columns as string[], ...body];
      if (args.has("raw")) return { stdout: all.map((r) => r.map((v) => v.replace(/ /g, "\\x20")).join(" ") + "\n").join(""), stderr: "", exitCode: 0 };
      const widths = columns.map((_, i) => Math.max(...all.map((r) => r[i].length)));
      const lines = all.map((r) => r.map((v, i) => (i === r.length - 1 ? v : LEFT.has(columns[i]) ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(" ").trimEnd());
      const truncate = ctx.terminal.isTerminal && !args.has("notruncate");
      return { stdout: lines.map((l) => (truncate && l.length > ctx.terminal.columns ? l.slice(0, ctx.terminal.columns) : l) + "\n").join(""), stderr: "", exitCode: 0 };
    },
  };
}

/** The id the host's network namespace gives this one, from the kernel, or `unassigned`. */
function netnsid(agent: NodeAgent, r: Row): string {
  const network = agent.network;
  const stack = network.stackOf(agent.host.name, r.inode);
  const host = network.host(agent.host.name);
  if (stack && host) {
    const id = stack === host ? undefined : host.nsids.get(stack.id);
    return id === undefined ? "unassigned" : String(id);
  }
  // A sandbox whose namespace the network does not model keeps the id containerd recorded.
  const nsid = r.procs[0].netns.nsid;
  return nsid < 0 ? "unassigned" : String(nsid);
}
