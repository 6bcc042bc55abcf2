/**
 * `uname` (GNU coreutils): the node's kernel, the one its Node's `kernelVersion` reports.
 *
 * @example
 * uname -r   # 5.15.0-1071-kvm
 */
import type { Command } from "../../shell";
import type { NodeAgent } from "../agent";
import { KERNEL, KERNEL_BUILD } from "../machine";

export function unameCommand(agent: NodeAgent): Command {
  return {
    name: "uname",
    summary: "print system information",
    usage: "uname [OPTION]...",
    spec: {
      flags: [
        { name: "all", short: "a", long: "all", help: "print all information" },
        { name: "kernel-name", short: "s", long: "kernel-name", help: "print the kernel name" },
        { name: "nodename", short: "n", long: "nodename", help: "print the network node hostname" },
        { name: "kernel-release", short: "r", long: "kernel-release", help: "print the kernel release" },
        { name: "kernel-version", short: "v", long: "kernel-version", help: "print the kernel version" },
        { name: "machine", short: "m", long: "machine", help: "print the machine hardware name" },
        { name: "processor", short: "p", long: "processor", help: "print the processor type" },
        { name: "hardware-platform", short: "i", long: "hardware-platform", help: "print the hardware platform" },
        { name: "operating-system", short: "o", long: "operating-system", help: "print the operating system" },
      ],
    },
    run(args) {
      if (args.operands.length > 0) return { stdout: "", stderr: `uname: extra operand ‘${args.operands[0]}’\nTry 'uname --help' for more information.\n`, exitCode: 1 };
      const all = args.has("all");
      const fields: [string, string][] = [
        ["kernel-name", "Linux"], ["nodename", agent.name], ["kernel-release", KERNEL], ["kernel-version", KERNEL_BUILD],
        ["machine", "x86_64"], ["processor", "x86_64"], ["hardware-platform", "x86_64"], ["operating-system", "GNU/Linux"],
      ];
      const chosen = fields.filter(([flag]) => all || args.has(flag));
      const out = chosen.length > 0 ? chosen.map(([, v]) => v) : ["Linux"];
      return { stdout: out.join(" ") + "\n", stderr: "", exitCode: 0 };
    },
  };
}
