/**
 * What kube-proxy makes of the API objects it watches (pkg/proxy/serviceport.go,
 * endpointslicecache.go, topology.go): one entry per service port with the addresses it is
 * reached on and its traffic policies, the endpoints of each service port merged from all of
 * its EndpointSlices (sorted by `ip:port`, as the slice cache sorts them), and the endpoints a
 * node may use for Cluster and for Local traffic.
 *
 * @example
 * const ports = servicePorts(store.list("Service"));
 * const endpoints = endpointsByServicePort(store.list("EndpointSlice"), "node01");
 * const { clusterEndpoints, localEndpoints } = categorizeEndpoints(endpoints.get(p.name) ?? [], p);
 */
import type { EndpointSlice, Service } from "../../api";
import { parseCIDR, parseIP, type CIDR } from "../../util/ipv4";

export type Protocol = "tcp" | "udp" | "sctp";

export interface ServicePortInfo {
  /** ServicePortName.String(): `namespace/name` plus `:port` for a named port. */
  name: string;
  /** `namespace/name`. */
  service: string;
  protocol: Protocol;
  clusterIP: number;
  port: number;
  /** 0: none. */
  nodePort: number;
  externalIPs: number[];
  /** Ingress IPs of VIP mode (not `ipMode: Proxy`). */
  loadBalancerVIPs: number[];
  loadBalancerSourceRanges: CIDR[];
  sessionAffinity: boolean;
  stickyMaxAgeSeconds: number;
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
  /** 0: none (only LoadBalancer with externalTrafficPolicy Local has one). */
  healthCheckNodePort: number;
}

export interface EndpointInfo {
  ip: number;
  port: number;
  /** `ip:port`, as `net.JoinHostPort` writes it: the endpoint's identity. */
  text: string;
  isLocal: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

const protocolOf = (p: string | undefined): Protocol => (p === "UDP" ? "udp" : p === "SCTP" ? "sctp" : "tcp");

/** Services a proxier skips (ShouldSkipService): headless, ExternalName, or labelled for another proxy. */
function skipped(svc: Service): boolean {
  const ip = svc.spec.clusterIP;
  if (!ip || ip === "None" || svc.spec.type === "ExternalName") return true;
  return svc.metadata.labels?.["service.kubernetes.io/service-proxy-name"] !== undefined;
}

function externallyAccessible(svc: Service): boolean {
  const t = svc.spec.type ?? "ClusterIP";
  return t === "LoadBalancer" || t === "NodePort" || (t === "ClusterIP" && (svc.spec.externalIPs?.length ?? 0) > 0);
}

/** Every service port kube-proxy programs, in ServicePortName order (upstream's map order is random). */
export function servicePorts(services: readonly Service[]): ServicePortInfo[] {
  const out: ServicePortInfo[] = [];
  for (const svc of services) {
    if (skipped(svc)) continue;
    const clusterIP = parseIP(svc.spec.clusterIP!);
    if (clusterIP === undefined) continue;
    const service = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const externalPolicyLocal = externallyAccessible(svc) && svc.spec.externalTrafficPolicy === "Local";
    const affinity = svc.spec.sessionAffinity === "ClientIP";
    const lbVIPs = (svc.status?.loadBalancer?.ingress ?? []).flatMap((ing) => (ing.ip && ing.ipMode !== "Proxy" ? (parseIP(ing.ip) ?? []) : []));
    for (const port of svc.spec.ports ?? []) {
      out.push({
        name: port.name ? `${service}:${port.name}` : service,
        service,
        protocol: protocolOf(port.protocol),
        clusterIP,
        port: port.port,
        nodePort: port.nodePort ?? 0,
        externalIPs: (svc.spec.externalIPs ?? []).flatMap((ip) => parseIP(ip) ?? []),
        loadBalancerVIPs: lbVIPs,
        // Go parses each after trimming spaces; kube-proxy keeps what parses.
        loadBalancerSourceRanges: (svc.spec.loadBalancerSourceRanges ?? []).flatMap((c) => parseCIDR(c.trim()) ?? []),
        sessionAffinity: affinity,
        stickyMaxAgeSeconds: affinity ? (svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : 0,
        externalPolicyLocal,
        internalPolicyLocal: svc.spec.internalTrafficPolicy === "Local",
        healthCheckNodePort: svc.spec.type === "LoadBalancer" && externalPolicyLocal ? (svc.spec.healthCheckNodePort ?? 0) : 0,
      });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.protocol < b.protocol ? -1 : 1));
}

/** `ExternallyAccessible()` of the port: reached on a NodePort, a LoadBalancer IP or an external IP. */
export const reachedExternally = (p: ServicePortInfo) => p.nodePort !== 0 || p.loadBalancerVIPs.length > 0 || p.externalIPs.length > 0;
/** Cluster endpoints are needed unless internal traffic is Local and nothing comes from outside. */
export const usesClusterEndpoints = (p: ServicePortInfo) => !p.internalPolicyLocal || reachedExternally(p);
export const usesLocalEndpoints = (p: ServicePortInfo) => p.internalPolicyLocal || (p.externalPolicyLocal && reachedExternally(p));

/** The key that joins a service port to its endpoints: its name and protocol. */
export const portKey = (name: string, protocol: Protocol) => `${name}\u0000${protocol}`;

/**
 * The endpoints of every service port, from the IPv4 EndpointSlices labelled with their
 * service: deduplicated by `ip:port` (a local copy wins), sorted by `ip:port` text.
 */
export function endpointsByServicePort(slices: readonly EndpointSlice[], nodeName: string): Map<string, EndpointInfo[]> {
  const sets = new Map<string, Map<string, EndpointInfo>>();
  for (const slice of slices) {
    const serviceName = slice.metadata.labels?.["kubernetes.io/service-name"];
    if (!serviceName || slice.addressType !== "IPv4") continue;
    if (slice.metadata.labels?.["service.kubernetes.io/service-proxy-name"] !== undefined) continue;
    const service = `${slice.metadata.namespace}/${serviceName}`;
    for (const port of slice.ports ?? []) {
      if (port.port === undefined) continue;
      const key = portKey(port.name ? `${service}:${port.name}` : service, protocolOf(port.protocol));
      const set = sets.get(key) ?? new Map<string, EndpointInfo>();
      sets.set(key, set);
      for (const ep of slice.endpoints ?? []) {
        const ip = ep.addresses[0] === undefined ? undefined : parseIP(ep.addresses[0]);
        if (ip === undefined) continue;
        const text = `${ep.addresses[0]}:${port.port}`;
        const isLocal = ep.nodeName === nodeName;
        if (set.has(text) && !isLocal) continue;
        set.set(text, {
          ip, port: port.port, text, isLocal,
          ready: ep.conditions?.ready ?? true,
          serving: ep.conditions?.serving ?? true,
          terminating: ep.conditions?.terminating ?? false,
        });
      }
    }
  }
  const out = new Map<string, EndpointInfo[]>();
  for (const [key, set] of sets) out.set(key, [...set.values()].sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0)));
  return out;
}

