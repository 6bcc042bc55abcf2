/**
 * The bridge plugin (containernetworking/plugins v1.6): a Linux bridge on the node (`cni0`
 * unless `bridge` says otherwise), a veth pair per container with the host end `vethXXXXXXXX`
 * enslaved to it (hairpin on with `hairpinMode`), the address from the IPAM plugin on the
 * container's `eth0` with the IPAM routes, and with `isGateway` the gateway address on the
 * bridge itself (`isDefaultGateway` adds the default route). A bridge that already holds a
 * different address fails the ADD as the real plugin does (a node whose podCIDR changed).
 *
 * @example
 * bridgePlugin.add({ type: "bridge", name: "cbr0", bridge: "cni0", isGateway: true, ipam: { type: "host-local", ranges: [[{ subnet: "10.244.1.0/24" }]] } }, inv, env);
 */
import { formatIP, networkOf, parseCIDR, parseIP } from "../../../util/ipv4";
import type { Link } from "../../kernel/link";
import { TABLE_MAIN } from "../../kernel/route";
import type { NetStack } from "../../kernel/stack";
import { replaceRoute, setupVeth } from "../dataplane";
import { appendUnique, deleteIfExists, ensureChain, removeChain } from "../iptables";
import { cniChainComment, cniChainName } from "../names";
import { isError, type CniError, type CniResult, type NetConf, type Plugin, type ResultRoute } from "../types";

interface BridgeConf {
  brName: string;
  isGateway: boolean;
  isDefaultGateway: boolean;
  ipMasq: boolean;
  mtu: number;
  hairpinMode: boolean;
  promiscMode: boolean;
  forceAddress: boolean;
  ipamType: string;
}

function bridgeConf(conf: NetConf): BridgeConf {
  const ipam = (conf.ipam ?? {}) as { type?: unknown };
  const isDefaultGateway = conf.isDefaultGateway === true;
  return {
    brName: typeof conf.bridge === "string" && conf.bridge ? conf.bridge : "cni0",
    isGateway: conf.isGateway === true || isDefaultGateway,
    isDefaultGateway,
    ipMasq: conf.ipMasq === true,
    mtu: typeof conf.mtu === "number" && conf.mtu > 0 ? conf.mtu : 1500,
    hairpinMode: conf.hairpinMode === true,
    promiscMode: conf.promiscMode === true,
    forceAddress: conf.forceAddress === true,
    ipamType: typeof ipam.type === "string" ? ipam.type : "",
  };
}

