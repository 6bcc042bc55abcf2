/**
 * The machines beside the cluster, as a lab network has them:
 *
 * - `gateway` (the node network's `.1`): every node's default route; it forwards to the
 *   internet through its uplink and masquerades the node network behind its public address.
 * - `client` (the node network's `.100`, outside the LoadBalancer pool): an Ubuntu host with the
 *   network tools and no kubectl, reached by `ssh client`, for NodePort and LoadBalancer traffic
 *   from outside the cluster.
 * - `internet`: the provider's router behind the gateway's uplink, and a few well-known servers
 *   behind it: `example.com` (HTTP and HTTPS), `1.1.1.1` and `8.8.8.8` (DNS over UDP and TCP).
 *   They answer ping; DNS content is not theirs to give (issue 7), only reachability.
 *
 * Uplink and internet are segments with real-world latency, so `ping 8.8.8.8` takes
 * milliseconds where the node network takes a fraction of one.
 *
 * @example
 * addMachinesBeside(network, { segment: "node-network", nodeCidr: "172.30.1.0/24", taken: ["172.30.1.2"], clock, rng });
 * network.host("client");                       // its namespace
 * clientMachine(network)?.fs;                   // its file system, for `ssh client`
 */
import { createUbuntuSkeleton, FileSystem } from "../../shell";
import type { VirtualClock } from "../../util/clock";
import type { Rng } from "../../util/rng";
import { formatIP, parseCIDR, parseIP } from "../../util/ipv4";
import { TABLE_MAIN } from "../kernel/route";
import { restoreTables } from "../netfilter";
import type { NetStack } from "../kernel/stack";
import type { ClusterNetwork } from "../network";
import { OutsideMachine } from "./outside";

export { OutsideMachine, type OutsideSocket } from "./outside";
export { LoadBalancerAnnouncer } from "./announcer";

export const GATEWAY = "gateway";
export const CLIENT = "client";
export const INTERNET = "internet";

const UPLINK = { segment: "uplink", cidr: "198.51.100.0/24", gateway: "198.51.100.2", router: "198.51.100.1", latencyMs: 1.2 };
const WAN = { segment: "internet", router: "203.0.113.1", prefix: 24, latencyMs: 4 };

/** The servers on the internet side, by the name a learner knows them by. */
export const INTERNET_HOSTS: readonly { name: string; ip: string; tcp: readonly number[]; udp: readonly number[]; program: string }[] = Object.freeze([
  { name: "example.com", ip: "93.184.215.14", tcp: [80, 443], udp: [], program: "nginx" },
  { name: "one.one.one.one", ip: "1.1.1.1", tcp: [53, 443], udp: [53], program: "named" },
  { name: "dns.google", ip: "8.8.8.8", tcp: [53, 443], udp: [53], program: "named" },
]);

const ip = (text: string) => parseIP(text)!;

function route(stack: NetStack, dev: string, dst: string, prefix: number, via?: string, onlink = false): void {
  stack.addRoute({
    table: TABLE_MAIN, type: "unicast", dst: { base: ip(dst), prefix }, dev: stack.link(dev)!.index, via: via === undefined ? undefined : ip(via),
    proto: via === undefined ? "kernel" : "static", scope: via === undefined ? "link" : "global", onlink,
  });
}

/** A NIC (`eth0` or the name given) of a machine, plugged into `segment`. */
function nic(network: ClusterNetwork, rng: Rng, stack: NetStack, name: string, segment: string, address: string, prefix: number): void {
  const link = stack.addLink({ name, kind: "device", mac: network.mac(rng), mtu: 1500 });
  stack.addAddress(link, { ip: ip(address), prefix });
  stack.setUp(link, true);
  network.plug(stack, link, segment);
}

/** The client's address: `.100` of the node network, or the next free one after it. */
function clientAddress(nodeCidr: string, taken: ReadonlySet<string>): string {
  const cidr = parseCIDR(nodeCidr)!;
  for (let host = 100; host < 240; host++) {
    const candidate = formatIP(cidr.base + host);
    if (!taken.has(candidate)) return candidate;
  }
  throw new Error(`no free address for the client host in ${nodeCidr}`);
}

/** Builds the gateway, the client host and the internet beside a cluster's node network. */
export function addMachinesBeside(network: ClusterNetwork, init: { segment: string; nodeCidr: string; taken: readonly string[]; clock: VirtualClock; rng: Rng }): void {
  const rng = init.rng;
  const cidr = parseCIDR(init.nodeCidr)!;
  const gatewayIp = formatIP(cidr.base + 1);
  network.setSegmentLatency(UPLINK.segment, UPLINK.latencyMs);
  network.setSegmentLatency(WAN.segment, WAN.latencyMs);

  const gateway = network.addHost(GATEWAY);
  network.attachHost(gateway, { segment: init.segment, ip: gatewayIp, prefix: cidr.prefix, mac: network.mac(rng) });
  nic(network, rng, gateway, "eth1", UPLINK.segment, UPLINK.gateway, 24);
  route(gateway, "eth1", "0.0.0.0", 0, UPLINK.router);
  gateway.sysctls.set("net.ipv4.ip_forward", "1");
  // The lab's NAT router: the node network leaves behind the uplink's address.
  const nat = restoreTables(gateway, `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s ${init.nodeCidr} -o eth1 -j MASQUERADE\nCOMMIT\n`);
  if (nat.error) throw new Error(`gateway rules: ${nat.error.message}`);
  network.registerMachine(GATEWAY, new OutsideMachine(GATEWAY, gatewayIp));

  const clientIp = clientAddress(init.nodeCidr, new Set([gatewayIp, ...init.taken]));
  const fs = new FileSystem(init.clock);
  createUbuntuSkeleton(fs, { hostname: CLIENT });
  const client = new OutsideMachine(CLIENT, clientIp, fs);
  client.bind("TCP", 22, "sshd", 612);
  const clientStack = network.addHost(CLIENT);
  network.attachHost(clientStack, { segment: init.segment, ip: clientIp, prefix: cidr.prefix, gateway: gatewayIp, mac: network.mac(rng) });
  network.registerMachine(CLIENT, client);

  // The provider's router: the uplink on one side, the servers on the other (each on-link by a host route).
  const router = network.addHost(INTERNET);
  nic(network, rng, router, "eth0", UPLINK.segment, UPLINK.router, 24);
  nic(network, rng, router, "eth1", WAN.segment, WAN.router, WAN.prefix);
  router.sysctls.set("net.ipv4.ip_forward", "1");
  network.registerMachine(INTERNET, new OutsideMachine(INTERNET, UPLINK.router));
  for (const host of INTERNET_HOSTS) {
    route(router, "eth1", host.ip, 32);
    const stack = network.addHost(host.name);
    nic(network, rng, stack, "eth0", WAN.segment, host.ip, 32);
    route(stack, "eth0", WAN.router, 32);
    route(stack, "eth0", "0.0.0.0", 0, WAN.router, true);
    const machine = new OutsideMachine(host.name, host.ip);
    for (const port of host.tcp) machine.bind("TCP", port, host.program, 900 + port);
    for (const port of host.udp) machine.bind("UDP", port, host.program, 900 + port);
    network.registerMachine(host.name, machine);
  }
}

/** The client host (its file system and address), if the cluster has one. */
export function clientMachine(network: ClusterNetwork): OutsideMachine | undefined {
  const machine = network.machine(CLIENT);
  return machine instanceof OutsideMachine ? machine : undefined;
}
