/**
 * `nsenter` (util-linux 2.37): runs a program of the node inside other namespaces, those of a
 * process (`-t PID`) or pinned files (`--net=/run/netns/red`). `-n` enters the network
 * namespace (the network tools then see its interfaces and routes), `-u` the UTS namespace
 * (its hostname), `-m` the mount namespace (a container's file system); `-i`, `-p`, `-U`,
 * `-C`, `-T` are entered too, with nothing here that they change; `-a` enters all. Without a
 * program it starts a shell there.
 *
 * @example
 * nsenter -t 41873 -n ip addr
 * nsenter --net=/run/netns/red ip route
 */
import type { Command, CommandResult, FileSystem, HostInfo, LocationInit } from "../../shell";
import { hostAddresses, shellSource, type NetStack } from "../../net";
import type { NodeAgent } from "../agent";

/** The types in the order nsenter opens them (its namespace_files table); `mount` is `mnt` under /proc. */
const ORDER = ["user", "cgroup", "ipc", "uts", "net", "pid", "mount", "time"] as const;
const nsFile = (n: string) => (n === "mount" ? "mnt" : n);

export function nsenterCommand(agent: NodeAgent): Command {
  return {
    name: "nsenter",
    summary: "run program in different namespaces",
    usage: "nsenter [options] [<program> [<argument>...]]",
    spec: {
      stopAtOperand: true,
      flags: [
        { name: "all", short: "a", long: "all", help: "enter all namespaces" },
        { name: "target", short: "t", long: "target", value: "required", valueName: "pid", help: "target process to get namespaces from" },
        { name: "mount", short: "m", long: "mount", value: "optional", valueName: "file", help: "enter mount namespace" },
        { name: "uts", short: "u", long: "uts", value: "optional", valueName: "file", help: "enter UTS namespace (hostname etc)" },
        { name: "ipc", short: "i", long: "ipc", value: "optional", valueName: "file", help: "enter System V IPC namespace" },
        { name: "net", short: "n", long: "net", value: "optional", valueName: "file", help: "enter network namespace" },
        { name: "pid", short: "p", long: "pid", value: "optional", valueName: "file", help: "enter pid namespace" },
        { name: "cgroup", short: "C", long: "cgroup", value: "optional", valueName: "file", help: "enter cgroup namespace" },
        { name: "user", short: "U", long: "user", value: "optional", valueName: "file", help: "enter user namespace" },
        { name: "time", short: "T", long: "time", value: "optional", valueName: "file", help: "enter time namespace" },
        { name: "setuid", short: "S", long: "setuid", value: "required", valueName: "uid", help: "set uid in entered namespace" },
        { name: "setgid", short: "G", long: "setgid", value: "required", valueName: "gid", help: "set gid in entered namespace" },
        { name: "preserve-credentials", long: "preserve-credentials", help: "do not touch uids or gids" },
        { name: "root", short: "r", long: "root", value: "optional", valueName: "dir", help: "set the root directory" },
        { name: "wd", short: "w", long: "wd", value: "optional", valueName: "dir", help: "set the working directory" },
        { name: "no-fork", short: "F", long: "no-fork", help: "do not fork before exec'ing <program>" },
      ],
    },
    async run(args, ctx): Promise<CommandResult> {
      const fail = (message: string, exitCode = 1): CommandResult => ({ stdout: "", stderr: `nsenter: ${message}\n`, exitCode });
      const all = args.has("all");
      const wanted = ORDER.filter((n) => all || args.has(n));
      const target = args.value("target");
      if (wanted.length === 0) return fail("no namespace specified");
      // A namespace given as a file needs no target; the others come from the target process.
      const fromTarget = wanted.filter((n) => !args.value(n));
      if (target === undefined && fromTarget.length > 0) return fail(`neither filename nor target pid supplied for ns/${nsFile(fromTarget[0])}`);
      const proc = target === undefined ? undefined : /^\d+$/.test(target) ? agent.processes.get(Number(target)) : undefined;
      if (target !== undefined && !proc) return fail(`cannot open /proc/${target}/ns/${nsFile(wanted[0])}: No such file or directory`);
      let stack: NetStack | undefined;
      if (wanted.includes("net")) {
        const file = args.value("net");
        stack = file ? pinnedStack(agent, ctx.fs, file) : agent.network.stackOf(agent.host.name, proc!.netns.inode);
        if (file && !stack) return fail(`cannot open ${file}: No such file or directory`);
      }
      const container = proc?.container ? agent.runtime.containers.get(proc.container) : undefined;
      const sandbox = proc?.container ? (agent.runtime.sandboxes.get(proc.container) ?? (container && agent.runtime.sandboxes.get(container.sandboxId))) : undefined;
      const netnsInode = stack?.inode ?? (wanted.includes("net") ? proc?.netns.inode : undefined);
      const host: HostInfo = {
        ...ctx.host,
        name: wanted.includes("uts") && !args.value("uts") && proc?.hostname ? proc.hostname : ctx.host.name,
        addresses: netnsInode === undefined ? ctx.host.addresses : stack ? () => hostAddresses(stack!) : () => (sandbox?.ip ? [sandbox.ip] : []),
        netns: netnsInode === undefined ? ctx.host.netns : { network: agent.network, host: agent.host.name, inode: netnsInode },
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
      const [program, ...rest] = args.operands;
      if (!program) {
        ctx.session.pushLocation(location);
        return { stdout: "", stderr: "", exitCode: 0 };
      }
      if (!location.commands.has(program.replace(/^.*\//, ""))) return fail(`failed to execute ${program}: No such file or directory`, 127);
      return ctx.session.runOn(location, shellSource([program, ...rest]), ctx.stdin);
    },
  };
}

/** The network namespace a file pins: `/run/netns/NAME` (or /var/run/…) or `/proc/PID/ns/net`. */
function pinnedStack(agent: NodeAgent, fs: FileSystem, file: string): NetStack | undefined {
  const proc = /^\/proc\/(\d+)\/ns\/net$/.exec(file);
  if (proc) {
    const p = agent.processes.get(Number(proc[1]));
    return p ? agent.network.stackOf(agent.host.name, p.netns.inode) : undefined;
  }
  const named = /^(?:\/var)?\/run\/netns\/([^/]+)$/.exec(file);
  if (!named || !fs.exists(file)) return undefined;
  return agent.network.stacksOn(agent.host.name).find((s) => s.name === named[1]);
}
