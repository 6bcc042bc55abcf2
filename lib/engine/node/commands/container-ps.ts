/**
 * `ps` inside a container, as BusyBox's applet prints it: the processes of the container's PID
 * namespace (its own, or its target's for an ephemeral container started with `--target`),
 * numbered as that namespace numbers them, itself last. A module-level command shared by every
 * container: the shell location says which processes it sees (`host.processes`).
 *
 * @example
 * ps   // PID   USER     TIME  COMMAND\n    1 root      0:00 nginx: master process …
 */
import type { Command, CommandResult, NamespaceProcess } from "../../shell";

const time = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
const line = (p: NamespaceProcess) => `${String(p.pid).padStart(5)} ${p.user.slice(0, 8).padEnd(8)} ${time(p.cpuSeconds).padStart(5)} ${p.args}\n`;

export const containerPsCommand: Command = {
  name: "ps",
  summary: "report process status",
  usage: "ps [-o COL1,COL2=HEADER] [-T]",
  spec: { raw: true, flags: [] },
  run(args, ctx): CommandResult {
    const unknown = args.operands.find((w) => w.startsWith("-") && !/^-[ef]+$/.test(w));
    if (unknown) return { stdout: "", stderr: `ps: unrecognized option: ${unknown.replace(/^-+/, "").slice(0, 1)}\nBusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ps [-o COL1,COL2=HEADER] [-T]\n`, exitCode: 1 };
    const procs = ctx.host.processes?.() ?? [];
    const self: NamespaceProcess = { pid: (procs[procs.length - 1]?.pid ?? 0) + 1, user: ctx.host.user, cpuSeconds: 0, args: ["ps", ...args.operands].join(" ") };
    return { stdout: `PID   USER     TIME  COMMAND\n${[...procs, self].map(line).join("")}`, stderr: "", exitCode: 0 };
  },
};
