/**
 * `brctl show [BRIDGE…]` and `brctl showmacs BRIDGE` (bridge-utils 1.7): the bridges of the
 * namespace with their id, STP state and ports (sorted by name, as /sys/class/net/BR/brif
 * lists them), and the MACs a bridge knows per port.
 *
 * @example
 * brctl show cni0
 */
import type { Command, CommandResult } from "../../shell";
import { bridgePorts } from "../kernel/link-state";
import type { Link } from "../kernel/link";
import type { NetStack } from "../kernel/stack";
import { currentNet } from "./context";

const USAGE = `Usage: brctl [commands]
commands:
	addbr     	<bridge>		add bridge
	delbr     	<bridge>		delete bridge
	addif     	<bridge> <device>	add interface to bridge
	delif     	<bridge> <device>	delete interface from bridge
	hairpin   	<bridge> <port> {on|off}	turn hairpin on/off
	setageing 	<bridge> <time>		set ageing time
	setbridgeprio	<bridge> <prio>		set bridge priority
	setfd     	<bridge> <time>		set bridge forward delay
	sethello  	<bridge> <time>		set hello time
	setmaxage 	<bridge> <time>		set max message age
	setpathcost	<bridge> <port> <cost>	set path cost
	setportprio	<bridge> <port> <prio>	set port priority
	show      	[ <bridge> ]		show a list of bridges
	showmacs  	<bridge>		show a list of mac addrs
	showstp   	<bridge>		show bridge stp info
	stp       	<bridge> {on|off}	turn stp on/off
`;

/** `8000.663130c02043`: priority, then the MAC without colons. */
function bridgeId(bridge: Link): string {
  return `8000.${bridge.mac.replace(/:/g, "")}`;
}

function showBridge(stack: NetStack, bridge: Link): string {
  const ports = bridgePorts(stack, bridge).map((p) => p.name).sort();
  let s = `${bridge.name}\t\t${bridgeId(bridge)}\tno\t\t`;
  if (ports.length === 0) return `${s}\n`;
  s += `${ports[0]}\n`;
  for (const p of ports.slice(1)) s += `\t\t\t\t\t\t\t${p}\n`;
  return s;
}

function showMacs(stack: NetStack, bridge: Link): string {
  // A port's own MAC is local; learned entries carry no age here, so every timer reads 0.00.
  const rows: { port: number; mac: string; local: boolean }[] = [];
  for (const p of bridgePorts(stack, bridge)) rows.push({ port: p.portNo ?? 1, mac: p.mac, local: true });
  for (const e of bridge.fdb ?? []) {
    const port = e.port === undefined ? undefined : stack.links.get(e.port);
    rows.push({ port: port?.portNo ?? 1, mac: e.mac, local: false });
  }
  rows.sort((a, b) => a.port - b.port || (a.mac < b.mac ? -1 : 1));
  return "port no\tmac addr\t\tis local?\tageing timer\n" + rows.map((r) => `${String(r.port).padStart(3)}\t${r.mac}\t${r.local ? "yes" : "no "}\t\t   0.00\n`).join("");
}

export const brctlCommand: Command = {
  name: "brctl",
  summary: "ethernet bridge administration",
  usage: "brctl [commands]",
  path: "/usr/sbin/brctl",
  spec: { flags: [], raw: true },
  run(args, ctx): CommandResult {
    const [cmd, ...rest] = args.operands;
    const here = currentNet(ctx);
    if (!here) return { stdout: "", stderr: "brctl: cannot open netlink socket\n", exitCode: 1 };
    const { stack } = here;
    if (cmd === undefined) return { stdout: "", stderr: USAGE, exitCode: 1 };
    if (cmd === "show") {
      const bridges = [...stack.links.values()].filter((l) => l.kind === "bridge").sort((a, b) => (a.name < b.name ? -1 : 1));
      let stdout = "bridge name\tbridge id\t\tSTP enabled\tinterfaces\n";
      let stderr = "";
      for (const name of rest.length > 0 ? rest : bridges.map((b) => b.name)) {
        const bridge = bridges.find((b) => b.name === name);
        if (bridge) stdout += showBridge(stack, bridge);
        else stderr += `bridge ${name} does not exist!\n`;
      }
      return { stdout, stderr, exitCode: stderr ? 1 : 0 };
    }
    if (cmd === "showmacs") {
      const bridge = stack.link(rest[0] ?? "");
      if (rest.length !== 1) return { stdout: "", stderr: "Incorrect number of arguments for command\nUsage: brctl showmacs <bridge>\tshow a list of mac addrs\n", exitCode: 1 };
      if (!bridge || bridge.kind !== "bridge") return { stdout: "", stderr: `read of forward table failed: No such device\n`, exitCode: 1 };
      return { stdout: showMacs(stack, bridge), stderr: "", exitCode: 0 };
    }
    const known = USAGE.split("\n").slice(2).map((l) => l.trim().split(/\s+/)[0]);
    if (known.includes(cmd)) return { stdout: "", stderr: `brctl: "brctl ${cmd}" is not simulated here; use ip link (add … type bridge, set … master …)\n`, exitCode: 1 };
    return { stdout: "", stderr: `never heard of command [${cmd}]\n${USAGE}`, exitCode: 1 };
  },
};
