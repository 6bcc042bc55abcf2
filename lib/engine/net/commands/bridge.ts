/**
 * `bridge` from iproute2 5.15: `bridge fdb show [dev X | br Y]` (the forwarding database as the
 * kernel dumps it: ports' own and learned MACs, the bridge's, VXLAN remotes, each device's
 * multicast addresses) and `bridge link [show] [dev X]` (each bridge port with its STP state,
 * priority and cost).
 *
 * @example
 * bridge fdb show br cni0
 * bridge link
 */
import type { Command, CommandContext, CommandResult } from "../../shell";
import { fdbDump } from "../kernel/fdb";
import { linkFlags, portState } from "../kernel/link-state";
import { formatIP } from "../../util/ipv4";
import { currentNet } from "./context";
import { fail, findLink, IpExit, matches, Words } from "./ip/common";
import { portCost } from "./ip/link-format";
import type { NetStack } from "../kernel/stack";
import type { ClusterNetwork } from "../network";

const USAGE = `Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
       bridge [ -force ] -batch filename
where  OBJECT := { link | fdb | mdb | vlan | monitor }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -t[imestamp] | -n[etns] name |
                    -c[ompressvlans] -color -p[retty] -j[son] }
`;

const FDB_USAGE = `Usage: bridge fdb { add | append | del | replace } ADDR dev DEV
              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]
              [ sticky ] [ local | static | dynamic ] [ vlan VID ]
              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }
	       [ via DEV ] [ src_vni VNI ]
       bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]
              [ state STATE ] [ dynamic ] ]
       bridge fdb get [ to ] LLADDR [ br BRDEV ] { brport | dev } DEV
              [ vlan VID ] [ vni VNI ] [ self ] [ master ] [ dynamic ]
`;

interface BridgeEnv {
  network: ClusterNetwork;
  stack: NetStack;
  out: string[];
}

function fdbShow(env: BridgeEnv, words: Words): void {
  let dev: number | undefined;
  let br: number | undefined;
  while (words.more()) {
    const w = words.next();
    if (w === "dev" || w === "brport") {
      const name = words.arg();
      dev = (findLink(env.stack, name) ?? fail(`Cannot find device "${name}"`)).index;
    } else if (w === "br") {
      const name = words.arg();
      br = (findLink(env.stack, name) ?? fail(`Cannot find bridge device "${name}"`)).index;
    } else if (matches(w, "help")) {
      fail(FDB_USAGE, 255);
    }
  }
  for (const e of fdbDump(env.network, env.stack)) {
    if (dev !== undefined && e.dev !== dev) continue;
    if (br !== undefined && e.dev !== br && env.stack.links.get(e.dev)?.master !== br) continue;
    let s = `${e.mac} `;
    if (dev === undefined) s += `dev ${env.stack.links.get(e.dev)?.name} `;
    if (e.dst !== undefined) s += `dst ${formatIP(e.dst)} `;
    if (e.vlan !== undefined) s += `vlan ${e.vlan} `;
    if (e.self) s += "self ";
    if (e.master !== undefined) s += `master ${env.stack.links.get(e.master)?.name} `;
    env.out.push(`${s}${e.state}\n`);
  }
}

/** `bridge link`: every bridge port (`@` resolves the peer index here, as iproute2's ll_index_to_name does). */
function linkShow(env: BridgeEnv, words: Words): void {
  let dev: number | undefined;
  while (words.more()) {
    const w = words.next();
    if (w === "dev") {
      const name = words.arg();
      dev = (findLink(env.stack, name) ?? fail(`Cannot find device "${name}"`)).index;
    } else if (matches(w, "help")) {
      fail("Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]\n       bridge link show [dev DEV]\n", 255);
    }
  }
  for (const link of [...env.stack.links.values()].sort((a, b) => a.index - b.index)) {
    if (link.master === undefined || (dev !== undefined && link.index !== dev)) continue;
    const peer = link.kind === "veth" ? env.network.peerOf(link) : undefined;
    const at = peer ? `@${env.stack.links.get(peer.link.index)?.name ?? `if${peer.link.index}`}` : "";
    const master = env.stack.links.get(link.master)!;
    env.out.push(`${link.index}: ${link.name}${at}: <${linkFlags(env.network, env.stack, link).join(",")}> mtu ${link.mtu} master ${master.name} state ${portState(env.network, env.stack, link)} priority 32 cost ${portCost(link)} \n`);
  }
}

function runBridge(argv: string[], ctx: CommandContext): CommandResult {
  const out: string[] = [];
  try {
    let i = 0;
    for (; i < argv.length && argv[i].startsWith("-"); i++) {
      const opt = argv[i].startsWith("--") ? argv[i].slice(1) : argv[i];
      if (matches(opt, "-Version")) return { stdout: "bridge utility, 5.15.0\n", stderr: "", exitCode: 0 };
      if (matches(opt, "-help")) fail(USAGE, 255);
      if (!(matches(opt, "-stats") || matches(opt, "-statistics") || matches(opt, "-details") || matches(opt, "-oneline") || matches(opt, "-compressvlans"))) {
        fail(`Option "${opt}" is unknown, try "bridge help".`, 255);
      }
    }
    const here = currentNet(ctx) ?? fail("Cannot open netlink socket: Operation not permitted");
    const env: BridgeEnv = { network: here.network, stack: here.stack, out };
    const [object, cmd, ...rest] = argv.slice(i);
    if (object === undefined) fail(USAGE, 255);
    const words = new Words(rest);
    if (matches(object, "fdb")) {
      if (cmd === undefined || matches(cmd, "show") || matches(cmd, "list") || matches(cmd, "lst")) fdbShow(env, words);
      else if (matches(cmd, "help")) fail(FDB_USAGE, 255);
      else if (matches(cmd, "add") || matches(cmd, "append") || matches(cmd, "replace") || matches(cmd, "delete") || matches(cmd, "get")) fail(`bridge: "bridge fdb ${cmd}" is not simulated here`);
      else fail(`Command "${cmd}" is unknown, try "bridge fdb help".`, 255);
    } else if (matches(object, "link")) {
      if (cmd === undefined || matches(cmd, "show") || matches(cmd, "list") || matches(cmd, "lst")) linkShow(env, words);
      else if (matches(cmd, "set") || matches(cmd, "change")) fail(`bridge: "bridge link ${cmd}" is not simulated here`);
      else fail(`Command "${cmd}" is unknown, try "bridge link help".`, 255);
    } else if (matches(object, "mdb") || matches(object, "vlan") || matches(object, "monitor")) {
      fail(`bridge: the "${object}" object is not simulated here`);
    } else if (matches(object, "help")) {
      fail(USAGE, 255);
    } else {
      fail(`Object "${object}" is unknown, try "bridge help".`, 255);
    }
    return { stdout: out.join(""), stderr: "", exitCode: 0 };
  } catch (error) {
    if (error instanceof IpExit) return { stdout: out.join(""), stderr: error.stderr, exitCode: error.code };
    throw error;
  }
}

export const bridgeCommand: Command = {
  name: "bridge",
  summary: "show / manipulate bridge addresses and devices",
  usage: "bridge [ OPTIONS ] OBJECT { COMMAND | help }",
  path: "/usr/sbin/bridge",
  spec: { flags: [], raw: true },
  run: (args, ctx) => runBridge([...args.operands], ctx),
  complete: (words) => (words.length === 0 ? ["fdb", "link"] : undefined),
};
