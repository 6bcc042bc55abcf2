/**
 * `ps` (procps-ng 3.3.17) over the node's process table: `ps aux` (BSD user format),
 * `ps -ef` (full format), `ps -e`, `ps -p PID` and plain `ps` (this terminal's processes).
 * Pod processes appear as the host sees them: containerd-shim-runc-v2 per pod, `/pause`
 * as uid 65535, nginx workers as uid 101 (`systemd+` on Ubuntu), each container's own PID 1.
 *
 * @example
 * ps aux | grep nginx
 */
import type { Command, CommandResult } from "../../shell";
import type { NodeAgent } from "../agent";
import { clockTime, monthDay, sameDay } from "../format";
import { MEMORY_KIB } from "../machine";
import { ROOT_NETNS, type Process } from "../runtime/processes";
import { userName } from "./kit";

/** Fields padded to their widths; a field that overflows borrows from the padding after it, as procps does. */
function row(fields: readonly [string, number][], last: string): string {
  let out = "";
  let debt = 0;
  for (const [i, [text, width]] of fields.entries()) {
    const abs = Math.abs(width);
    const room = Math.max(text.length, abs - debt);
    debt = Math.max(0, debt + text.length - abs);
    out += (i > 0 ? " " : "") + (width < 0 ? text.padEnd(room) : text.padStart(room));
  }
  return `${out} ${last}`;
}

/** The login session (sshd, bash) on this node, created the first time a shell here asks. */
function session(agent: NodeAgent, now: number): Process[] {
  const table = agent.processes;
  let bash = table.list().find((p) => p.args === "-bash");
  if (!bash) {
    const sshd = table.spawn({ ppid: 622, uid: 0, args: "sshd: root@pts/0", netns: ROOT_NETNS, start: now, vsz: 17_200, rss: 11_000, stat: "Ss" }, 3);
    bash = table.spawn({ ppid: sshd.pid, uid: 0, args: "-bash", netns: ROOT_NETNS, start: now, vsz: 8_900, rss: 5_400, stat: "Ss", tty: "pts/0" }, 1);
  }
  return [bash];
}

function cpuTime(p: Process, now: number): number {
  return Math.floor(((p.cpu / 100) * (now - p.start)) / 1000);
}

export function psCommand(agent: NodeAgent): Command {
  return {
    name: "ps",
    summary: "report a snapshot of the current processes",
    usage: "ps [options]",
    spec: { raw: true, flags: [] },
    run(args, ctx): CommandResult {
      const now = ctx.clock.now();
      const [bash] = session(agent, now);
      const words = args.operands;
      const self: Process = { pid: agent.processes.peek(), ppid: bash.pid, uid: 0, args: ["ps", ...words].join(" "), netns: ROOT_NETNS, start: now, vsz: 10_000, rss: 3_400, stat: "R+", tty: "pts/0", cpu: 0 };
      const bsd = words.length > 0 && /^[auxwf]+$/.test(words[0]);
      const flags = new Set(bsd ? [...words[0]] : words.filter((w) => w.startsWith("-")).flatMap((w) => [...w.slice(1)]));
      for (const f of flags) {
        if (!"auxwfeAp".includes(f)) {
          return { stdout: "", stderr: `error: unsupported option (BSD syntax)\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n`, exitCode: 1 };
        }
      }
      let procs = [...agent.processes.list(), self];
      if (flags.has("p")) {
        const wanted = words[words.indexOf(words.find((w) => w.startsWith("-p"))!) + 1]?.split(",").map(Number) ?? [];
        procs = procs.filter((p) => wanted.includes(p.pid));
      } else if (!(bsd ? flags.has("a") || flags.has("x") : flags.has("e") || flags.has("A"))) {
        procs = procs.filter((p) => p.tty === "pts/0");
      }
      const cut = (line: string) => (ctx.terminal.isTerminal && !flags.has("w") && line.length > ctx.terminal.columns ? line.slice(0, ctx.terminal.columns) : line);
      const lines: string[] = [];
      const start = (p: Process) => (sameDay(p.start, now) ? clockTime(p.start).slice(0, 5) : monthDay(p.start));
      if (bsd && flags.has("u")) {
        lines.push("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND");
        for (const p of procs) {
          const t = cpuTime(p, now);
          lines.push(cut(row([
            [userName(agent.host.fs, p.uid), -8], [String(p.pid), 7], [p.cpu.toFixed(1), 4], [((p.rss / MEMORY_KIB) * 100).toFixed(1), 4],
            [String(p.vsz), 6], [String(p.rss), 5], [p.tty, -8], [p.stat, -4], [start(p), 5], [`${Math.floor(t / 60)}:${String(t % 60).padStart(2, "0")}`, 6],
          ], p.args)));
        }
      } else if (flags.has("f")) {
        lines.push("UID          PID    PPID  C STIME TTY          TIME CMD");
        for (const p of procs) {
          const t = cpuTime(p, now);
          const time = `${String(Math.floor(t / 3600)).padStart(2, "0")}:${String(Math.floor(t / 60) % 60).padStart(2, "0")}:${String(t % 60).padStart(2, "0")}`;
          lines.push(cut(row([[userName(agent.host.fs, p.uid), -8], [String(p.pid), 7], [String(p.ppid), 7], [String(Math.round(p.cpu)), 2], [start(p), 5], [p.tty, -8], [time, 8]], p.args)));
        }
      } else {
        lines.push("    PID TTY          TIME CMD");
        for (const p of procs) {
          const t = cpuTime(p, now);
          const name = p.args.startsWith("[") ? p.args.slice(1, -1) : p.args.split(" ")[0].replace(/^.*\//, "").replace(/^-/, "").replace(/:$/, "");
          lines.push(`${String(p.pid).padStart(7)} ${p.tty.padEnd(8)} ${`${String(Math.floor(t / 3600)).padStart(2, "0")}:${String(Math.floor(t / 60) % 60).padStart(2, "0")}:${String(t % 60).padStart(2, "0")}`} ${name}`);
        }
      }
      return { stdout: lines.join("\n") + "\n", stderr: "", exitCode: 0 };
    },
  };
}
