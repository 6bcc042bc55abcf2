/**
 * kube-proxy's KubeProxyConfiguration (kubeproxy.config.k8s.io/v1alpha1) as kube-proxy reads
 * it from `/var/lib/kube-proxy/config.conf` (the kube-proxy ConfigMap kubeadm writes), with the
 * defaults v1.32 applies to the zero values kubeadm leaves: mode "" is iptables, the masquerade
 * bit is 14, iptables syncs at most once a second and re-checks its canary every 30 s, IPVS
 * schedules with rr and resyncs every 30 s, `nodePortAddresses: null` means every address.
 *
 * @example
 * const config = parseProxyConfig(configMap.data["config.conf"]);
 * if ("error" in config) …; else config.mode; // "iptables" | "ipvs"
 */
import { parse } from "yaml";
import { formatCIDR, inCIDR, parseCIDR, type CIDR } from "../../util/ipv4";
import { freezeDeep } from "../../util/plain";

/** How kube-proxy tells a pod's traffic from everything else (`detectLocalMode`). */
export type LocalDetector =
  | { mode: "none" }
  | { mode: "ClusterCIDR" | "NodeCIDR"; cidr: string }
  | { mode: "BridgeInterface"; iface: string }
  | { mode: "InterfaceNamePrefix"; prefix: string };

export interface ProxyConfig {
  mode: "iptables" | "ipvs";
  clusterCIDR: string;
  detectLocalMode: "ClusterCIDR" | "NodeCIDR" | "BridgeInterface" | "InterfaceNamePrefix";
  bridgeInterface: string;
  interfaceNamePrefix: string;
  masqueradeAll: boolean;
  /** `1 << masqueradeBit`, printed as kube-proxy prints it (`%#08x`: `0x00004000`). */
  masqueradeMark: string;
  localhostNodePorts: boolean;
  /** Empty: every local address (`nodePortAddresses: null`); else CIDRs, or `primary`. */
  nodePortAddresses: string[];
  iptablesMinSyncMs: number;
  iptablesSyncMs: number;
  ipvsScheduler: string;
  ipvsMinSyncMs: number;
  ipvsSyncMs: number;
  strictARP: boolean;
  excludeCIDRs: CIDR[];
  /** `ipvsadm --set` values in seconds; 0 leaves the kernel's. */
  ipvsTimeouts: { tcp: number; tcpFin: number; udp: number };
  conntrack: { maxPerCore: number; min: number; tcpEstablishedS: number; tcpCloseWaitS: number; tcpBeLiberal: boolean };
}

/** Go's time.ParseDuration for the units a configuration uses; undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (text === "0") return 0;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * units[m[2]];
    at = re.lastIndex;
  }
  return at === text.length && text.length > 0 ? total : undefined;
}

type Yaml = Record<string, unknown>;
const section = (doc: Yaml, key: string): Yaml => (doc[key] && typeof doc[key] === "object" ? (doc[key] as Yaml) : {});
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const num = (v: unknown, fallback: number): number => (typeof v === "number" ? v : fallback);

/** A duration field: its value, or the default when unset or zero (as kube-proxy's defaulting does). */
function duration(value: unknown, fallback: number, field: string): number {
  if (value === undefined || value === null || value === "") return fallback;
  const ms = parseGoDuration(String(value));
  if (ms === undefined) throw new Error(`time: invalid duration "${String(value)}" (${field})`);
  return ms === 0 ? fallback : ms;
}

/** Parsed files by text: every node reads the same ConfigMap, and each kube-proxy restart reads it again. */
const parsedConfigs = new Map<string, Readonly<ProxyConfig> | { error: string }>();
const PARSED_CONFIGS = 16;

/**
 * Parses `config.conf` (frozen: shared by every proxier that reads the same text). An error is
 * what kube-proxy's command fails with: `failed complete: …` (the file) or `failed validate: …`.
 */
