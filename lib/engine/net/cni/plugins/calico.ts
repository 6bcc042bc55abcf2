/**
 * The Calico CNI plugins (projectcalico/calico v3.29, Kubernetes datastore). `calico-ipam`
 * assigns one address from the node's affine /26 blocks of the default pool under the handle
 * `k8s-pod-network.<container id>`. `calico` wires the pod with no bridge at all: a veth whose
 * host end is `cali` + 11 hex of sha1("<namespace>.<pod>") with MAC ee:ee:ee:ee:ee:ee,
 * proxy ARP on and no address, a /32 route to the pod through it, and in the pod `eth0` with
 * the /32 and a default route through 169.254.1.1, an address no host holds that the host end
 * answers ARP for. The plugin logs to the file its configuration names
 * (`/var/log/calico/cni/cni.log`) and annotates the pod (`cni.projectcalico.org/podIP`, …),
 * which is what makes it a WorkloadEndpoint.
 *
 * @example
 * calicoPlugin.add({ type: "calico", name: "k8s-pod-network", nodename: "node01", mtu: 0, ipam: { type: "calico-ipam" }, log_file_path: "/var/log/calico/cni/cni.log" }, inv, env);
 */
import { formatIP, parseIP } from "../../../util/ipv4";
import { utcParts } from "../../../node/format";
import { TABLE_MAIN } from "../../kernel/route";
import { POD_ANNOTATIONS } from "../calico/datastore";
import { removeRoutes, replaceRoute, setupVeth } from "../dataplane";
import { caliVethName, workloadEndpointName } from "../names";
import { cniArg, isError, type CniError, type CniResult, type Invocation, type NetConf, type Plugin, type PluginEnv } from "../types";

const NODENAME_FILE = "/var/lib/calico/nodename";
const MTU_FILE = "/var/lib/calico/mtu";
/** The host side of every Calico veth (so pods see one gateway MAC whatever their node). */
const CALI_HOST_MAC = "ee:ee:ee:ee:ee:ee";
/** The link-local next hop every Calico pod routes through; the host end answers ARP for it. */
const CALICO_GATEWAY = "169.254.1.1";

const handleOf = (inv: Invocation) => `k8s-pod-network.${inv.containerId}`;

