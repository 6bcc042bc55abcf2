/**
 * kube-proxy on one node, as a controller named `kube-proxy/<node>`: it watches Services,
 * EndpointSlices, its Node and its own pod, and while that pod's `kube-proxy` container runs it
 * keeps the node's host namespace in line, in the mode its configuration file says — the
 * iptables proxier (rules through iptables-restore) or the IPVS proxier (kube-ipvs0, IPVS,
 * ipsets and the rules that match them). A new container is a new kube-proxy: it reads
 * `config.conf` from the kube-proxy ConfigMap it mounts, sets its sysctls and does a full
 * sync. When the container stops nothing is undone: the rules stay as they are, as in life.
 *
 * Syncs are paced as upstream's BoundedFrequencyRunner paces them (a burst of 2, then at most
 * one per minSyncPeriod of virtual time), with a periodic one (iptables: hourly, plus a canary
 * check every syncPeriod that resyncs everything if the tables were flushed; IPVS: every
 * syncPeriod). The iptables proxier rewrites only the chains of service ports that changed
 * (a partial sync), so a hand-edited KUBE-SVC chain stays edited until its service changes.
 *
 * @example
 * cluster.register(new KubeProxy(cluster, "node01"));
 */
import type { ConfigMap, Node, ObjectStore, Pod, Stored, WatchEvent } from "../../api";
import type { Cluster } from "../../cluster/cluster";
import type { Controller, ControllerContext, ControllerWatch } from "../../cluster/controller";
import { equalPlain } from "../../util/plain";
import { parseIP } from "../../util/ipv4";
import { IPVS_SCHEDULERS, type IpvsScheduler } from "../ipvs";
import type { NetStack } from "../kernel/stack";
import { localDetector, nodePortAddressMatches, parseProxyConfig, type LocalDetector, type ProxyConfig } from "./config";
import { ensureChain, ensureRule, ensureSysctl, restore, syncIpsets, chainNames } from "./kernel";
import { iptablesRestoreText, JUMP_CHAINS, LARGE_CLUSTER_ENDPOINTS } from "./iptables-rules";
import { drainGraceful, syncIpvs, type GracefulItem } from "./ipvs-proxier";
import { IPVS_JUMP_CHAINS } from "./ipvs-rules";
import { endpointsByServicePort, portKey, servicePorts, type EndpointInfo, type ServicePortInfo } from "./service-ports";

/** proxyutil.FullSyncPeriod: the iptables proxier rewrites everything at least this often. */
const FULL_SYNC_MS = 3_600_000;
/** rsCheckDeleteInterval: how often draining IPVS real servers are looked at. */
const GRACEFUL_CHECK_MS = 60_000;
/** The canary chain utiliptables.Monitor watches in each table. */
const CANARY = "KUBE-PROXY-CANARY";
/** The machine's CPUs (conntrack's maxPerCore scales with them). */
const CPUS = 2;

/** One run of the kube-proxy container: what it read at start and what it keeps between syncs. */
export interface ProxyInstance {
  /** The container (its `containerID`); a new one is a new kube-proxy. */
  container: string;
  config: Readonly<ProxyConfig>;
  detector: LocalDetector;
  nodeLabels: Record<string, string>;
  /** Each service port and its endpoints as last synced (a partial sync skips the unchanged). */
  written: Map<string, string>;
  needFullSync: boolean;
  lastFullSync: number;
  lastCleanup: number;
  /** BoundedFrequencyRunner's token bucket (burst 2, one token per minSyncPeriod). */
  tokens: number;
  tokensAt: number;
  /** IPVS: the first sync resets the weights of destinations it finds. */
  initialSync: boolean;
  graceful: Map<string, GracefulItem>;
  syncs: number;
}

/** What a kube-proxy watch hears about: all Services and slices, its own Node and pod. */
class ProxyWatch implements ControllerWatch {
  constructor(
    readonly kind: "Service" | "EndpointSlice" | "Node" | "Pod",
    private readonly proxy: KubeProxy,
  ) {}

  keys(event: WatchEvent): readonly string[] {
    return this.proxy.keysOf(this.kind, event);
  }
}