export function parseProxyConfig(text: string): Readonly<ProxyConfig> | { error: string } {
  let parsed = parsedConfigs.get(text);
  if (!parsed) {
    if (parsedConfigs.size >= PARSED_CONFIGS) parsedConfigs.clear();
    parsed = freezeDeep(parseConfigText(text));
    parsedConfigs.set(text, parsed);
  }
  return parsed;
}

/** The parse itself; an error names what kube-proxy would refuse to start with. */
function parseConfigText(text: string): ProxyConfig | { error: string } {
  let doc: Yaml;
  try {
    doc = (parse(text) ?? {}) as Yaml;
  } catch (error) {
    return { error: `failed complete: failed to decode the configuration: ${(error as Error).message}` };
  }
  const mode = str(doc.mode) || "iptables";
  if (mode !== "iptables" && mode !== "ipvs") {
    return { error: mode === "nftables" ? "the nftables proxier is not simulated here" : `failed validate: KubeProxyConfiguration.Mode: Invalid value: "${mode}": must be iptables, ipvs, nftables or blank (blank means the best-available proxy [currently iptables])` };
  }
  const iptables = section(doc, "iptables");
  const ipvs = section(doc, "ipvs");
  const conntrack = section(doc, "conntrack");
  const detectLocal = section(doc, "detectLocal");
  try {
    const bit = num(iptables.masqueradeBit, 14);
    const detectLocalMode = (str(doc.detectLocalMode) || "ClusterCIDR") as ProxyConfig["detectLocalMode"];
    if (!["ClusterCIDR", "NodeCIDR", "BridgeInterface", "InterfaceNamePrefix"].includes(detectLocalMode)) {
      return { error: `failed validate: KubeProxyConfiguration.DetectLocalMode: Invalid value: "${detectLocalMode}": must be ClusterCIDR, NodeCIDR, BridgeInterface or InterfaceNamePrefix` };
    }
    const clusterCIDR = str(doc.clusterCIDR);
    const nodePortAddresses = Array.isArray(doc.nodePortAddresses) ? doc.nodePortAddresses.map(String) : [];
    const bad = nodePortAddresses.findIndex((a) => a !== "primary" && !parseCIDR(a));
    if (bad >= 0) return { error: `failed validate: KubeProxyConfiguration.NodePortAddresses[${bad}]: Invalid value: "${nodePortAddresses[bad]}": must be a valid CIDR` };
    if (clusterCIDR && !clusterCIDR.split(",").every((c) => parseCIDR(c.trim()))) {
      return { error: `failed validate: KubeProxyConfiguration.ClusterCIDR: Invalid value: "${clusterCIDR}": must be a valid CIDR block (e.g. 10.100.0.0/16 or fde4:8dba:82e1::/48)` };
    }
    return {
      mode,
      clusterCIDR,
      detectLocalMode,
      bridgeInterface: str(detectLocal.bridgeInterface),
      interfaceNamePrefix: str(detectLocal.interfaceNamePrefix),
      masqueradeAll: iptables.masqueradeAll === true,
      masqueradeMark: `0x${(1 << bit).toString(16).padStart(8, "0")}`,
      // NewProxier turns localhost NodePorts off when nodePortAddresses leaves 127.0.0.1 out.
      localhostNodePorts: iptables.localhostNodePorts !== false && containsIPv4Loopback(nodePortAddresses),
      nodePortAddresses,
      iptablesMinSyncMs: duration(iptables.minSyncPeriod, 1_000, "iptables.minSyncPeriod"),
      iptablesSyncMs: duration(iptables.syncPeriod, 30_000, "iptables.syncPeriod"),
      ipvsScheduler: str(ipvs.scheduler),
      // IPVS has no minimum sync period unless one is set.
      ipvsMinSyncMs: parseGoDuration(String(ipvs.minSyncPeriod ?? "0s")) ?? 0,
      ipvsSyncMs: duration(ipvs.syncPeriod, 30_000, "ipvs.syncPeriod"),
      strictARP: ipvs.strictARP === true,
      excludeCIDRs: (Array.isArray(ipvs.excludeCIDRs) ? ipvs.excludeCIDRs.map(String) : []).flatMap((c) => parseCIDR(c) ?? []),
      ipvsTimeouts: {
        tcp: Math.round((parseGoDuration(String(ipvs.tcpTimeout ?? "0s")) ?? 0) / 1000),
        tcpFin: Math.round((parseGoDuration(String(ipvs.tcpFinTimeout ?? "0s")) ?? 0) / 1000),
        udp: Math.round((parseGoDuration(String(ipvs.udpTimeout ?? "0s")) ?? 0) / 1000),
      },
      conntrack: {
        maxPerCore: num(conntrack.maxPerCore, 32_768),
        min: num(conntrack.min, 131_072),
        tcpEstablishedS: duration(conntrack.tcpEstablishedTimeout, 86_400_000, "conntrack.tcpEstablishedTimeout") / 1000,
        tcpCloseWaitS: duration(conntrack.tcpCloseWaitTimeout, 3_600_000, "conntrack.tcpCloseWaitTimeout") / 1000,
        tcpBeLiberal: conntrack.tcpBeLiberal === true,
      },
    };
  } catch (error) {
    return { error: `failed complete: ${(error as Error).message}` };
  }
}

