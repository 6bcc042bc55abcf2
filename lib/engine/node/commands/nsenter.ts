/**
 * `nsenter -t PID -n [CMD…]` (util-linux 2.37): runs a program of the node inside another
 * process's namespaces. `-n` enters its network namespace (commands then see the pod's
 * addresses: the location's host carries the namespace as `netns` for the network tools),
 * `-u` its UTS namespace (its hostname), `-m` its mount namespace (its file system); `-a` all.
 * Without a command it starts a shell there.
 *
 * @example
 * nsenter -t 41873 -n hostname -I
 */
import type { Command, CommandResult, HostInfo, LocationInit } from "../../shell";
import type { NodeAgent } from "../agent";

export function nsenterCommand(agent: NodeAgent): Command {
  return {
    name: "nsenter",
    summary: "run program in different namespaces",
    usage: "nsenter [options] [<program> [<argument>...]]",
    spec: {
      stopAtOperand: true,
      flags: [
        { name: "target", short: "t", long: "target", value: "required", valueName: "pid", help: "target process to get namespaces from" },
        { name: "net", short: "n", long: "net", value: "optional", valueName: "file", help: "enter network namespace" },
        { name: "uts", short: "u", long: "uts", value: "optional", valueName: "file", help: "enter UTS namespace (hostname etc)" },
        { name: "mount", short: "m", long: "mount", value: "optional", valueName: "file", help: "enter mount namespace" },
        { name: "ipc", short: "i", long: "ipc", value: "optional", valueName: "file", help: "enter System V IPC namespace" },
        { name: "pid", short: "p", long: "pid", value: "optional", valueName: "file", help: "enter pid namespace" },
        { name: "all", short: "a", long: "all", help: "enter all namespaces" },
      ],
    },
    async run(args, ctx): Promise<CommandResult> {
      const all = args.has("all");
      const wanted = ["net", "uts", "mount", "ipc", "pid"].filter((n) => all || args.has(n));
      const target = args.value("target");
      if (wanted.length === 0) return { stdout: "", stderr: "nsenter: no namespace specified\n", exitCode: 1 };
      if (target === undefined) return { stdout: "", stderr: `nsenter: neither filename nor target pid supplied for ns/${wanted[0] === "mount" ? "mnt" : wanted[0]}\n`, exitCode: 1 };
      const proc = agent.processes.get(Number(target));
      if (!proc || !/^\d+$/.test(target)) {
        return { stdout: "", stderr: `nsenter: cannot open /proc/${target}/ns/${wanted[0] === "mount" ? "mnt" : wanted[0]}: No such file or directory\n`, exitCode: 1 };
      }
      const [program, ...rest] = args.operands;
      const container = proc.container ? agent.runtime.containers.get(proc.container) : undefined;
      const sandbox = proc.container ? (agent.runtime.sandboxes.get(proc.container) ?? (container && agent.runtime.sandboxes.get(container.sandboxId))) : undefined;
      const netns = wanted.includes("net") ? proc.netns : undefined;
      const ip = netns?.name && sandbox ? sandbox.ip : undefined;
      const host: HostInfo = {
        ...ctx.host,
        name: wanted.includes("uts") && proc.hostname ? proc.hostname : ctx.host.name,
        addresses: netns ? () => (ip ? [ip] : netns.name ? [] : (ctx.host.addresses?.() ?? [])) : ctx.host.addresses,
        netns: netns ? { network: agent.network, host: agent.host.name, inode: netns.inode } : ctx.host.netns,
      };
      const location: LocationInit = {
        host,
        fs: wanted.includes("mount") && container ? container.fs : ctx.fs,
        commands: ctx.commands,
        cwd: ctx.cwd,
        env: Object.fromEntries(ctx.env.environment()),
        ps1: ctx.env.get("PS1"),
        exitMessage: "exit\n",
      };
      if (!program) {
        ctx.session.pushLocation(location);
        return { stdout: "", stderr: "", exitCode: 0 };
      }
      if (!location.commands.has(program.replace(/^.*\//, ""))) return { stdout: "", stderr: `nsenter: failed to execute ${program}: No such file or directory\n`, exitCode: 127 };
      const quote = (w: string) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`);
      return ctx.session.runOn(location, [program, ...rest].map(quote).join(" "), ctx.stdin);
    },
  };
}