export interface Categorized {
  clusterEndpoints: EndpointInfo[];
  localEndpoints: EndpointInfo[];
  /** Every endpoint this node may send to: the union of the two. */
  allReachable: EndpointInfo[];
  /** Whether any usable endpoint exists anywhere in the cluster. */
  hasAnyEndpoints: boolean;
}

/**
 * CategorizeEndpoints: Ready endpoints, or serving-and-terminating ones when none is ready
 * (separately for Cluster and for Local). Topology hints are not modelled (no slice carries them).
 */
export function categorizeEndpoints(endpoints: readonly EndpointInfo[], p: ServicePortInfo): Categorized {
  let clusterEndpoints: EndpointInfo[] = [];
  let localEndpoints: EndpointInfo[] = [];
  let hasAnyEndpoints = false;
  const servingTerminating = (e: EndpointInfo) => e.serving && e.terminating;
  if (usesClusterEndpoints(p)) {
    clusterEndpoints = endpoints.filter((e) => e.ready);
    if (clusterEndpoints.length === 0) clusterEndpoints = endpoints.filter(servingTerminating);
    hasAnyEndpoints = clusterEndpoints.length > 0;
  }
  if (!usesLocalEndpoints(p)) return { clusterEndpoints, localEndpoints, allReachable: clusterEndpoints, hasAnyEndpoints };
  let localReady = false;
  let localServingTerminating = false;
  for (const e of endpoints) {
    if (e.ready) {
      hasAnyEndpoints = true;
      if (e.isLocal) localReady = true;
    } else if (servingTerminating(e)) {
      hasAnyEndpoints = true;
      if (e.isLocal) localServingTerminating = true;
    }
  }
  if (localReady) localEndpoints = endpoints.filter((e) => e.isLocal && e.ready);
  else if (localServingTerminating) localEndpoints = endpoints.filter((e) => e.isLocal && servingTerminating(e));
  if (!usesClusterEndpoints(p)) return { clusterEndpoints, localEndpoints, allReachable: localEndpoints, hasAnyEndpoints };
  if (!localServingTerminating || localReady) return { clusterEndpoints, localEndpoints, allReachable: clusterEndpoints, hasAnyEndpoints };
  // Local uses terminating endpoints the cluster list lacks: merge the two (by ip:port).
  const merged = new Map<string, EndpointInfo>();
  for (const e of [...clusterEndpoints, ...localEndpoints]) merged.set(e.text, e);
  return { clusterEndpoints, localEndpoints, allReachable: [...merged.values()], hasAnyEndpoints };
}
