/**
 * One sync of kube-proxy's IPVS proxier (v1.32 pkg/proxy/ipvs/proxier.go `syncProxyRules`)
 * against a node's host namespace: the `kube-ipvs0` dummy device (down, as upstream leaves it)
 * holding every ClusterIP, external IP and load balancer IP as a /32, an IPVS virtual service
 * per address and port (NodePorts on every node address) with the endpoints as Masq real
 * servers of weight 1, the ipsets, and the iptables rules that match them. Real servers that
 * go away are deleted at once when idle (or for UDP); otherwise their weight drops to 0 and
 * they are deleted once their connections have expired (the graceful termination manager).
 *
 * @example
 * const restore = syncIpvs({ stack, options, services, endpoints, graceful, initialSync: true, now });
 */
import { fnv1a32 } from "../../util/hash";
import { formatCIDR, formatIP, inCIDR, type CIDR } from "../../util/ipv4";
import { addDestination, addService, deleteDestination, deleteService, editDestination, editService, expireConnections, findDestination, findService, type IpvsProtocol, type IpvsScheduler, type VirtualService } from "../ipvs";
import type { Link } from "../kernel/link";
import type { NetStack } from "../kernel/stack";
import { nodePortAddressMatches } from "./config";
import { emptyIpvsSets, ipvsRestoreText, type IpvsRuleOptions, type IpvsSets } from "./ipvs-rules";
import { categorizeEndpoints, portKey, type EndpointInfo, type ServicePortInfo } from "./service-ports";

/** The dummy interface the service addresses are bound to. */
export const DUMMY_DEVICE = "kube-ipvs0";

export interface IpvsOptions extends Omit<IpvsRuleOptions, "noNodeAccess"> {
  scheduler: IpvsScheduler;
  /** Empty: NodePorts on every node address; else CIDRs (or `primary`) they are limited to. */
  nodePortAddresses: readonly string[];
  nodeIP: number;
  /** Virtual services in these ranges are not kube-proxy's: it never deletes them. */
  excludeCIDRs: readonly CIDR[];
}

/** A real server waiting for its connections to end before kube-proxy deletes it. */
export interface GracefulItem {
  protocol: IpvsProtocol;
  vip: number;
  vport: number;
  ip: number;
  port: number;
}

export interface IpvsSyncInput {
  stack: NetStack;
  options: IpvsOptions;
  services: readonly ServicePortInfo[];
  endpoints: ReadonlyMap<string, readonly EndpointInfo[]>;
  /** `vip:port/PROTO/ip:port` → item (upstream's GetUniqueRSName). */
  graceful: Map<string, GracefulItem>;
  /** The proxier's first sync: weights of existing destinations are reset to 1. */
  initialSync: boolean;
  now: number;
}

const vsName = (protocol: IpvsProtocol, ip: number, port: number) => `${formatIP(ip)}:${port}/${protocol.toUpperCase()}`;
const rsName = (vs: VirtualService, ip: number, port: number) => `${vsName(vs.protocol, vs.ip, vs.port)}/${formatIP(ip)}:${port}`;

/** A stable locally administered MAC for the dummy device (the kernel picks a random one). */
function dummyMac(stackId: string): string {
  const h = fnv1a32(`${stackId}/${DUMMY_DEVICE}`);
  const h2 = fnv1a32(`${DUMMY_DEVICE}/${stackId}`);
  const bytes = [((h >>> 24) & 0xfe) | 0x02, (h >>> 16) & 255, (h >>> 8) & 255, h & 255, (h2 >>> 8) & 255, h2 & 255];
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
}

/** EnsureDummyDevice: created once, never brought up. */
function ensureDummy(stack: NetStack): Link {
  return stack.link(DUMMY_DEVICE) ?? stack.addLink({ name: DUMMY_DEVICE, kind: "dummy", mac: dummyMac(stack.id), mtu: 1500, noarp: true });
}

/** Every non-loopback IPv4 address of the node except the dummy device's (GetAllLocalAddressesExcept). */
function nodeAddresses(stack: NetStack, dummy: Link): number[] {
  const out = new Set<number>();
  for (const link of stack.links.values()) {
    if (link === dummy) continue;
    for (const a of link.addrs) if (a.ip >>> 24 !== 127) out.add(a.ip);
  }
  return [...out].sort((a, b) => a - b);
}


/**
 * Runs one sync and returns the iptables-restore payload it wants applied (the caller owns
 * iptables). IPVS, the dummy device and the ipsets are changed here.
 */
