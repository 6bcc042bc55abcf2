/**
 * The portmap plugin (containernetworking/plugins v1.6, iptables backend), chained after the
 * main plugin: a pod's `hostPort`s (the `portMappings` capability containerd fills from the pod
 * spec) become DNAT rules. PREROUTING and OUTPUT jump for local destinations to
 * CNI-HOSTPORT-DNAT, which sends the mapped ports to the pod's own `CNI-DN-<hash>` chain;
 * traffic from the pod itself (hairpin) or from 127.0.0.1 is marked in CNI-HOSTPORT-SETMARK and
 * masqueraded by CNI-HOSTPORT-MASQ, first in POSTROUTING. A pod without host ports leaves no
 * trace, and DEL removes the pod's chain and the jumps to it.
 *
 * @example
 * portmapPlugin.add({ type: "portmap", name: "cbr0", runtimeConfig: { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: "tcp", hostIP: "" }] } }, inv, env, prev);
 */
import { parseIP } from "../../../util/ipv4";
import { lookupRoute } from "../../kernel/route";
import type { NetStack } from "../../kernel/stack";
import { ensureChain, iptables, removeChain, ruleExists } from "../iptables";
import { cniChainName } from "../names";
import type { CniError, CniResult, NetConf, Plugin } from "../types";

const DNAT = "CNI-HOSTPORT-DNAT";
const SETMARK = "CNI-HOSTPORT-SETMARK";
const MASQ = "CNI-HOSTPORT-MASQ";

interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol: string;
  hostIP: string;
}

function mappings(conf: NetConf): PortMapping[] {
  const rc = (conf.runtimeConfig ?? {}) as { portMappings?: PortMapping[] };
  return (rc.portMappings ?? []).filter((m) => m.hostPort > 0);
}

/** chain.go's insertUnique: append (or put first) unless the rule is there. */
function insertUnique(host: NetStack, chain: string, prepend: boolean, rule: readonly string[]): string | undefined {
  if (ruleExists(host, "nat", chain, rule)) return undefined;
  return iptables(host, prepend ? ["-t", "nat", "-I", chain, "1", ...rule] : ["-t", "nat", "-A", chain, ...rule]);
}

/** Per mapping: mark hairpin and localhost traffic for masquerade (with SNAT), then DNAT to the pod. */
function dnatRules(maps: readonly PortMapping[], ip: string, snat: boolean): string[][] {
  const out: string[][] = [];
  for (const m of maps) {
    const base = ["-p", m.protocol, "--dport", String(m.hostPort), ...(m.hostIP ? ["-d", m.hostIP] : [])];
    if (snat) out.push([...base, "-s", ip, "-j", SETMARK], [...base, "-s", "127.0.0.1", "-j", SETMARK]);
    out.push([...base, "-j", "DNAT", "--to-destination", `${ip}:${m.containerPort}`]);
  }
  return out;
}

/** The jumps into the pod's chain: one per protocol and up to 15 ports (multiport's limit). */
function entryRules(maps: readonly PortMapping[], comment: string, chain: string): string[][] {
  const byProto = new Map<string, number[]>();
  for (const m of maps) byProto.set(m.protocol, [...(byProto.get(m.protocol) ?? []), m.hostPort]);
  const out: string[][] = [];
  for (const proto of [...byProto.keys()].sort()) {
    const ports = byProto.get(proto)!;
    for (let i = 0; i < ports.length; i += 15) out.push(["-m", "comment", "--comment", comment, "-m", "multiport", "-p", proto, "--destination-ports", ports.slice(i, i + 15).join(","), "-j", chain]);
  }
  return out;
}

export const portmapPlugin: Plugin = {
  type: "portmap",
  add(conf, inv, env, prevResult): CniResult | CniError {
    if (!prevResult) return { error: "must be called as chained plugin" };
    const maps = mappings(conf);
    if (maps.length === 0) return prevResult;
    const ip = prevResult.ips?.map((i) => i.address.split("/")[0]).find((a) => parseIP(a) !== undefined);
    if (!ip) return prevResult;
    const host = env.host;
    const snat = conf.snat !== false;
    const bit = (1 << (typeof conf.markMasqBit === "number" ? conf.markMasqBit : 13)).toString(16);
    const mark = `0x${bit}/0x${bit}`;
    const chain = cniChainName(conf.name ?? "", inv.containerId, "DN-");
    const comment = `dnat name: ${JSON.stringify(conf.name ?? "")} id: ${JSON.stringify(inv.containerId)}`;
    const steps: (() => string | undefined)[] = [];
    if (snat) {
      steps.push(
        () => ensureChain(host, "nat", SETMARK),
        () => insertUnique(host, SETMARK, false, ["-m", "comment", "--comment", "CNI portfwd masquerade mark", "-j", "MARK", "--set-xmark", mark]),
        () => ensureChain(host, "nat", MASQ),
        () => insertUnique(host, MASQ, false, ["-m", "mark", "--mark", mark, "-j", "MASQUERADE"]),
        () => insertUnique(host, "POSTROUTING", true, ["-m", "comment", "--comment", "CNI portfwd requiring masquerade", "-j", MASQ]),
      );
      // route_localnet on the interface toward the pod, so 127.0.0.1 may be routed there.
      const route = lookupRoute(host.routing, parseIP(ip)!, { mark: 0 });
      const dev = route?.dev === undefined ? undefined : host.links.get(route.dev);
      if (dev) host.sysctls.set(`net.ipv4.conf.${dev.name.replace(/\./g, "/")}.route_localnet`, "1");
    }
    steps.push(() => ensureChain(host, "nat", DNAT));
    for (const entry of ["PREROUTING", "OUTPUT"]) steps.push(() => insertUnique(host, entry, false, ["-m", "addrtype", "--dst-type", "LOCAL", "-j", DNAT]));
    steps.push(() => ensureChain(host, "nat", chain));
    for (const rule of dnatRules(maps, ip, snat)) steps.push(() => insertUnique(host, chain, false, rule));
    for (const rule of entryRules(maps, comment, chain)) steps.push(() => insertUnique(host, DNAT, false, rule));
    for (const step of steps) {
      const error = step();
      if (error) return { error: `unable to setup DNAT: ${error}` };
    }
    return prevResult;
  },
  del(conf, inv, env) {
    const chain = cniChainName(conf.name ?? "", inv.containerId, "DN-");
    // chain.teardown: every jump to the pod's chain goes, then the chain itself.
    for (const rule of env.host.netfilter.nat.chains.get(DNAT)?.rules ?? []) {
      if (rule.spec.args.at(-1) === chain) iptables(env.host, ["-t", "nat", "-D", DNAT, ...rule.spec.args]);
    }
    removeChain(env.host, "nat", chain);
    return undefined;
  },
};