/** Whether NodePorts answer on `ip`: every address when the list is empty; `primary` is the node IP. */
export function nodePortAddressMatches(nodePortAddresses: readonly string[], ip: number, nodeIP: number): boolean {
  if (nodePortAddresses.length === 0) return true;
  return nodePortAddresses.some((a) => {
    if (a === "primary") return ip === nodeIP;
    const cidr = parseCIDR(a);
    return cidr !== undefined && inCIDR(ip, cidr);
  });
}

/** NodePortAddresses.ContainsIPv4Loopback. */
function containsIPv4Loopback(nodePortAddresses: readonly string[]): boolean {
  return nodePortAddressMatches(nodePortAddresses, 0x7f000001, -1);
}

/** The detector a node's proxier uses (`getLocalDetector`): a no-op when its CIDR is missing. */
export function localDetector(config: ProxyConfig, nodePodCIDR: string | undefined): LocalDetector {
  switch (config.detectLocalMode) {
    case "ClusterCIDR": {
      const cidr = config.clusterCIDR.split(",")[0]?.trim();
      return cidr ? { mode: "ClusterCIDR", cidr: formatCIDRText(cidr) } : { mode: "none" };
    }
    case "NodeCIDR":
      return nodePodCIDR ? { mode: "NodeCIDR", cidr: formatCIDRText(nodePodCIDR) } : { mode: "none" };
    case "BridgeInterface":
      return config.bridgeInterface ? { mode: "BridgeInterface", iface: config.bridgeInterface } : { mode: "none" };
    case "InterfaceNamePrefix":
      return config.interfaceNamePrefix ? { mode: "InterfaceNamePrefix", prefix: config.interfaceNamePrefix } : { mode: "none" };
  }
}

/** A CIDR as Go's net.IPNet prints it (host bits cleared). */
function formatCIDRText(text: string): string {
  const cidr = parseCIDR(text);
  return cidr ? formatCIDR(cidr) : text;
}

/** `IfLocal()`: the match that selects traffic from this node's pods. */
export function ifLocal(d: LocalDetector): string[] {
  if (d.mode === "ClusterCIDR" || d.mode === "NodeCIDR") return ["-s", d.cidr];
  if (d.mode === "BridgeInterface") return ["-i", d.iface];
  if (d.mode === "InterfaceNamePrefix") return ["-i", `${d.prefix}+`];
  return [];
}

/** `IfNotLocal()`: everything else. */
export function ifNotLocal(d: LocalDetector): string[] {
  const local = ifLocal(d);
  return local.length ? ["!", ...local] : [];
}