const SYNC = ["sync"];

export class KubeProxy implements Controller {
  readonly name: string;
  readonly watches: readonly ControllerWatch[];
  /** The running kube-proxy's state; undefined before it first runs and after it stops. */
  instance: ProxyInstance | undefined;
  /** Why the last container could not start proxying (a bad configuration), for tests and logs. */
  configError: string | undefined;

  constructor(
    private readonly cluster: Cluster,
    readonly nodeName: string,
  ) {
    this.name = `kube-proxy/${nodeName}`;
    this.watches = [new ProxyWatch("Service", this), new ProxyWatch("EndpointSlice", this), new ProxyWatch("Node", this), new ProxyWatch("Pod", this)];
  }

  keysOf(kind: ProxyWatch["kind"], event: WatchEvent): readonly string[] {
    if (kind === "Node") return event.object.metadata.name === this.nodeName ? SYNC : [];
    if (kind !== "Pod") return SYNC;
    for (const obj of [event.object, event.old] as (Stored<Pod> | undefined)[]) {
      if (obj && obj.metadata.namespace === "kube-system" && obj.metadata.labels?.["k8s-app"] === "kube-proxy" && obj.spec?.nodeName === this.nodeName) return SYNC;
    }
    return [];
  }

  reconcile(key: string, ctx: ControllerContext): void {
    const running = this.runningContainer(ctx.store);
    if (!running) {
      // kube-proxy stopped: the kernel keeps whatever it last wrote.
      this.instance = undefined;
      return;
    }
    const stack = this.cluster.network.host(this.nodeName);
    if (!stack) return;
    if (!this.instance || this.instance.container !== running.container) {
      this.instance = this.start(running.pod, running.container, ctx, stack);
      if (!this.instance) return;
    }
    const inst = this.instance;
    const now = ctx.clock.now();
    if (key === "graceful") {
      drainGraceful(stack, inst.graceful, now);
      if (inst.graceful.size > 0) ctx.requeueAfter("graceful", GRACEFUL_CHECK_MS);
      return;
    }
    if (key === "monitor") {
      this.monitor(inst, stack, ctx);
      return;
    }
    const labels = ctx.store.find<Node>("Node", undefined, this.nodeName)?.metadata.labels ?? {};
    if (!equalPlain(labels, inst.nodeLabels)) {
      inst.nodeLabels = { ...labels };
      inst.needFullSync = true;
    }
    const model = buildModel(ctx.store, this.nodeName);
    // Upstream's change trackers only ask for a sync when a service port or its endpoints changed.
    if (key === "sync" && !inst.needFullSync && samePrints(model.prints, inst.written)) return;
    // BoundedFrequencyRunner: a burst of two, then one run per minSyncPeriod.
    const minSync = inst.config.mode === "ipvs" ? inst.config.ipvsMinSyncMs : inst.config.iptablesMinSyncMs;
    if (minSync > 0) {
      inst.tokens = Math.min(2, inst.tokens + (now - inst.tokensAt) / minSync);
      inst.tokensAt = now;
      if (inst.tokens < 1) {
        ctx.requeueAfter(key, Math.ceil((1 - inst.tokens) * minSync));
        return;
      }
      inst.tokens -= 1;
    }
    this.sync(inst, stack, ctx, model);
  }

  /** The pod's running `kube-proxy` container on this (powered) node, if any. */
  private runningContainer(store: ObjectStore): { pod: Stored<Pod>; container: string } | undefined {
    if (!this.cluster.nodes.get(this.nodeName)?.powered) return undefined;
    for (const pod of store.list<Pod>("Pod", { namespace: "kube-system" })) {
      if (pod.spec.nodeName !== this.nodeName || pod.metadata.labels?.["k8s-app"] !== "kube-proxy") continue;
      const status = pod.status?.containerStatuses?.find((c) => c.name === "kube-proxy");
      if (status?.state?.running && status.containerID) return { pod, container: status.containerID };
    }
    return undefined;
  }