export const bridgePlugin: Plugin = {
  type: "bridge",
  add(conf, inv, env): CniResult | CniError {
    const n = bridgeConf(conf);
    if (n.hairpinMode && n.promiscMode) return { error: "cannot set hairpin mode and promiscuous mode at the same time." };
    const { network, host } = env;
    // setupBridge: create it (with the configured MTU) or take the one there, and bring it up.
    let br = host.link(n.brName);
    if (br && br.kind !== "bridge") return { error: `failed to create bridge "${n.brName}": "${n.brName}" already exists but is not a bridge` };
    br ??= host.addLink({ name: n.brName, kind: "bridge", mac: network.mac(), mtu: n.mtu, fdb: [] });
    if (n.promiscMode) br.promisc = true;
    host.setUp(br, true);
    if (!env.netns) return { error: `failed to open netns "${inv.netns}": failed to Statfs "${inv.netns}": no such file or directory` };
    let hostVethName = env.cni.randomVethName();
    while (host.link(hostVethName)) hostVethName = env.cni.randomVethName();
    if (env.netns.link(inv.ifName)) return { error: `container veth name provided (${inv.ifName}) already exists` };
    const { host: hostVeth, container } = setupVeth(network, env.netns, host, inv.ifName, hostVethName, n.mtu);
    hostVeth.master = br.index;
    hostVeth.hairpin = n.hairpinMode;
    const result: CniResult = {
      cniVersion: "1.0.0",
      interfaces: [{ name: br.name, mac: br.mac }, { name: hostVeth.name, mac: hostVeth.mac }, { name: container.name, mac: container.mac, sandbox: inv.netns }],
    };
    if (!n.ipamType) return result;
    const ipam = env.cni.delegate(n.ipamType, conf, inv, env);
    if (isError(ipam)) {
      network.deleteLink(host, hostVeth);
      return ipam;
    }
    const ips = (ipam?.ips ?? []).filter((ip) => parseCIDR(ip.address));
    if (ips.length === 0) {
      env.cni.delegate(n.ipamType, conf, { ...inv, command: "DEL" }, env);
      return { error: "IPAM plugin returned missing IP config" };
    }
    // calcGateways: every address is on the container interface; a missing gateway is the subnet's first address.
    const routes: ResultRoute[] = [...(ipam?.routes ?? [])];
    result.ips = ips.map((ip) => {
      const [addr, bits] = ip.address.split("/");
      const gateway = ip.gateway ?? (n.isGateway ? formatIP(networkOf(parseIP(addr)!, Number(bits)) + 1) : undefined);
      return gateway ? { interface: 2, address: ip.address, gateway } : { interface: 2, address: ip.address };
    });
    if (n.isDefaultGateway && !routes.some((r) => r.dst === "0.0.0.0/0" && r.gw)) routes.push({ dst: "0.0.0.0/0", gw: result.ips[0].gateway });
    result.routes = routes;
    result.dns = ipam?.dns ?? {};
    const failure = configureIface(env.netns, container, result);
    if (failure) return undoAdd(failure);
    if (n.isGateway) {
      for (const ip of result.ips) {
        const prefix = Number(ip.address.split("/")[1]);
        const gw = parseIP(ip.gateway ?? "")!;
        const existing = br.addrs.find((a) => a.ip !== gw || a.prefix !== prefix);
        if (existing && !n.forceAddress) return undoAdd({ error: `failed to set bridge addr: "${br.name}" already has an IP address different from ${ip.gateway}/${prefix}` });
        if (!br.addrs.some((a) => a.ip === gw && a.prefix === prefix)) host.addAddress(br, { ip: gw, prefix });
      }
      host.sysctls.set("net.ipv4.ip_forward", "1");
    }
    if (n.ipMasq) {
      const failed = setupIPMasq(host, result.ips.map((ip) => ip.address), conf.name ?? "", inv.containerId);
      if (failed) return undoAdd({ error: failed });
    }
    return result;

    function undoAdd(failure: CniError): CniError {
      env.cni.delegate(n.ipamType, conf, { ...inv, command: "DEL" }, env);
      network.deleteLink(host, hostVeth);
      return failure;
    }
  },
  del(conf, inv, env) {
    const n = bridgeConf(conf);
    if (n.ipamType) {
      const released = env.cni.delegate(n.ipamType, conf, inv, env);
      if (isError(released)) return released;
    }
    // DelLinkByNameAddr: the container's interface goes (and its host end with it); its
    // addresses say which masquerade rules to remove. No interface, no masquerade cleanup.
    const eth = env.netns?.link(inv.ifName);
    if (!env.netns || !eth) return undefined;
    const addresses = eth.addrs.filter((a) => a.scope === "global").map((a) => `${formatIP(a.ip)}/${a.prefix}`);
    env.network.deleteLink(env.netns, eth);
    if (n.ipMasq) teardownIPMasq(env.host, addresses, conf.name ?? "", inv.containerId);
    return undefined;
  },
};

/**
 * `ip.SetupIPMasq` per address: a `CNI-<hash>` chain in nat that accepts the address's own
 * subnet and masquerades the rest (not multicast), jumped to from POSTROUTING for the address.
 */
function setupIPMasq(host: NetStack, addresses: readonly string[], network: string, containerId: string): string | undefined {
  const chain = cniChainName(network, containerId);
  const comment = ["-m", "comment", "--comment", cniChainComment(network, containerId)];
  for (const address of addresses) {
    const failed = ensureChain(host, "nat", chain)
      ?? appendUnique(host, "nat", chain, ["-d", address, "-j", "ACCEPT", ...comment])
      ?? appendUnique(host, "nat", chain, ["!", "-d", "224.0.0.0/4", "-j", "MASQUERADE", ...comment])
      ?? appendUnique(host, "nat", "POSTROUTING", ["-s", address.split("/")[0], "-j", chain, ...comment]);
    if (failed) return failed;
  }
  return undefined;
}

/** `ip.TeardownIPMasq`: the POSTROUTING jumps, then the chain. */
function teardownIPMasq(host: NetStack, addresses: readonly string[], network: string, containerId: string): void {
  const chain = cniChainName(network, containerId);
  const comment = ["-m", "comment", "--comment", cniChainComment(network, containerId)];
  for (const address of addresses) deleteIfExists(host, "nat", "POSTROUTING", ["-s", address.split("/")[0], "-j", chain, ...comment]);
  removeChain(host, "nat", chain);
}

/** `ipam.ConfigureIface`: link up, its addresses, then the routes (through the gateway when they name none). */
export function configureIface(netns: NetStack, link: Link, result: CniResult): CniError | undefined {
  netns.setUp(link, true);
  for (const ip of result.ips ?? []) {
    const [addr, bits] = ip.address.split("/");
    netns.addAddress(link, { ip: parseIP(addr)!, prefix: Number(bits) });
  }
  const gateway = result.ips?.find((ip) => ip.gateway)?.gateway;
  for (const r of result.routes ?? []) {
    const via = r.gw ?? gateway;
    const dst = parseCIDR(r.dst);
    if (!dst) return { error: `failed to add route '{${r.dst} ${via ?? "<nil>"}}': invalid argument` };
    replaceRoute(netns, { dst, dev: link, via: via ? parseIP(via) : undefined, table: TABLE_MAIN });
  }
  return undefined;
}
