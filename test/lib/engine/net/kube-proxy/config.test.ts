// kube-proxy's configuration file as kubeadm writes it, with v1.32's defaults for the zero
// values, the local-traffic detector it implies, and the errors that stop kube-proxy.
import { describe, expect, it } from "vitest";
import { kubeProxyManifests } from "@/lib/engine/addons/kube-proxy";
import { ifLocal, ifNotLocal, localDetector, nodePortAddressMatches, parseGoDuration, parseProxyConfig, type ProxyConfig } from "@/lib/engine/net/kube-proxy/config";
import { parseIP } from "@/lib/engine/util/ipv4";
import { parseAllDocuments } from "yaml";

/** config.conf from the kube-proxy ConfigMap kubeadm installs. */
function kubeadmConfig(mode: "iptables" | "ipvs"): string {
  const docs = parseAllDocuments(kubeProxyManifests({ version: "v1.32.4", mode, podCidr: "10.244.0.0/16", apiServer: "172.30.1.2" })).map((d) => d.toJS());
  return docs.find((d) => d.kind === "ConfigMap").data["config.conf"];
}

function ok(text: string): Readonly<ProxyConfig> {
  const c = parseProxyConfig(text);
  if ("error" in c) throw new Error(c.error);
  return c;
}

describe("kube-proxy configuration", () => {
  it("reads kubeadm's file with v1.32's defaults", () => {
    const c = ok(kubeadmConfig("iptables"));
    expect(c).toMatchObject({
      mode: "iptables", clusterCIDR: "10.244.0.0/16", masqueradeAll: false, masqueradeMark: "0x00004000", localhostNodePorts: true,
      nodePortAddresses: [], iptablesMinSyncMs: 1000, iptablesSyncMs: 30_000, ipvsScheduler: "", ipvsMinSyncMs: 0, ipvsSyncMs: 30_000,
      conntrack: { maxPerCore: 32768, min: 131072, tcpEstablishedS: 86400, tcpCloseWaitS: 3600, tcpBeLiberal: false },
    });
    expect(ok(kubeadmConfig("ipvs")).mode).toBe("ipvs");
    expect(ok("").mode).toBe("iptables");
  });

  it("derives the mark from masqueradeBit and turns localhost NodePorts off when the addresses leave loopback out", () => {
    expect(ok("iptables:\n  masqueradeBit: 15\n").masqueradeMark).toBe("0x00008000");
    expect(ok("nodePortAddresses: [primary]\n").localhostNodePorts).toBe(false);
    expect(ok("nodePortAddresses: [127.0.0.0/8]\n").localhostNodePorts).toBe(true);
    expect(ok("iptables:\n  localhostNodePorts: false\n").localhostNodePorts).toBe(false);
  });

  it("matches node addresses against nodePortAddresses", () => {
    const node = parseIP("172.30.1.3")!;
    expect(nodePortAddressMatches([], parseIP("10.244.1.1")!, node)).toBe(true);
    expect(nodePortAddressMatches(["primary"], node, node)).toBe(true);
    expect(nodePortAddressMatches(["primary"], parseIP("10.244.1.1")!, node)).toBe(false);
    expect(nodePortAddressMatches(["172.30.1.0/24"], node, -1)).toBe(true);
  });

  it("tells pod traffic by the cluster CIDR (the default), the node's podCIDR, or an interface", () => {
    const c = ok(kubeadmConfig("iptables"));
    const byCluster = localDetector(c, "10.244.1.0/24");
    expect([ifLocal(byCluster), ifNotLocal(byCluster)]).toEqual([["-s", "10.244.0.0/16"], ["!", "-s", "10.244.0.0/16"]]);
    expect(ifNotLocal(localDetector(ok("detectLocalMode: NodeCIDR\n"), "10.244.1.0/24"))).toEqual(["!", "-s", "10.244.1.0/24"]);
    expect(ifLocal(localDetector(ok("detectLocalMode: InterfaceNamePrefix\ndetectLocal:\n  interfaceNamePrefix: cali\n"), undefined))).toEqual(["-i", "cali+"]);
    expect(ifLocal(localDetector(ok("detectLocalMode: BridgeInterface\ndetectLocal:\n  bridgeInterface: cni0\n"), undefined))).toEqual(["-i", "cni0"]);
    // ClusterCIDR without a cluster CIDR: nothing is told apart.
    expect(localDetector(ok("clusterCIDR: \"\"\n"), undefined)).toEqual({ mode: "none" });
  });

  it("refuses what kube-proxy refuses, in its words", () => {
    expect(parseProxyConfig('mode: "userspace"\n')).toEqual({ error: 'failed validate: KubeProxyConfiguration.Mode: Invalid value: "userspace": must be iptables, ipvs, nftables or blank (blank means the best-available proxy [currently iptables])' });
    expect(parseProxyConfig("clusterCIDR: 10.244.0.0/33\n")).toEqual({ error: 'failed validate: KubeProxyConfiguration.ClusterCIDR: Invalid value: "10.244.0.0/33": must be a valid CIDR block (e.g. 10.100.0.0/16 or fde4:8dba:82e1::/48)' });
    expect(parseProxyConfig("nodePortAddresses: [primary, nope]\n")).toEqual({ error: 'failed validate: KubeProxyConfiguration.NodePortAddresses[1]: Invalid value: "nope": must be a valid CIDR' });
    expect(parseProxyConfig("iptables:\n  syncPeriod: 30 seconds\n")).toEqual({ error: 'failed complete: time: invalid duration "30 seconds" (iptables.syncPeriod)' });
    expect("error" in parseProxyConfig("mode: [")).toBe(true);
  });

  it("parses Go durations", () => {
    expect([parseGoDuration("0s"), parseGoDuration("1m30s"), parseGoDuration("1.5h"), parseGoDuration("250ms"), parseGoDuration("10")]).toEqual([0, 90_000, 5_400_000, 250, undefined]);
  });
});
