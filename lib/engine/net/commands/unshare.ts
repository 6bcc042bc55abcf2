/**
 * `unshare` (util-linux 2.37.2): runs a program (a shell when none is given) in new namespaces.
 * `-n`/`--net` gives it a fresh network namespace on this machine (only lo, down), which dies
 * with the program unless pinned with `--net=/run/netns/NAME` (a file that must exist, as for
 * the bind mount). The other namespace flags (`-m -u -i -p -U -C -T`, `-f`, `-r`) are accepted
 * as util-linux accepts them; only the network one changes what the tools here see.
 *
 * @example
 * unshare --net ip link
 * unshare -n        # a shell in an empty network namespace; exit ends it
 */
import type { Command, CommandResult, LocationExitHook } from "../../shell";
import type { ClusterNetwork } from "../network";
import { currentNet, locationAs, locationIn, shellSource } from "./context";

/** Ends an unshared namespace when the shell started in it exits (no closure: state-like object). */
class NamespaceEndsWithShell implements LocationExitHook {
  constructor(
    private readonly network: ClusterNetwork,
    private readonly stackId: string,
  ) {}

  async left(status: number): Promise<CommandResult> {
    const stack = this.network.stack(this.stackId);
    if (stack) this.network.deleteNamespace(stack);
    return { stdout: "", stderr: "", exitCode: status };
  }
}

const NAMESPACE_FLAGS = ["mount", "uts", "ipc", "net", "pid", "user", "cgroup", "time"] as const;

export const unshareCommand: Command = {
  name: "unshare",
  summary: "run program in new namespaces",
  usage: "unshare [options] [<program> [<argument>...]]",
  path: "/usr/bin/unshare",
  spec: {
    stopAtOperand: true,
    flags: [
      { name: "mount", short: "m", long: "mount", value: "optional", valueName: "file", help: "unshare mounts namespace" },
      { name: "uts", short: "u", long: "uts", value: "optional", valueName: "file", help: "unshare UTS namespace (hostname etc)" },
      { name: "ipc", short: "i", long: "ipc", value: "optional", valueName: "file", help: "unshare System V IPC namespace" },
      { name: "net", short: "n", long: "net", value: "optional", valueName: "file", help: "unshare network namespace" },
      { name: "pid", short: "p", long: "pid", value: "optional", valueName: "file", help: "unshare pid namespace" },
      { name: "user", short: "U", long: "user", value: "optional", valueName: "file", help: "unshare user namespace" },
      { name: "cgroup", short: "C", long: "cgroup", value: "optional", valueName: "file", help: "unshare cgroup namespace" },
      { name: "time", short: "T", long: "time", value: "optional", valueName: "file", help: "unshare time namespace" },
      { name: "fork", short: "f", long: "fork", help: "fork before launching <program>" },
      { name: "map-root-user", short: "r", long: "map-root-user", help: "map current user to root (implies --user)" },
      { name: "mount-proc", long: "mount-proc", value: "optional", valueName: "dir", help: "mount proc filesystem first (implies --mount)" },
      { name: "kill-child", long: "kill-child", value: "optional", valueName: "signame", help: "when dying, kill the forked child (implies --fork)" },
      { name: "propagation", long: "propagation", value: "required", valueName: "slave|shared|private|unchanged", help: "modify mount propagation in mount namespace" },
    ],
  },
  async run(args, ctx): Promise<CommandResult> {
    const asked = NAMESPACE_FLAGS.filter((f) => args.has(f));
    const userns = args.has("user") || args.has("map-root-user");
    if (asked.length > 0 && ctx.host.uid !== 0 && !userns) return { stdout: "", stderr: "unshare: unshare failed: Operation not permitted\n", exitCode: 1 };
    const pinned = NAMESPACE_FLAGS.find((f) => f !== "net" && args.value(f));
    if (pinned) return { stdout: "", stderr: `unshare: pinning a ${pinned} namespace to a file is not simulated here\n`, exitCode: 1 };
    const [program, ...rest] = args.operands;
    const shell = ctx.env.get("SHELL") || "/bin/sh";
    const argv = program === undefined ? [shell] : [program, ...rest];
    if (!ctx.commands.has(argv[0].replace(/^.*\//, ""))) return { stdout: "", stderr: `unshare: failed to execute ${argv[0]}: No such file or directory\n`, exitCode: 127 };
    if (!args.has("net")) {
      const same = locationAs(ctx, ctx.host);
      if (program !== undefined) return ctx.session.runOn(same, shellSource(argv), ctx.stdin);
      ctx.session.pushLocation(same);
      return { stdout: "", stderr: "", exitCode: 0 };
    }
    const here = currentNet(ctx);
    if (!here) return { stdout: "", stderr: "unshare: unshare failed: Operation not permitted\n", exitCode: 1 };
    const { network, stack: from } = here;
    const file = args.value("net");
    let name = "";
    if (file) {
      const m = /^(?:\/var)?\/run\/netns\/([^/]+)$/.exec(file);
      if (!ctx.fs.exists(ctx.resolve(file))) return { stdout: "", stderr: `unshare: mount /proc/self/ns/net on ${file} failed: No such file or directory\n`, exitCode: 1 };
      if (!m) return { stdout: "", stderr: "unshare: pinning a network namespace outside /run/netns is not simulated here\n", exitCode: 1 };
      name = m[1];
      // The new namespace is mounted over whatever the file pinned before.
      const old = network.stacksOn(from.host).find((x) => x.name === name);
      if (old) network.deleteNamespace(old);
    }
    const stack = network.createNamespace({ host: from.host, inode: network.allocateInode(from.host), name });
    const location = locationIn(ctx, network, stack);
    if (program === undefined) {
      ctx.session.pushLocation(name ? location : { ...location, onExit: new NamespaceEndsWithShell(network, stack.id) });
      return { stdout: "", stderr: "", exitCode: 0 };
    }
    const result = await ctx.session.runOn(location, shellSource(argv), ctx.stdin);
    if (!name) network.deleteNamespace(stack);
    return result;
  },
};