/** `2026-01-12 08:53:01.123`: logrus as Calico's CNI plugin configures it. */
function logTime(ms: number): string {
  const t = utcParts(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${t.year}-${p(t.month + 1)}-${p(t.day)} ${p(t.hour)}:${p(t.minute)}:${p(t.second)}.${p(t.millis, 3)}`;
}

/** Appends lines to the plugin's log file, as `[INFO][pid] file line: message`. */
function log(conf: NetConf, env: PluginEnv, lines: readonly [string, string][]): void {
  const file = typeof conf.log_file_path === "string" ? conf.log_file_path : "/var/log/calico/cni/cni.log";
  const stamp = `${logTime(env.cni.now())} [INFO][${env.cni.pid(env.node)}]`;
  env.fs.mkdirp(file.slice(0, file.lastIndexOf("/")));
  env.fs.appendFile(file, lines.map(([where, text]) => `${stamp} ${where}: ${text}\n`).join(""));
}

/** The node name the plugin acts for: the configuration's, else the one calico-node wrote. */
function nodename(conf: NetConf, env: PluginEnv): string | CniError {
  if (!env.fs.isFile(NODENAME_FILE)) return { error: `stat ${NODENAME_FILE}: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/` };
  if (typeof conf.nodename === "string" && conf.nodename && !conf.nodename.startsWith("__")) return conf.nodename;
  return env.fs.readFile(NODENAME_FILE).trim();
}

export const calicoIpamPlugin: Plugin = {
  type: "calico-ipam",
  add(conf, inv, env): CniResult | CniError {
    const node = nodename(conf, env);
    if (typeof node !== "string") return node;
    const calico = env.cni.calico;
    const pool = calico.defaultPool();
    if (!pool) return { error: `no configured Calico pools for node ${node}` };
    const handle = handleOf(inv);
    const ip = calico.ipam.autoAssign(pool, { handle, host: node, attrs: { namespace: cniArg(inv, "K8S_POD_NAMESPACE") ?? "", node, pod: cniArg(inv, "K8S_POD_NAME") ?? "", timestamp: `${logTime(env.cni.now())}000000 +0000 UTC` } });
    if (ip === undefined) return { error: "failed to request 1 IPv4 addresses. IPAM allocated only 0" };
    const assigned = `${formatIP(ip)}/${pool.blockSize}`;
    const fields = `ContainerID="${inv.containerId}" HandleID="${handle}" Workload="${workloadEndpointName(node, "k8s", cniArg(inv, "K8S_POD_NAME") ?? "", inv.ifName)}"`;
    log(conf, env, [
      ["ipam/ipam_plugin.go 227", `Calico CNI IPAM request count IPv4=1 IPv6=0 ${fields}`],
      ["ipam/ipam.go 1216", `Successfully claimed IPs: [${assigned}] block=${formatIP(calico.ipam.blockOf(ip)!.cidr.base)}/${pool.blockSize} handle="${handle}" host="${node}"`],
      ["ipam/ipam_plugin.go 283", `Calico CNI IPAM assigned addresses IPv4=[${assigned}] IPv6=[] ${fields}`],
    ]);
    return { cniVersion: conf.cniVersion ?? "0.3.1", ips: [{ address: assigned }], dns: {} };
  },
  del(conf, inv, env) {
    const released = env.cni.calico.ipam.releaseByHandle(handleOf(inv));
    if (released.length > 0) log(conf, env, [["ipam/ipam_plugin.go 439", `Releasing address using handleID ContainerID="${inv.containerId}" HandleID="${handleOf(inv)}"`]]);
    return undefined;
  },
};

export const calicoPlugin: Plugin = {
  type: "calico",
  add(conf, inv, env): CniResult | CniError {
    const node = nodename(conf, env);
    if (typeof node !== "string") return node;
    const namespace = cniArg(inv, "K8S_POD_NAMESPACE") ?? "default";
    const pod = cniArg(inv, "K8S_POD_NAME") ?? "";
    if (!env.netns) return { error: `failed to Statfs "${inv.netns}": no such file or directory` };
    const ipamType = ((conf.ipam ?? {}) as { type?: string }).type ?? "calico-ipam";
    const ipam = env.cni.delegate(ipamType, conf, inv, env);
    if (isError(ipam) || !ipam) return ipam ?? { error: "IPAM plugin returned missing IP config" };
    const first = ipam.ips?.[0];
    if (!first) return { error: "IPAM plugin returned missing IP config" };
    const ip = parseIP(first.address.split("/")[0])!;
    const address = `${formatIP(ip)}/32`;
    const hostName = caliVethName(namespace, pod);
    const wep = workloadEndpointName(node, "k8s", pod, inv.ifName);
    const mtu = typeof conf.mtu === "number" && conf.mtu > 0 ? conf.mtu : env.fs.isFile(MTU_FILE) ? Number(env.fs.readFile(MTU_FILE).trim()) || 1500 : 1500;
    // A leftover interface of an earlier sandbox of the same pod goes first.
    const stale = env.host.link(hostName);
    if (stale) env.network.deleteLink(env.host, stale);
    const { host, container } = setupVeth(env.network, env.netns, env.host, inv.ifName, hostName, mtu, CALI_HOST_MAC);
    host.proxyArp = true;
    env.netns.addAddress(container, { ip, prefix: 32 });
    const gateway = parseIP(CALICO_GATEWAY)!;
    replaceRoute(env.netns, { dst: `${CALICO_GATEWAY}/32`, dev: container, scope: "link" });
    replaceRoute(env.netns, { dst: "0.0.0.0/0", dev: container, via: gateway });
    replaceRoute(env.host, { dst: address, dev: host, scope: "link" });
    env.cni.annotatePod(namespace, pod, { [POD_ANNOTATIONS.containerID]: inv.containerId, [POD_ANNOTATIONS.podIP]: address, [POD_ANNOTATIONS.podIPs]: address });
    const fields = `ContainerID="${inv.containerId}" Namespace="${namespace}" Pod="${pod}" WorkloadEndpoint="${wep}"`;
    log(conf, env, [
      ["cni-plugin/k8s.go 418", `Populated endpoint ${fields}`],
      ["cni-plugin/k8s.go 419", `Calico CNI using IPs: [${address}] ${fields}`],
      ["cni-plugin/dataplane_linux.go 69", `Setting the host side veth name to ${hostName} ${fields}`],
      ["cni-plugin/dataplane_linux.go 508", `Disabling IPv4 forwarding ${fields}`],
      ["cni-plugin/k8s.go 446", `Added Mac, interface name, and active container ID to endpoint ${fields}`],
      ["cni-plugin/k8s.go 532", `Wrote updated endpoint to datastore ${fields}`],
    ]);
    return { cniVersion: conf.cniVersion ?? "0.3.1", interfaces: [{ name: hostName }], ips: [{ address }], dns: {} };
  },
  del(conf, inv, env) {
    const namespace = cniArg(inv, "K8S_POD_NAMESPACE") ?? "default";
    const pod = cniArg(inv, "K8S_POD_NAME") ?? "";
    const ipamType = ((conf.ipam ?? {}) as { type?: string }).type ?? "calico-ipam";
    const addresses = env.cni.calico.ipam.addressesOf(handleOf(inv));
    const released = env.cni.delegate(ipamType, conf, inv, env);
    if (isError(released)) return released;
    const hostName = caliVethName(namespace, pod);
    const link = env.host.link(hostName);
    const owned = new Set(addresses);
    removeRoutes(env.host, (r) => r.table === TABLE_MAIN && r.dst.prefix === 32 && owned.has(r.dst.base));
    if (link) env.network.deleteLink(env.host, link);
    env.cni.clearPodAnnotations(namespace, pod, inv.containerId);
    log(conf, env, [["cni-plugin/k8s.go 606", `Cleaning up netns ContainerID="${inv.containerId}"`], ["cni-plugin/k8s.go 625", `Teardown processing complete. ContainerID="${inv.containerId}"`]]);
    return undefined;
  },
};
