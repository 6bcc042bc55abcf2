/**
 * The iptables-restore payload kube-proxy's iptables proxier writes on each sync (v1.32
 * pkg/proxy/iptables/proxier.go `syncProxyRules`), rule for rule and in its order: the filter
 * table's KUBE-SERVICES / KUBE-EXTERNAL-SERVICES / KUBE-FORWARD / KUBE-NODEPORTS /
 * KUBE-PROXY-FIREWALL / KUBE-FIREWALL, and the nat table's KUBE-SERVICES, KUBE-NODEPORTS,
 * KUBE-POSTROUTING, KUBE-MARK-MASQ and the per-service KUBE-SVC/SVL/EXT/FW/SEP chains, with
 * probabilities as upstream prints them and comments as it quotes them. A partial sync leaves
 * out the per-service chains of service ports that did not change (they stay as they are, as
 * `--noflush` leaves them); stale per-service chains are flushed and deleted.
 *
 * The jump rules from the built-in chains are not part of the payload: kube-proxy ensures them
 * one by one (see `JUMP_CHAINS`).
 *
 * @example
 * const { text } = iptablesRestoreText({ options, services, endpoints });
 * restoreTables(stack.netfilter, text, { noflush: true, counters: true });
 */
import { formatCIDR, formatIP, inCIDR } from "../../util/ipv4";
import { portProtoHash, probability, servicePortEndpointChainName } from "./chain-names";
import { ifLocal, ifNotLocal, type LocalDetector } from "./config";
import { categorizeEndpoints, portKey, reachedExternally, usesClusterEndpoints, usesLocalEndpoints, type EndpointInfo, type ServicePortInfo } from "./service-ports";

/** With more endpoint chains than this, kube-proxy drops the per-endpoint comments ("large cluster mode"). */
export const LARGE_CLUSTER_ENDPOINTS = 1000;

/** The NFAcct counters kube-proxy 1.32 creates (metrics.IPTablesCTStateInvalidDroppedNFAcctCounter, …). */
const CT_INVALID_COUNTER = "ct_state_invalid_dropped_pkts";
const LOCALHOST_NODEPORT_COUNTER = "localhost_nps_accepted_pkts";

export interface IptablesOptions {
  masqueradeAll: boolean;
  /** `0x00004000`. */
  masqueradeMark: string;
  localhostNodePorts: boolean;
  /** Undefined: NodePorts answer on every local address; else on these addresses only. */
  nodePortIPs?: number[];
  /** `net.netfilter.nf_conntrack_tcp_be_liberal` is set: no DROP of INVALID packets. */
  conntrackTCPLiberal: boolean;
  /** The kernel has nfacct (xt_nfacct): the INVALID-drop and localhost-NodePort rules count through it. */
  nfacct: boolean;
  /** iptables supports MASQUERADE `--random-fully` (1.8.7 does). */
  randomFully: boolean;
  detector: LocalDetector;
  /** The node's primary address (a loadBalancerSourceRanges entry covering it lets the node in). */
  nodeIP: number;
}

export interface IptablesInput {
  options: IptablesOptions;
  /** In the order to write them. */
  services: readonly ServicePortInfo[];
  /** By `portKey(name, protocol)`. */
  endpoints: ReadonlyMap<string, readonly EndpointInfo[]>;
  /** The nat table's chains before this sync: stale per-service chains among them are deleted. */
  existingNatChains?: Iterable<string>;
  /** Service ports (`portKey`) whose chains to rewrite; undefined: a full sync rewrites every one. */
  changed?: ReadonlySet<string>;
}

export interface IptablesOutput {
  text: string;
  /** Every per-service nat chain in use (written or left as it is). */
  activeNatChains: Set<string>;
  largeClusterMode: boolean;
  /** Lines of rules written per table (upstream's sync_proxy_rules_iptables_last metric). */
  filterRules: number;
  natRules: number;
}

/**
 * Lines of the payload: words joined by spaces, as upstream's LineBuffer writes them. A discard
 * buffer only counts what it is given (the chains a partial sync leaves out).
 */
class Lines {
  readonly lines: string[] = [];
  count = 0;
  constructor(private readonly discard = false) {}