  /** kube-proxy starts: reads its configuration file, sets its sysctls, and will fully sync. */
  private start(pod: Stored<Pod>, container: string, ctx: ControllerContext, stack: NetStack): ProxyInstance | undefined {
    const text = configFile(pod, ctx.store);
    const parsed = "error" in text ? text : parseProxyConfig(text.text);
    if ("error" in parsed) {
      this.configError = parsed.error;
      return undefined;
    }
    if (parsed.mode === "ipvs" && !IPVS_SCHEDULERS.includes((parsed.ipvsScheduler || "rr") as IpvsScheduler)) {
      this.configError = `can't use the IPVS proxier: the ${parsed.ipvsScheduler} scheduler is not available`;
      return undefined;
    }
    this.configError = undefined;
    const node = ctx.store.find<Node>("Node", undefined, this.nodeName);
    const now = ctx.clock.now();
    const inst: ProxyInstance = {
      container, config: parsed, detector: localDetector(parsed, node?.spec?.podCIDR), nodeLabels: { ...(node?.metadata.labels ?? {}) },
      written: new Map(), needFullSync: true, lastFullSync: 0, lastCleanup: 0, tokens: 2, tokensAt: now,
      initialSync: true, graceful: new Map(), syncs: 0,
    };
    setSysctls(stack, parsed);
    if (parsed.mode === "iptables") {
      // utiliptables.Monitor: the canaries whose disappearance means someone flushed the tables.
      for (const table of ["mangle", "nat", "filter"] as const) ensureChain(stack, table, CANARY);
      ctx.requeueAfter("monitor", parsed.iptablesSyncMs);
    }
    return inst;
  }

  /** The canary check: a missing mangle canary means a flush; recreate them all and resync fully. */
  private monitor(inst: ProxyInstance, stack: NetStack, ctx: ControllerContext): void {
    if (inst.config.mode !== "iptables") return;
    ctx.requeueAfter("monitor", inst.config.iptablesSyncMs);
    if (stack.netfilter.mangle.chains.has(CANARY)) return;
    for (const table of ["mangle", "nat", "filter"] as const) ensureChain(stack, table, CANARY);
    inst.needFullSync = true;
    this.sync(inst, stack, ctx, buildModel(ctx.store, this.nodeName));
  }

  private sync(inst: ProxyInstance, stack: NetStack, ctx: ControllerContext, model: Model): void {
    const draining = inst.graceful.size;
    const nodeIP = parseIP(this.cluster.nodes.get(this.nodeName)!.ip)!;
    const now = ctx.clock.now();
    const ok = inst.config.mode === "ipvs" ? this.syncIpvsMode(inst, stack, model, nodeIP, now) : this.syncIptablesMode(inst, stack, model, nodeIP, now);
    if (!ok) {
      // A failed restore: upstream retries after syncPeriod with a full sync.
      inst.needFullSync = true;
      ctx.requeueAfter("resync", inst.config.mode === "ipvs" ? inst.config.ipvsSyncMs : inst.config.iptablesSyncMs);
      return;
    }
    inst.syncs++;
    const udpChanged = model.services.some((svc) => svc.protocol === "udp" && inst.written.get(portKey(svc.name, svc.protocol)) !== model.prints.get(portKey(svc.name, svc.protocol)));
    if (udpChanged) cleanStaleUdpFlows(stack, model.services, model.endpoints);
    inst.written = model.prints;
    inst.needFullSync = false;
    // The periodic run: IPVS resyncs every syncPeriod, iptables fully every hour.
    ctx.requeueAfter("resync", inst.config.mode === "ipvs" ? inst.config.ipvsSyncMs : FULL_SYNC_MS);
    // The graceful termination manager looks every minute once something drains (its own clock, not the syncs').
    if (draining === 0 && inst.graceful.size > 0) ctx.requeueAfter("graceful", GRACEFUL_CHECK_MS);
  }