export function syncIpvs(input: IpvsSyncInput): { restore: string; sets: IpvsSets } {
  const { stack, options: o } = input;
  const ipvs = stack.ipvs;
  expireConnections(ipvs, input.now);
  const dummy = ensureDummy(stack);
  const alreadyBound = new Set(dummy.addrs.map((a) => a.ip));
  const addresses = nodeAddresses(stack, dummy);
  const nodeIPs = input.services.some((s) => s.nodePort !== 0) ? addresses.filter((ip) => nodePortAddressMatches(o.nodePortAddresses, ip, o.nodeIP)) : [];
  const sets = emptyIpvsSets();
  const add = (set: string, entry: string) => sets.get(set)!.add(entry);
  const activeServices = new Set<string>();
  const activeBind = new Set<number>();
  const noNodeAccess: IpvsRuleOptions["noNodeAccess"][number][] = [];

  /** syncService + syncEndpoint for one address of a service port. */
  const serve = (svc: ServicePortInfo, protocol: IpvsProtocol, ip: number, port: number, bind: boolean, onlyLocal: boolean) => {
    const persistent = svc.sessionAffinity ? svc.stickyMaxAgeSeconds : undefined;
    let vs = findService(ipvs, protocol, ip, port);
    if (!vs) vs = addService(ipvs, { protocol, ip, port, scheduler: o.scheduler, persistent });
    else if (vs.scheduler !== o.scheduler || vs.persistent !== persistent || vs.netmask !== 0xffffffff) vs = editService(ipvs, { protocol, ip, port, scheduler: o.scheduler, persistent });
    activeServices.add(vsName(protocol, ip, port));
    if (bind) {
      if (!alreadyBound.has(ip)) {
        stack.addAddress(dummy, { ip, prefix: 32 });
        alreadyBound.add(ip);
      }
      activeBind.add(ip);
    }
    syncEndpoints(vs, svc, onlyLocal, input);
  };

  for (const svc of input.services) {
    if (svc.protocol === "sctp") continue; // IPVS here schedules TCP and UDP
    const protocol = svc.protocol;
    const endpoints = input.endpoints.get(portKey(svc.name, svc.protocol)) ?? [];
    // Hairpin: a local endpoint reaching its own service is masqueraded.
    for (const ep of endpoints) if (ep.isLocal) add("KUBE-LOOP-BACK", `${formatIP(ep.ip)},${protocol}:${ep.port},${formatIP(ep.ip)}`);
    add("KUBE-CLUSTER-IP", `${formatIP(svc.clusterIP)},${protocol}:${svc.port}`);
    // ExternalTrafficPolicy does not apply to the ClusterIP; internalTrafficPolicy does.
    serve(svc, protocol, svc.clusterIP, svc.port, true, svc.internalPolicyLocal);

    for (const ip of svc.externalIPs) {
      add(svc.externalPolicyLocal ? "KUBE-EXTERNAL-IP-LOCAL" : "KUBE-EXTERNAL-IP", `${formatIP(ip)},${protocol}:${svc.port}`);
      // An address another interface already has is not bound to the dummy device.
      serve(svc, protocol, ip, svc.port, !addresses.includes(ip), svc.externalPolicyLocal);
    }

    for (const ip of svc.loadBalancerVIPs) {
      const entry = `${formatIP(ip)},${protocol}:${svc.port}`;
      add("KUBE-LOAD-BALANCER", entry);
      if (svc.externalPolicyLocal) add("KUBE-LOAD-BALANCER-LOCAL", entry);
      if (svc.loadBalancerSourceRanges.length > 0) {
        add("KUBE-LOAD-BALANCER-FW", entry);
        let allowFromNode = false;
        for (const cidr of svc.loadBalancerSourceRanges) {
          add("KUBE-LOAD-BALANCER-SOURCE-CIDR", `${entry},${formatCIDR(cidr)}`);
          if (inCIDR(o.nodeIP, cidr)) allowFromNode = true;
        }
        // The VIP may be routed locally: requests from the node then loop back with it as source.
        if (allowFromNode) add("KUBE-LOAD-BALANCER-SOURCE-IP", `${entry},${formatIP(ip)}`);
        else noNodeAccess.push({ ip: formatIP(ip), port: svc.port, protocol });
      }
      serve(svc, protocol, ip, svc.port, !addresses.includes(ip), svc.externalPolicyLocal);
    }

    if (svc.nodePort !== 0 && nodeIPs.length > 0) {
      const set = protocol === "tcp" ? "KUBE-NODE-PORT-TCP" : "KUBE-NODE-PORT-UDP";
      add(set, String(svc.nodePort));
      if (svc.externalPolicyLocal) add(protocol === "tcp" ? "KUBE-NODE-PORT-LOCAL-TCP" : "KUBE-NODE-PORT-LOCAL-UDP", String(svc.nodePort));
      for (const ip of nodeIPs) serve(svc, protocol, ip, svc.nodePort, false, svc.externalPolicyLocal);
    }
    if (svc.healthCheckNodePort !== 0) add("KUBE-HEALTH-CHECK-NODE-PORT", String(svc.healthCheckNodePort));
  }

  for (const ip of [...activeBind].sort((a, b) => a - b)) add("KUBE-IPVS-IPS", formatIP(ip));
  const restore = ipvsRestoreText(sets, { ...o, noNodeAccess });

  // Addresses of services that are gone leave the dummy device.
  for (const a of [...dummy.addrs]) if (!activeBind.has(a.ip)) stack.removeAddress(dummy, a);
  // cleanLegacyService: every virtual service kube-proxy did not make this round goes.
  for (const vs of [...ipvs.services]) {
    if (activeServices.has(vsName(vs.protocol, vs.ip, vs.port)) || o.excludeCIDRs.some((c) => inCIDR(vs.ip, c))) continue;
    deleteService(ipvs, vs.protocol, vs.ip, vs.port);
    for (const [key, item] of input.graceful) if (item.vip === vs.ip && item.vport === vs.port && item.protocol === vs.protocol) input.graceful.delete(key);
  }
  return { restore, sets };
}

