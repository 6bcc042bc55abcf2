/**
 * `lsns -t net` (util-linux 2.37): the node's network namespaces, the host's and one per pod
 * sandbox, each with its process count, lowest PID, that process's user and command, its
 * NETNSID and where it is pinned (`/run/netns/cni-…`).
 *
 * @example
 * lsns -t net
 */
import type { Command } from "../../shell";
import type { NodeAgent } from "../agent";
import type { NetNamespace, Process } from "../runtime/processes";
import { userName } from "./kit";

export function lsnsCommand(agent: NodeAgent): Command {
  return {
    name: "lsns",
    summary: "list namespaces",
    usage: "lsns [options] [<namespace>]",
    path: "/usr/bin/lsns",
    spec: {
      flags: [
        { name: "type", short: "t", long: "type", value: "required", valueName: "type", help: "namespace type (mnt, net, ipc, user, pid, uts, cgroup, time)" },
        { name: "noheadings", short: "n", long: "noheadings", help: "don't print headings" },
        { name: "task", short: "p", long: "task", value: "required", valueName: "pid", help: "print process namespaces" },
      ],
    },
    run(args, ctx) {
      const type = args.value("type");
      if (type === undefined || type !== "net") {
        const valid = ["mnt", "net", "ipc", "user", "pid", "uts", "cgroup", "time"];
        if (type !== undefined && !valid.includes(type)) return { stdout: "", stderr: `lsns: unknown namespace type: ${type}\n`, exitCode: 1 };
        return { stdout: "", stderr: "lsns: only network namespaces are simulated here; use lsns -t net\n", exitCode: 1 };
      }
      const groups = new Map<number, { ns: NetNamespace; procs: Process[] }>();
      for (const p of agent.processes.list()) {
        const g = groups.get(p.netns.inode) ?? { ns: p.netns, procs: [] };
        g.procs.push(p);
        groups.set(p.netns.inode, g);
      }
      let list = [...groups.values()].sort((a, b) => a.ns.inode - b.ns.inode);
      const task = args.value("task");
      if (task !== undefined) list = list.filter((g) => g.procs.some((p) => String(p.pid) === task));
      const rows = list.map(({ ns, procs }) => {
        const first = procs[0];
        return [String(ns.inode), "net", String(procs.length), String(first.pid), userName(agent.host.fs, first.uid, 32), ns.nsid < 0 ? "unassigned" : String(ns.nsid), ns.name ? `/run/netns/${ns.name}` : "", first.args];
      });
      const header = ["NS", "TYPE", "NPROCS", "PID", "USER", "NETNSID", "NSFS", "COMMAND"];
      const leftAligned = new Set([1, 4, 6, 7]);
      const all = args.has("noheadings") ? rows : [header, ...rows];
      const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
      const lines = all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : leftAligned.has(i) ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(" "));
      const cut = (l: string) => (ctx.terminal.isTerminal && l.length > ctx.terminal.columns ? l.slice(0, ctx.terminal.columns) : l);
      return { stdout: lines.map((l) => cut(l.trimEnd()) + "\n").join(""), stderr: "", exitCode: 0 };
    },
  };
}