  /** One iptables sync; false when the restore failed. */
  private syncIptablesMode(inst: ProxyInstance, stack: NetStack, model: Model, nodeIP: number, now: number): boolean {
    const c = inst.config;
    const full = inst.needFullSync || now - inst.lastFullSync >= FULL_SYNC_MS;
    if (full) {
      // The jumps from the built-in chains are not in the payload: each is ensured on its own.
      for (const j of JUMP_CHAINS) {
        ensureChain(stack, j.table, j.to);
        ensureRule(stack, j.table, j.from, j.args);
      }
    }
    const changed = new Set<string>();
    let total = 0;
    for (const [key, print] of model.prints) if (inst.written.get(key) !== print) changed.add(key);
    for (const eps of model.endpoints.values()) total += eps.length;
    // Stale chains are swept every sync, except in a large cluster (then once per syncPeriod).
    const sweep = total <= LARGE_CLUSTER_ENDPOINTS || now - inst.lastCleanup > c.iptablesSyncMs;
    const out = iptablesRestoreText({
      options: {
        masqueradeAll: c.masqueradeAll, masqueradeMark: c.masqueradeMark, localhostNodePorts: c.localhostNodePorts,
        nodePortIPs: c.nodePortAddresses.length === 0 ? undefined : nodePortIPs(stack, c.nodePortAddresses, nodeIP),
        conntrackTCPLiberal: c.conntrack.tcpBeLiberal, nfacct: true, randomFully: true, detector: inst.detector, nodeIP,
      },
      services: model.services, endpoints: model.endpoints,
      changed: full ? undefined : changed,
      existingNatChains: sweep ? chainNames(stack, "nat") : undefined,
    });
    if (restore(stack, out.text) !== undefined) return false;
    if (full) inst.lastFullSync = now;
    if (sweep) inst.lastCleanup = now;
    return true;
  }

  /** One IPVS sync; false when its iptables restore failed. */
  private syncIpvsMode(inst: ProxyInstance, stack: NetStack, model: Model, nodeIP: number, now: number): boolean {
    const c = inst.config;
    for (const j of IPVS_JUMP_CHAINS) {
      ensureChain(stack, j.table, j.to);
      ensureRule(stack, j.table, j.from, j.args);
    }
    const { restore: payload, sets } = syncIpvs({
      stack, services: model.services, endpoints: model.endpoints, graceful: inst.graceful, initialSync: inst.initialSync, now,
      options: {
        scheduler: (c.ipvsScheduler || "rr") as IpvsScheduler, masqueradeAll: c.masqueradeAll, masqueradeMark: c.masqueradeMark, detector: inst.detector,
        randomFully: true, nodePortAddresses: c.nodePortAddresses, nodeIP, excludeCIDRs: c.excludeCIDRs,
      },
    });
    inst.initialSync = false;
    syncIpsets(stack, sets);
    return restore(stack, payload) === undefined;
  }
}

/** What one sync works from: the service ports, their endpoints, and a print of each to tell changes by. */
interface Model {
  services: ServicePortInfo[];
  endpoints: Map<string, EndpointInfo[]>;
  /** By portKey: the service port and its endpoints as JSON. */
  prints: Map<string, string>;
}

function buildModel(store: ObjectStore, nodeName: string): Model {
  const services = servicePorts(store.list("Service"));
  const endpoints = endpointsByServicePort(store.list("EndpointSlice"), nodeName);
  const prints = new Map<string, string>();
  for (const svc of services) {
    const key = portKey(svc.name, svc.protocol);
    prints.set(key, JSON.stringify([svc, endpoints.get(key) ?? []]));
  }
  return { services, endpoints, prints };
}