/** syncEndpoint: the real servers of one virtual service follow the endpoints this node may use. */
function syncEndpoints(vs: VirtualService, svc: ServicePortInfo, onlyLocal: boolean, input: IpvsSyncInput): void {
  const ipvs = input.stack.ipvs;
  const { clusterEndpoints, localEndpoints } = categorizeEndpoints(input.endpoints.get(portKey(svc.name, svc.protocol)) ?? [], svc);
  // Without local endpoints a Local policy still serves the node's own pods (kubernetes#97081).
  const wanted = onlyLocal && localEndpoints.length > 0 ? localEndpoints : clusterEndpoints;
  const wantedKeys = new Set(wanted.map((e) => `${e.ip}:${e.port}`));
  for (const ep of wanted) {
    const existing = findDestination(vs, ep.ip, ep.port);
    if (existing) {
      if (input.initialSync && existing.weight !== 1) editDestination(vs, { ip: ep.ip, port: ep.port, weight: 1, forward: "Masq" });
      const unique = rsName(vs, ep.ip, ep.port);
      if (!input.graceful.has(unique)) continue;
      // A server coming back while it drained: deleted and added afresh.
      input.graceful.delete(unique);
      deleteDestination(vs, ep.ip, ep.port);
    }
    addDestination(ipvs, vs, { ip: ep.ip, port: ep.port, weight: 1, forward: "Masq" });
  }
  for (const real of [...vs.reals]) {
    if (wantedKeys.has(`${real.ip}:${real.port}`)) continue;
    const unique = rsName(vs, real.ip, real.port);
    if (input.graceful.has(unique)) continue;
    gracefulDelete(vs, real.ip, real.port, input.graceful);
  }
}

/** GracefulDeleteRS: delete now if nothing uses the server (or it is UDP), else weight 0 and wait. */
function gracefulDelete(vs: VirtualService, ip: number, port: number, graceful: Map<string, GracefulItem>): void {
  const real = findDestination(vs, ip, port);
  if (!real) return;
  if (vs.protocol === "udp" || real.activeConns + real.inactiveConns === 0) {
    deleteDestination(vs, ip, port);
    return;
  }
  if (real.weight !== 0) editDestination(vs, { ip, port, weight: 0, forward: real.forward });
  graceful.set(rsName(vs, ip, port), { protocol: vs.protocol, vip: vs.ip, vport: vs.port, ip, port });
}

/** tryDeleteRs (every minute): servers whose connections have all expired are deleted. */
export function drainGraceful(stack: NetStack, graceful: Map<string, GracefulItem>, now: number): void {
  expireConnections(stack.ipvs, now);
  for (const [key, item] of graceful) {
    const vs = findService(stack.ipvs, item.protocol, item.vip, item.vport);
    const real = vs && findDestination(vs, item.ip, item.port);
    if (!vs || !real) {
      graceful.delete(key);
      continue;
    }
    if (real.activeConns + real.inactiveConns !== 0) continue;
    deleteDestination(vs, item.ip, item.port);
    graceful.delete(key);
  }
}