  write(...words: (string | readonly string[])[]): void {
    this.count++;
    if (this.discard) return;
    const flat: string[] = [];
    for (const w of words) {
      if (typeof w === "string") flat.push(w);
      else for (const x of w) flat.push(x);
    }
    this.lines.push(flat.join(" "));
  }
}

const chainLine = (chain: string) => `:${chain} - [0:0]`;
const quoted = (text: string) => `"${text}"`;

/**
 * Builds the payload. Services are written in the order given (upstream iterates a Go map, so
 * its order is arbitrary; sorted by service port name here).
 */
export function iptablesRestoreText(input: IptablesInput): IptablesOutput {
  const o = input.options;
  const filterChains = new Lines();
  const filterRules = new Lines();
  const natChains = new Lines();
  const natRules = new Lines();
  const skipped = new Lines(true);
  const mark = `${o.masqueradeMark}/${o.masqueradeMark}`;

  for (const c of ["KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD", "KUBE-NODEPORTS", "KUBE-PROXY-FIREWALL"]) filterChains.write(chainLine(c));
  for (const c of ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ"]) natChains.write(chainLine(c));

  natRules.write("-A KUBE-POSTROUTING -m mark ! --mark", mark, "-j RETURN");
  // Clear the mark so a packet that traverses the stack again is not masqueraded twice.
  natRules.write("-A KUBE-POSTROUTING -j MARK --xor-mark", o.masqueradeMark);
  natRules.write('-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE', o.randomFully ? ["--random-fully"] : []);
  natRules.write("-A KUBE-MARK-MASQ -j MARK --or-mark", o.masqueradeMark);

  if (o.localhostNodePorts) {
    // route_localnet opens a hole (issue 90259) this closes; the kubelet writes the same rule.
    filterChains.write(chainLine("KUBE-FIREWALL"));
    filterRules.write('-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP');
  }

  const activeNatChains = new Set<string>();
  let totalEndpoints = 0;
  for (const svc of input.services) totalEndpoints += input.endpoints.get(portKey(svc.name, svc.protocol))?.length ?? 0;
  const largeClusterMode = totalEndpoints > LARGE_CLUSTER_ENDPOINTS;
  const comment = (text: string): string[] => (largeClusterMode ? [] : ["-m", "comment", "--comment", text]);

  for (const svc of input.services) {
    const key = portKey(svc.name, svc.protocol);
    const proto = svc.protocol;
    const name = svc.name;
    const hash = portProtoHash(name, proto);
    const svcChain = `KUBE-SVC-${hash}`;
    const svlChain = `KUBE-SVL-${hash}`;
    const extChain = `KUBE-EXT-${hash}`;
    const fwChain = `KUBE-FW-${hash}`;
    const clusterIP = formatIP(svc.clusterIP);
    const port = String(svc.port);
    const { clusterEndpoints, localEndpoints, allReachable, hasAnyEndpoints } = categorizeEndpoints(input.endpoints.get(key) ?? [], svc);

    const usesClusterPolicyChain = clusterEndpoints.length > 0 && usesClusterEndpoints(svc);
    const usesLocalPolicyChain = localEndpoints.length > 0 && usesLocalEndpoints(svc);
    const internalPolicyChain = svc.internalPolicyLocal ? svlChain : svcChain;
    const hasInternalEndpoints = hasAnyEndpoints && !(svc.internalPolicyLocal && localEndpoints.length === 0);
    const externalPolicyChain = svc.externalPolicyLocal ? svlChain : svcChain;
    const hasExternalEndpoints = hasAnyEndpoints && !(svc.externalPolicyLocal && localEndpoints.length === 0);
    // The short-circuit rules for local traffic are needed even when no endpoint takes external traffic.
    const usesExternalTrafficChain = hasAnyEndpoints && reachedExternally(svc);
    const usesFWChain = hasAnyEndpoints && svc.loadBalancerVIPs.length > 0 && svc.loadBalancerSourceRanges.length > 0;
    const loadBalancerTrafficChain = usesFWChain ? fwChain : extChain;

    let internalFilterTarget = "";
    let internalFilterComment = "";
    let externalFilterTarget = "";
    let externalFilterComment = "";
    if (!hasAnyEndpoints) {
      internalFilterTarget = externalFilterTarget = "REJECT";
      internalFilterComment = externalFilterComment = quoted(`${name} has no endpoints`);
    } else {
      if (!hasInternalEndpoints) {
        internalFilterTarget = "DROP";
        internalFilterComment = quoted(`${name} has no local endpoints`);
      }
      if (!hasExternalEndpoints) {
        externalFilterTarget = "DROP";
        externalFilterComment = quoted(`${name} has no local endpoints`);
      }
    }

    // The ClusterIP.
    if (hasInternalEndpoints) {
      natRules.write("-A KUBE-SERVICES -m comment --comment", quoted(`${name} cluster IP`), "-m", proto, "-p", proto, "-d", clusterIP, "--dport", port, "-j", internalPolicyChain);
    } else {
      filterRules.write("-A KUBE-SERVICES -m comment --comment", internalFilterComment, "-m", proto, "-p", proto, "-d", clusterIP, "--dport", port, "-j", internalFilterTarget);
    }

    // External IPs.
    for (const ip of svc.externalIPs) {
      if (hasAnyEndpoints) natRules.write("-A KUBE-SERVICES -m comment --comment", quoted(`${name} external IP`), "-m", proto, "-p", proto, "-d", formatIP(ip), "--dport", port, "-j", extChain);
      if (!hasExternalEndpoints) filterRules.write("-A KUBE-EXTERNAL-SERVICES -m comment --comment", externalFilterComment, "-m", proto, "-p", proto, "-d", formatIP(ip), "--dport", port, "-j", externalFilterTarget);
    }

    // LoadBalancer ingress IPs.
    for (const ip of svc.loadBalancerVIPs) {
      if (hasAnyEndpoints) natRules.write("-A KUBE-SERVICES -m comment --comment", quoted(`${name} loadbalancer IP`), "-m", proto, "-p", proto, "-d", formatIP(ip), "--dport", port, "-j", loadBalancerTrafficChain);
      if (usesFWChain) filterRules.write("-A KUBE-PROXY-FIREWALL -m comment --comment", quoted(`${name} traffic not accepted by ${fwChain}`), "-m", proto, "-p", proto, "-d", formatIP(ip), "--dport", port, "-j DROP");
    }
    if (!hasExternalEndpoints) {
      for (const ip of svc.loadBalancerVIPs) filterRules.write("-A KUBE-EXTERNAL-SERVICES -m comment --comment", externalFilterComment, "-m", proto, "-p", proto, "-d", formatIP(ip), "--dport", port, "-j", externalFilterTarget);
    }

    // The NodePort.
    if (svc.nodePort !== 0) {
      const nodePort = String(svc.nodePort);
      if (hasAnyEndpoints) {
        if (o.localhostNodePorts && o.nfacct) {
          natRules.write("-A KUBE-NODEPORTS -m comment --comment", name, "-m", proto, "-p", proto, "-d 127.0.0.0/8 --dport", nodePort, "-m nfacct --nfacct-name", LOCALHOST_NODEPORT_COUNTER, "-j", extChain);
        }
        natRules.write("-A KUBE-NODEPORTS -m comment --comment", name, "-m", proto, "-p", proto, "--dport", nodePort, "-j", extChain);
      }
      if (!hasExternalEndpoints) {
        filterRules.write("-A KUBE-EXTERNAL-SERVICES -m comment --comment", externalFilterComment, "-m addrtype --dst-type LOCAL -m", proto, "-p", proto, "--dport", nodePort, "-j", externalFilterTarget);
      }
    }

    // The health check NodePort accepts connections whether or not this node has endpoints.
    if (svc.healthCheckNodePort !== 0) {
      filterRules.write("-A KUBE-NODEPORTS -m comment --comment", quoted(`${name} health check node port`), "-m tcp -p tcp --dport", String(svc.healthCheckNodePort), "-j ACCEPT");
    }

    // Per-service chains: left out of a partial sync when nothing about the service port changed.
    const rewrite = !input.changed || input.changed.has(key);
    const chains = rewrite ? natChains : skipped;
    const rules = rewrite ? natRules : skipped;
    const clusterIPMatch = ["-m", "comment", "--comment", quoted(`${name} cluster IP`), "-m", proto, "-p", proto, "-d", clusterIP, "--dport", port];

    if (hasInternalEndpoints) {
      if (o.masqueradeAll) rules.write("-A", internalPolicyChain, clusterIPMatch, "-j KUBE-MARK-MASQ");
      // Off-cluster traffic to a ClusterIP (a route to the service range via a node) bounces, so masquerade it.
      else if (o.detector.mode !== "none") rules.write("-A", internalPolicyChain, clusterIPMatch, ifNotLocal(o.detector), "-j KUBE-MARK-MASQ");
    }

    if (usesExternalTrafficChain) {
      chains.write(chainLine(extChain));
      activeNatChains.add(extChain);
      if (!svc.externalPolicyLocal) {
        // Endpoints may be on other nodes: masquerade, or the reply would skip this node.
        rules.write("-A", extChain, "-m comment --comment", quoted(`masquerade traffic for ${name} external destinations`), "-j KUBE-MARK-MASQ");
      } else {
        if (o.detector.mode !== "none") {
          // A pod reaching an external address behaves as if it went out to the load balancer and back.
          rules.write("-A", extChain, "-m comment --comment", quoted(`pod traffic for ${name} external destinations`), ifLocal(o.detector), "-j", svcChain);
        }
        // The node itself: the load balancer IP is a local address, so the source would be too.
        rules.write("-A", extChain, "-m comment --comment", quoted(`masquerade LOCAL traffic for ${name} external destinations`), "-m addrtype --src-type LOCAL -j KUBE-MARK-MASQ");
        rules.write("-A", extChain, "-m comment --comment", quoted(`route LOCAL traffic for ${name} external destinations`), "-m addrtype --src-type LOCAL -j", svcChain);
      }
      if (hasExternalEndpoints) rules.write("-A", extChain, "-j", externalPolicyChain);
    }

    if (usesFWChain) {
      chains.write(chainLine(fwChain));
      activeNatChains.add(fwChain);
      const head = ["-A", fwChain, "-m", "comment", "--comment", quoted(`${name} loadbalancer IP`)];
      let allowFromNode = false;
      for (const cidr of svc.loadBalancerSourceRanges) {
        rules.write(head, "-s", formatCIDR(cidr), "-j", extChain);
        if (inCIDR(o.nodeIP, cidr)) allowFromNode = true;
      }
      // A VIP often is a local address: the node's own requests loop back with the VIP as source.
      if (allowFromNode) for (const ip of svc.loadBalancerVIPs) rules.write(head, "-s", formatIP(ip), "-j", extChain);
      rules.write("-A", fwChain, "-m comment --comment", quoted(`other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL`));
    }

    // Each endpoint's chain named once (a hash each): the policy chains and the endpoint chains use them.
    const seps = new Map(allReachable.map((ep) => [ep.text, servicePortEndpointChainName(name, proto, ep.text)]));
    if (usesClusterPolicyChain) {
      chains.write(chainLine(svcChain));
      activeNatChains.add(svcChain);
      serviceToEndpointRules(rules, svc, svcChain, clusterEndpoints, seps, comment);
    }
    if (usesLocalPolicyChain) {
      chains.write(chainLine(svlChain));
      activeNatChains.add(svlChain);
      serviceToEndpointRules(rules, svc, svlChain, localEndpoints, seps, comment);
    }

    for (const ep of allReachable) {
      const sep = seps.get(ep.text)!;
      chains.write(chainLine(sep));
      activeNatChains.add(sep);
      // Hairpin: a pod reaching itself through the service is masqueraded, or its reply would not come back.
      rules.write("-A", sep, comment(name), "-s", formatIP(ep.ip), "-j KUBE-MARK-MASQ");
      const affinity = svc.sessionAffinity ? ["-m", "recent", "--name", sep, "--set"] : [];
      rules.write("-A", sep, comment(name), affinity, "-m", proto, "-p", proto, "-j DNAT --to-destination", ep.text);
    }
  }

  // Per-service chains that no longer serve anything: flushed by their chain line, then deleted.
  for (const chain of [...(input.existingNatChains ?? [])].sort()) {
    if (activeNatChains.has(chain) || !/^KUBE-(SVC|SVL|SEP|FW|EXT)-/.test(chain)) continue;
    natChains.write(chainLine(chain));
    natRules.write("-X", chain);
  }

  // Last in KUBE-SERVICES: anything to a local address may be a NodePort.
  if (!o.nodePortIPs) {
    const notLocalhost = o.localhostNodePorts ? [] : ["!", "-d", "127.0.0.0/8"];
    natRules.write('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL', notLocalhost, "-j KUBE-NODEPORTS");
  } else {
    for (const ip of o.nodePortIPs) {
      if ((ip >>> 24) === 127 && !o.localhostNodePorts) continue;
      natRules.write('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d', formatIP(ip), "-j KUBE-NODEPORTS");
    }
  }

  // INVALID packets would reset connections unless the kernel is liberal about them (issue 74839).
  if (!o.conntrackTCPLiberal) filterRules.write("-A KUBE-FORWARD -m conntrack --ctstate INVALID", o.nfacct ? ["-m", "nfacct", "--nfacct-name", CT_INVALID_COUNTER] : [], "-j DROP");
  // Marked traffic is forwarded even when FORWARD's policy is DROP, and so are its replies.
  filterRules.write('-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark', mark, "-j ACCEPT");
  filterRules.write('-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');

  const text = ["*filter", ...filterChains.lines, ...filterRules.lines, "COMMIT", "*nat", ...natChains.lines, ...natRules.lines, "COMMIT", ""].join("\n");
  return { text, activeNatChains, largeClusterMode, filterRules: filterRules.lines.length, natRules: natRules.lines.length };
}

/** writeServiceToEndpointRules: affinity checks first, then 1/(n−i) probabilities, the last rule unconditional. */
function serviceToEndpointRules(
  rules: Lines,
  svc: ServicePortInfo,
  chain: string,
  endpoints: readonly EndpointInfo[],
  seps: ReadonlyMap<string, string>,
  comment: (text: string) => string[],
): void {
  if (svc.sessionAffinity) {
    for (const ep of endpoints) {
      const sep = seps.get(ep.text)!;
      rules.write("-A", chain, comment(quoted(`${svc.name} -> ${ep.text}`)), "-m recent --name", sep, "--rcheck --seconds", String(svc.stickyMaxAgeSeconds), "--reap -j", sep);
    }
  }
  const n = endpoints.length;
  endpoints.forEach((ep, i) => {
    const sep = seps.get(ep.text)!;
    const random = i < n - 1 ? ["-m", "statistic", "--mode", "random", "--probability", probability(n - i)] : [];
    rules.write("-A", chain, comment(quoted(`${svc.name} -> ${ep.text}`)), random, "-j", sep);
  });
}

/**
 * The jumps from the built-in chains that kube-proxy ensures before each full sync (`EnsureRule`
 * with Prepend, in this order), and the kubelet's KUBE-FIREWALL jumps it ensures too.
 */
export const JUMP_CHAINS: readonly { table: "filter" | "nat"; from: string; to: string; args: string }[] = Object.freeze([
  { table: "filter", from: "INPUT", to: "KUBE-EXTERNAL-SERVICES", args: '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES' },
  { table: "filter", from: "FORWARD", to: "KUBE-EXTERNAL-SERVICES", args: '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES' },
  { table: "filter", from: "INPUT", to: "KUBE-NODEPORTS", args: '-m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS' },
  { table: "filter", from: "FORWARD", to: "KUBE-SERVICES", args: '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES' },
  { table: "filter", from: "OUTPUT", to: "KUBE-SERVICES", args: '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES' },
  { table: "filter", from: "FORWARD", to: "KUBE-FORWARD", args: '-m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD' },
  { table: "filter", from: "INPUT", to: "KUBE-PROXY-FIREWALL", args: '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL' },
  { table: "filter", from: "OUTPUT", to: "KUBE-PROXY-FIREWALL", args: '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL' },
  { table: "filter", from: "FORWARD", to: "KUBE-PROXY-FIREWALL", args: '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL' },
  { table: "nat", from: "OUTPUT", to: "KUBE-SERVICES", args: '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES' },
  { table: "nat", from: "PREROUTING", to: "KUBE-SERVICES", args: '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES' },
  { table: "nat", from: "POSTROUTING", to: "KUBE-POSTROUTING", args: '-m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING' },
  { table: "filter", from: "INPUT", to: "KUBE-FIREWALL", args: "-j KUBE-FIREWALL" },
  { table: "filter", from: "OUTPUT", to: "KUBE-FIREWALL", args: "-j KUBE-FIREWALL" },
]);