function samePrints(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** The node's addresses NodePorts answer on when `nodePortAddresses` limits them (GetNodeIPs). */
function nodePortIPs(stack: NetStack, allowed: readonly string[], nodeIP: number): number[] {
  const out = new Set<number>();
  for (const link of stack.links.values()) for (const a of link.addrs) if (nodePortAddressMatches(allowed, a.ip, nodeIP)) out.add(a.ip);
  return [...out].sort((a, b) => a - b);
}

/**
 * The configuration file the container reads: `--config=PATH` resolved through the pod's volume
 * mounts to a ConfigMap key (kubeadm: /var/lib/kube-proxy/config.conf from ConfigMap kube-proxy),
 * as the kubelet projects it into the container.
 */
function configFile(pod: Stored<Pod>, store: ObjectStore): { text: string } | { error: string } {
  const container = pod.spec.containers.find((c) => c.name === "kube-proxy");
  const flag = [...(container?.command ?? []), ...(container?.args ?? [])].find((a) => a.startsWith("--config="));
  // Without --config kube-proxy runs on its defaults.
  if (!container || !flag) return { text: "" };
  const path = flag.slice("--config=".length);
  for (const mount of container.volumeMounts ?? []) {
    const dir = mount.mountPath.replace(/\/$/, "");
    if (!path.startsWith(`${dir}/`)) continue;
    const volume = pod.spec.volumes?.find((v) => v.name === mount.name);
    const name = volume?.configMap?.name;
    const cm = name ? store.find<ConfigMap>("ConfigMap", "kube-system", name) : undefined;
    const text = cm?.data?.[path.slice(dir.length + 1)];
    if (text !== undefined) return { text };
  }
  return { error: `failed complete: failed to read config file "${path}": open ${path}: no such file or directory` };
}

/** The sysctls kube-proxy sets at start (conntrack for both modes; route_localnet or IPVS's own). */
function setSysctls(stack: NetStack, c: ProxyConfig): void {
  ensureSysctl(stack, "net.netfilter.nf_conntrack_max", String(Math.max(c.conntrack.maxPerCore * CPUS, c.conntrack.min)));
  ensureSysctl(stack, "net.netfilter.nf_conntrack_tcp_timeout_established", String(c.conntrack.tcpEstablishedS));
  ensureSysctl(stack, "net.netfilter.nf_conntrack_tcp_timeout_close_wait", String(c.conntrack.tcpCloseWaitS));
  if (c.conntrack.tcpBeLiberal) ensureSysctl(stack, "net.netfilter.nf_conntrack_tcp_be_liberal", "1");
  if (c.mode === "iptables") {
    // NodePorts on 127.0.0.1 need it (issue 90259's hole, closed by KUBE-FIREWALL).
    if (c.localhostNodePorts) ensureSysctl(stack, "net.ipv4.conf.all.route_localnet", "1");
    return;
  }
  ensureSysctl(stack, "net.ipv4.vs.conntrack", "1");
  ensureSysctl(stack, "net.ipv4.vs.expire_nodest_conn", "1");
  ensureSysctl(stack, "net.ipv4.vs.expire_quiescent_template", "1");
  ensureSysctl(stack, "net.ipv4.ip_forward", "1");
  if (c.strictARP) {
    ensureSysctl(stack, "net.ipv4.conf.all.arp_ignore", "1");
    ensureSysctl(stack, "net.ipv4.conf.all.arp_announce", "2");
  }
  const t = c.ipvsTimeouts;
  if (t.tcp) stack.ipvs.timeouts.tcp = t.tcp;
  if (t.tcpFin) stack.ipvs.timeouts.tcpFin = t.tcpFin;
  if (t.udp) stack.ipvs.timeouts.udp = t.udp;
}

/**
 * conntrack.CleanStaleEntries: UDP flows to a service address (or NodePort) whose reply does
 * not come from a serving endpoint are deleted, so a client's next datagram is NATed afresh.
 */
function cleanStaleUdpFlows(stack: NetStack, services: readonly ServicePortInfo[], endpoints: ReadonlyMap<string, readonly EndpointInfo[]>): void {
  const byIP = new Map<number, Set<number>>();
  const byNodePort = new Map<number, Set<number>>();
  for (const svc of services) {
    if (svc.protocol !== "udp") continue;
    const serving = new Set((endpoints.get(portKey(svc.name, svc.protocol)) ?? []).filter((e) => e.serving).map((e) => e.ip));
    for (const ip of [svc.clusterIP, ...svc.loadBalancerVIPs, ...svc.externalIPs]) byIP.set(ip, serving);
    if (svc.nodePort !== 0) byNodePort.set(svc.nodePort, serving);
  }
  const table = stack.conntrack;
  table.entries = table.entries.filter((e) => {
    if (e.protocol !== "udp") return true;
    const viaIP = byIP.get(e.original.dst);
    if (viaIP && !viaIP.has(e.reply.src)) return false;
    const viaPort = byNodePort.get(e.original.dport);
    return !(viaPort && !viaPort.has(e.reply.src));
  });
}
