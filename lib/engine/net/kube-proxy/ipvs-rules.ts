/**
 * The ipsets and iptables rules kube-proxy's IPVS proxier keeps beside the IPVS table (v1.32
 * pkg/proxy/ipvs/proxier.go, ipset.go): which sets exist with which members, and the restore
 * payload `writeIptablesRules` builds from them — one rule per non-empty set, in upstream's
 * order, so iptables matches sets instead of growing a rule per service.
 *
 * @example
 * const sets = emptyIpvsSets();
 * sets.get("KUBE-CLUSTER-IP")!.members.add("10.96.0.1,tcp:443");
 * const text = ipvsRestoreText(sets, { masqueradeAll: false, masqueradeMark: "0x00004000", detector, randomFully: true, noNodeAccess: [] });
 */
import { ifNotLocal, type LocalDetector } from "./config";

/** The ipset types kube-proxy uses (`ipset create NAME TYPE`). */
export type IpsetType = "hash:ip" | "hash:ip,port" | "hash:ip,port,ip" | "hash:ip,port,net" | "bitmap:port";

export interface IpsetInfo {
  name: string;
  type: IpsetType;
  comment: string;
}

/** ipsetInfo, in upstream's order, with the comments its iptables rules carry. */
export const IPVS_IPSETS: readonly IpsetInfo[] = Object.freeze([
  { name: "KUBE-LOOP-BACK", type: "hash:ip,port,ip", comment: "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose" },
  { name: "KUBE-CLUSTER-IP", type: "hash:ip,port", comment: "Kubernetes service cluster ip + port for masquerade purpose" },
  { name: "KUBE-EXTERNAL-IP", type: "hash:ip,port", comment: "Kubernetes service external ip + port for masquerade and filter purpose" },
  { name: "KUBE-EXTERNAL-IP-LOCAL", type: "hash:ip,port", comment: "Kubernetes service external ip + port with externalTrafficPolicy=local" },
  { name: "KUBE-LOAD-BALANCER", type: "hash:ip,port", comment: "Kubernetes service lb portal" },
  { name: "KUBE-LOAD-BALANCER-FW", type: "hash:ip,port", comment: "Kubernetes service load balancer ip + port for load balancer with sourceRange" },
  { name: "KUBE-LOAD-BALANCER-LOCAL", type: "hash:ip,port", comment: "Kubernetes service load balancer ip + port with externalTrafficPolicy=local" },
  { name: "KUBE-LOAD-BALANCER-SOURCE-IP", type: "hash:ip,port,ip", comment: "Kubernetes service load balancer ip + port + source IP for packet filter purpose" },
  { name: "KUBE-LOAD-BALANCER-SOURCE-CIDR", type: "hash:ip,port,net", comment: "Kubernetes service load balancer ip + port + source cidr for packet filter purpose" },
  { name: "KUBE-NODE-PORT-TCP", type: "bitmap:port", comment: "Kubernetes nodeport TCP port for masquerade purpose" },
  { name: "KUBE-NODE-PORT-LOCAL-TCP", type: "bitmap:port", comment: "Kubernetes nodeport TCP port with externalTrafficPolicy=local" },
  { name: "KUBE-NODE-PORT-UDP", type: "bitmap:port", comment: "Kubernetes nodeport UDP port for masquerade purpose" },
  { name: "KUBE-NODE-PORT-LOCAL-UDP", type: "bitmap:port", comment: "Kubernetes nodeport UDP port with externalTrafficPolicy=local" },
  { name: "KUBE-NODE-PORT-SCTP-HASH", type: "hash:ip,port", comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'" },
  { name: "KUBE-NODE-PORT-LOCAL-SCTP-HASH", type: "hash:ip,port", comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'" },
  { name: "KUBE-HEALTH-CHECK-NODE-PORT", type: "bitmap:port", comment: "Kubernetes health check node port" },
  { name: "KUBE-IPVS-IPS", type: "hash:ip", comment: "Addresses on the ipvs interface" },
]);

/** One sync's wanted members per set (`activeEntries`), as ipset prints them (`10.96.0.1,tcp:443`). */
export type IpvsSets = Map<string, Set<string>>;

export function emptyIpvsSets(): IpvsSets {
  return new Map(IPVS_IPSETS.map((s) => [s.name, new Set<string>()]));
}

/** ipsetWithIptablesChain: the sets matched by one rule each, in this order (Local sets before the others). */
const SET_RULES: readonly { set: string; table: "nat" | "filter"; from: string; to: string; match: string; proto?: string }[] = [
  { set: "KUBE-LOOP-BACK", table: "nat", from: "KUBE-POSTROUTING", to: "MASQUERADE", match: "dst,dst,src" },
  { set: "KUBE-LOAD-BALANCER", table: "nat", from: "KUBE-SERVICES", to: "KUBE-LOAD-BALANCER", match: "dst,dst" },
  { set: "KUBE-LOAD-BALANCER-LOCAL", table: "nat", from: "KUBE-LOAD-BALANCER", to: "RETURN", match: "dst,dst" },
  { set: "KUBE-NODE-PORT-LOCAL-TCP", table: "nat", from: "KUBE-NODE-PORT", to: "RETURN", match: "dst", proto: "tcp" },
  { set: "KUBE-NODE-PORT-TCP", table: "nat", from: "KUBE-NODE-PORT", to: "KUBE-MARK-MASQ", match: "dst", proto: "tcp" },
  { set: "KUBE-NODE-PORT-LOCAL-UDP", table: "nat", from: "KUBE-NODE-PORT", to: "RETURN", match: "dst", proto: "udp" },
  { set: "KUBE-NODE-PORT-UDP", table: "nat", from: "KUBE-NODE-PORT", to: "KUBE-MARK-MASQ", match: "dst", proto: "udp" },
  { set: "KUBE-NODE-PORT-LOCAL-SCTP-HASH", table: "nat", from: "KUBE-NODE-PORT", to: "RETURN", match: "dst,dst", proto: "sctp" },
  { set: "KUBE-NODE-PORT-SCTP-HASH", table: "nat", from: "KUBE-NODE-PORT", to: "KUBE-MARK-MASQ", match: "dst,dst", proto: "sctp" },
  { set: "KUBE-LOAD-BALANCER-FW", table: "filter", from: "KUBE-PROXY-FIREWALL", to: "KUBE-SOURCE-RANGES-FIREWALL", match: "dst,dst" },
  { set: "KUBE-LOAD-BALANCER-SOURCE-CIDR", table: "filter", from: "KUBE-SOURCE-RANGES-FIREWALL", to: "RETURN", match: "dst,dst,src" },
  { set: "KUBE-LOAD-BALANCER-SOURCE-IP", table: "filter", from: "KUBE-SOURCE-RANGES-FIREWALL", to: "RETURN", match: "dst,dst,src" },
];

/** iptablesChains: the chains the IPVS proxier creates (and flushes with its chain lines). */
const NAT_CHAINS = ["KUBE-SERVICES", "KUBE-POSTROUTING", "KUBE-NODE-PORT", "KUBE-LOAD-BALANCER", "KUBE-MARK-MASQ"];
const FILTER_CHAINS = ["KUBE-FORWARD", "KUBE-NODE-PORT", "KUBE-PROXY-FIREWALL", "KUBE-SOURCE-RANGES-FIREWALL", "KUBE-IPVS-FILTER", "KUBE-IPVS-OUT-FILTER"];

/** iptablesJumpChain: ensured with Prepend, in this order. */
export const IPVS_JUMP_CHAINS: readonly { table: "filter" | "nat"; from: string; to: string; args: string }[] = Object.freeze([
  { table: "nat", from: "OUTPUT", to: "KUBE-SERVICES", args: '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES' },
  { table: "nat", from: "PREROUTING", to: "KUBE-SERVICES", args: '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES' },
  { table: "nat", from: "POSTROUTING", to: "KUBE-POSTROUTING", args: '-m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING' },
  { table: "filter", from: "FORWARD", to: "KUBE-FORWARD", args: '-m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD' },
  { table: "filter", from: "INPUT", to: "KUBE-NODE-PORT", args: '-m comment --comment "kubernetes health check rules" -j KUBE-NODE-PORT' },
  { table: "filter", from: "INPUT", to: "KUBE-PROXY-FIREWALL", args: '-m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL' },
  { table: "filter", from: "FORWARD", to: "KUBE-PROXY-FIREWALL", args: '-m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL' },
  { table: "filter", from: "INPUT", to: "KUBE-IPVS-FILTER", args: '-m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-FILTER' },
  { table: "filter", from: "OUTPUT", to: "KUBE-IPVS-OUT-FILTER", args: '-m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-OUT-FILTER' },
]);

export interface IpvsRuleOptions {
  masqueradeAll: boolean;
  masqueradeMark: string;
  detector: LocalDetector;
  randomFully: boolean;
  /** Load balancer IP:port/protocol the node itself may not reach (source ranges that leave it out). */
  noNodeAccess: readonly { ip: string; port: number; protocol: string }[];
}

const commentOf = (set: string) => `"${IPVS_IPSETS.find((s) => s.name === set)!.comment}"`;

/** writeIptablesRules (with createAndLinkKubeChain's chain lines): nat first, then filter. */
export function ipvsRestoreText(sets: IpvsSets, o: IpvsRuleOptions): string {
  const nat: string[] = [];
  const filter: string[] = [];
  const nonEmpty = (name: string) => (sets.get(name)?.size ?? 0) > 0;
  const mark = `${o.masqueradeMark}/${o.masqueradeMark}`;

  // Connections to localhost leave the service chain at once.
  nat.push("-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN");
  for (const r of SET_RULES) {
    if (!nonEmpty(r.set)) continue;
    const line = ["-A", r.from, ...(r.proto ? ["-p", r.proto] : []), "-m comment --comment", commentOf(r.set), "-m set --match-set", r.set, r.match, "-j", r.to].join(" ");
    (r.table === "filter" ? filter : nat).push(line);
  }
  if (nonEmpty("KUBE-CLUSTER-IP")) {
    const head = `-A KUBE-SERVICES -m comment --comment ${commentOf("KUBE-CLUSTER-IP")} -m set --match-set KUBE-CLUSTER-IP`;
    if (o.masqueradeAll) nat.push(`${head} dst,dst -j KUBE-MARK-MASQ`);
    // Off-cluster traffic to a service VIP may bounce off this node: masquerade it.
    else if (o.detector.mode !== "none") nat.push(`${head} dst,dst ${ifNotLocal(o.detector).join(" ")} -j KUBE-MARK-MASQ`);
    // Without a pod CIDR: the node's own connections pick a VIP of kube-ipvs0 as source.
    else nat.push(`${head} src,dst -j KUBE-MARK-MASQ`);
  }
  const externalIPRules = (head: string) => {
    // Traffic from off the machine (not bridged from a pod, not from a local process) …
    nat.push(`${head} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`);
    // … and external IPs that happen to be local addresses stay local.
    nat.push(`${head} -m addrtype --dst-type LOCAL -j ACCEPT`);
  };
  if (nonEmpty("KUBE-EXTERNAL-IP")) {
    const head = `-A KUBE-SERVICES -m comment --comment ${commentOf("KUBE-EXTERNAL-IP")} -m set --match-set KUBE-EXTERNAL-IP dst,dst`;
    nat.push(`${head} -j KUBE-MARK-MASQ`);
    externalIPRules(head);
  }
  if (nonEmpty("KUBE-EXTERNAL-IP-LOCAL")) externalIPRules(`-A KUBE-SERVICES -m comment --comment ${commentOf("KUBE-EXTERNAL-IP-LOCAL")} -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst`);
  nat.push("-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT");
  nat.push("-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ");
  filter.push("-A KUBE-SOURCE-RANGES-FIREWALL -j DROP");
  for (const e of o.noNodeAccess) filter.push(`-A KUBE-IPVS-OUT-FILTER -s ${e.ip} -m ipvs --vaddr ${e.ip} --vproto ${e.protocol} --vport ${e.port} -j DROP`);
  // Traffic to a virtual service is accepted, whatever rules follow (they must not break IPVS).
  for (const set of ["KUBE-CLUSTER-IP", "KUBE-LOAD-BALANCER"]) if (nonEmpty(set)) nat.push(`-A KUBE-SERVICES -m set --match-set ${set} dst,dst -j ACCEPT`);
  filter.push(`-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark} -j ACCEPT`);
  filter.push('-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  filter.push(`-A KUBE-NODE-PORT -m comment --comment ${commentOf("KUBE-HEALTH-CHECK-NODE-PORT")} -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT`);
  // Ports on the node must not be reachable through a VIP (issue 72236).
  for (const set of ["KUBE-LOAD-BALANCER", "KUBE-CLUSTER-IP", "KUBE-EXTERNAL-IP", "KUBE-EXTERNAL-IP-LOCAL"]) filter.push(`-A KUBE-IPVS-FILTER -m set --match-set ${set} dst,dst -j RETURN`);
  filter.push("-A KUBE-IPVS-FILTER -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j RETURN");
  filter.push("-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT");
  nat.push(`-A KUBE-POSTROUTING -m mark ! --mark ${mark} -j RETURN`);
  nat.push(`-A KUBE-POSTROUTING -j MARK --xor-mark ${o.masqueradeMark}`);
  nat.push(`-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${o.randomFully ? " --random-fully" : ""}`);
  nat.push(`-A KUBE-MARK-MASQ -j MARK --or-mark ${o.masqueradeMark}`);
  return [
    "*nat", ...NAT_CHAINS.map((c) => `:${c} - [0:0]`), ...nat, "COMMIT",
    "*filter", ...FILTER_CHAINS.map((c) => `:${c} - [0:0]`), ...filter, "COMMIT", "",
  ].join("\n");
}
