// The iptables proxier's restore payload against upstream's own expectations: chain names and
// probabilities from pkg/proxy/iptables, and TestOverallIPTablesRules' expected dump (v1.32,
// with nfacct), compared after the same normalising sort upstream's test applies.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { EndpointSlice, Service } from "@/lib/engine/api";
import { portProtoHash, probability, servicePortChainName, servicePortEndpointChainName } from "@/lib/engine/net/kube-proxy/chain-names";
import { iptablesRestoreText, type IptablesOptions } from "@/lib/engine/net/kube-proxy/iptables-rules";
import { endpointsByServicePort, servicePorts } from "@/lib/engine/net/kube-proxy/service-ports";
import { parseIP } from "@/lib/engine/util/ipv4";

const OVERALL = readFileSync("test/fixtures/kube-proxy/overall-iptables-rules.txt", "utf8");

/** Upstream's NewFakeProxier: pod CIDR 10.0.0.0/8, node 192.168.0.2 "test-node", mark 0x4000, nfacct on. */
const FAKE: IptablesOptions = {
  masqueradeAll: false, masqueradeMark: "0x4000", localhostNodePorts: true, conntrackTCPLiberal: false, nfacct: true, randomFully: false,
  detector: { mode: "ClusterCIDR", cidr: "10.0.0.0/8" }, nodeIP: parseIP("192.168.0.2")!,
};

function service(ns: string, name: string, spec: Partial<Service["spec"]>, status?: Service["status"]): Service {
  return { apiVersion: "v1", kind: "Service", metadata: { namespace: ns, name }, spec: { ports: [], ...spec }, status };
}

function slice(ns: string, svc: string, endpoints: { ip: string; node?: string; ready?: boolean; serving?: boolean; terminating?: boolean }[], port = 80, portName = "p80"): EndpointSlice {
  return {
    apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", addressType: "IPv4",
    metadata: { namespace: ns, name: `${svc}-1`, labels: { "kubernetes.io/service-name": svc } },
    ports: [{ name: portName, port, protocol: "TCP" }],
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip], nodeName: e.node,
      conditions: e.ready === undefined ? undefined : { ready: e.ready, serving: e.serving, terminating: e.terminating },
    })),
  };
}

/** TestOverallIPTablesRules' services and endpoints. */
const SERVICES: Service[] = [
  service("ns1", "svc1", { clusterIP: "172.30.0.41", ports: [{ name: "p80", port: 80, protocol: "TCP" }] }),
  service("ns2", "svc2", {
    type: "LoadBalancer", externalTrafficPolicy: "Local", clusterIP: "172.30.0.42", externalIPs: ["192.168.99.22"], healthCheckNodePort: 30000,
    ports: [{ name: "p80", port: 80, protocol: "TCP", nodePort: 3001 }],
  }, { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } }),
  service("ns3", "svc3", { type: "NodePort", clusterIP: "172.30.0.43", ports: [{ name: "p80", port: 80, protocol: "TCP", nodePort: 3003 }] }),
  service("ns4", "svc4", { type: "NodePort", clusterIP: "172.30.0.44", externalIPs: ["192.168.99.33"], ports: [{ name: "p80", port: 80, protocol: "TCP", targetPort: 80 }] }),
  service("ns5", "svc5", {
    type: "LoadBalancer", externalTrafficPolicy: "Cluster", clusterIP: "172.30.0.45", healthCheckNodePort: 30000,
    loadBalancerSourceRanges: [" 203.0.113.0/25"], sessionAffinity: "ClientIP", sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
    ports: [{ name: "p80", port: 80, protocol: "TCP", nodePort: 3002 }],
  }, { loadBalancer: { ingress: [{ ip: "5.6.7.8" }] } }),
  service("ns6", "svc6", { type: "ClusterIP", clusterIP: "172.30.0.46", ports: [{ name: "p80", port: 80, protocol: "TCP", targetPort: 80 }] }),
];
const SLICES: EndpointSlice[] = [
  slice("ns1", "svc1", [{ ip: "10.180.0.1" }]),
  slice("ns2", "svc2", [{ ip: "10.180.0.2" }]),
  slice("ns3", "svc3", [{ ip: "10.180.0.3" }]),
  slice("ns4", "svc4", [{ ip: "10.180.0.4" }, { ip: "10.180.0.5", node: "test-node" }]),
  slice("ns5", "svc5", [{ ip: "10.180.0.3" }]),
];

/** Upstream's sortIPTablesRules: tables by name; KUBE-NODEPORTS, KUBE-SERVICES, then chains by name; their rules by service. */
function sortDump(text: string): string {
  const out: string[] = [];
  const tables = text.trim().split(/^COMMIT$/m).map((t) => t.trim()).filter(Boolean).sort();
  const serviceOf = (rule: string) => /--comment (?:"([^ :"]*)|([^ :]*))/.exec(rule)?.slice(1).find((x) => x !== undefined) ?? "";
  for (const table of tables) {
    const lines = table.split("\n");
    const chains = lines.filter((l) => l.startsWith(":")).map((l) => l.slice(1).split(" ")[0]);
    const rank = (c: string) => (c === "KUBE-NODEPORTS" ? 0 : c === "KUBE-SERVICES" ? 1 : c.startsWith("KUBE-") ? 2 : 3);
    chains.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
    out.push(lines[0], ...chains.map((c) => `:${c} - [0:0]`));
    for (const chain of chains) {
      const rules = lines.filter((l) => l.startsWith(`-A ${chain} `));
      if (chain === "KUBE-NODEPORTS" || chain === "KUBE-SERVICES") {
        const last = rules.filter((r) => r.includes("must be the last rule"));
        const rest = rules.filter((r) => !r.includes("must be the last rule"));
        rules.splice(0, rules.length, ...rest.map((r, i) => [r, i] as const).sort((a, b) => (serviceOf(a[0]) < serviceOf(b[0]) ? -1 : serviceOf(a[0]) > serviceOf(b[0]) ? 1 : a[1] - b[1])).map(([r]) => r), ...last);
      }
      out.push(...rules);
    }
    out.push("COMMIT");
  }
  return out.join("\n") + "\n";
}

function generate(options: IptablesOptions = FAKE, services = SERVICES, slices = SLICES) {
  return iptablesRestoreText({ options, services: servicePorts(services), endpoints: endpointsByServicePort(slices, "test-node") });
}

describe("kube-proxy chain names", () => {
  it("hash service port names and endpoints exactly as upstream", () => {
    expect(servicePortChainName("ns1/svc1:p80", "tcp")).toBe("KUBE-SVC-XPGD46QRK7WJZT7O");
    expect(portProtoHash("ns2/svc2:p80", "tcp")).toBe("GNZBNJ2PO5MGZ6GT");
    expect(portProtoHash("ns5/svc5:p80", "tcp")).toBe("NUKIZ6OKUXPJNT4C");
    expect(servicePortEndpointChainName("ns1/svc1:p80", "tcp", "10.180.0.1:80")).toBe("KUBE-SEP-SXIVWICOYRO3J4NJ");
    expect(servicePortEndpointChainName("ns4/svc4:p80", "tcp", "10.180.0.5:80")).toBe("KUBE-SEP-C6EBXVWJJZMIWKLZ");
    expect(servicePortEndpointChainName("ns5/svc5:p80", "tcp", "10.180.0.3:80")).toBe("KUBE-SEP-I77PXRDZVX7PMWMN");
    // The protocol is part of the name: the UDP twin of a port gets other chains.
    expect(servicePortChainName("ns1/svc1:p80", "udp")).not.toBe("KUBE-SVC-XPGD46QRK7WJZT7O");
  });

  it("prints probabilities as Go's %0.10f, rounding the one exact tie to even", () => {
    expect([2, 3, 4, 5, 6, 7, 1000].map(probability)).toEqual(["0.5000000000", "0.3333333333", "0.2500000000", "0.2000000000", "0.1666666667", "0.1428571429", "0.0010000000"]);
    expect(probability(2048)).toBe("0.0004882812");
    expect(probability(4096)).toBe("0.0002441406");
  });
});

describe("iptables restore payload", () => {
  it("is TestOverallIPTablesRules' expected dump", () => {
    expect(sortDump(generate().text)).toBe(sortDump(OVERALL));
  });

  it("spreads endpoints 1/n, 1/(n-1), … in ip:port order, the last unconditional", () => {
    const svc = service("default", "web", { clusterIP: "10.96.0.50", ports: [{ port: 80, protocol: "TCP" }] });
    const eps = slice("default", "web", ["10.244.1.7", "10.244.2.3", "10.244.1.12", "10.244.2.10"].map((ip) => ({ ip })), 8080, "");
    const text = generate(FAKE, [svc], [{ ...eps, ports: [{ port: 8080, protocol: "TCP" }] }]).text;
    const svcChain = servicePortChainName("default/web", "tcp");
    const jumps = text.split("\n").filter((l) => l.startsWith(`-A ${svcChain} `) && l.includes("->"));
    expect(jumps.map((l) => `${/-> ([\d.:]+)/.exec(l)![1]} ${/--probability (\S+)/.exec(l)?.[1] ?? "-"}`)).toEqual([
      "10.244.1.12:8080 0.2500000000",
      "10.244.1.7:8080 0.3333333333",
      "10.244.2.10:8080 0.5000000000",
      "10.244.2.3:8080 -",
    ]);
  });

  it("rejects a service without endpoints in the filter table and writes no nat chains for it", () => {
    const text = generate(FAKE, [SERVICES[5]], []).text;
    expect(text).toContain('-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT');
    expect(text).not.toContain("KUBE-SVC-");
  });

  it("masquerades every ClusterIP connection with masqueradeAll, and none without a cluster CIDR", () => {
    const all = generate({ ...FAKE, masqueradeAll: true }, [SERVICES[0]]).text;
    expect(all).toContain('-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-MARK-MASQ');
    const none = generate({ ...FAKE, detector: { mode: "none" } }, [SERVICES[0]]).text;
    expect(none).not.toContain("cluster IP\" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s");
    expect(none).not.toMatch(/KUBE-SVC-XPGD46QRK7WJZT7O .*KUBE-MARK-MASQ/);
  });

  it("internalTrafficPolicy Local sends the ClusterIP to KUBE-SVL, or drops it on a node without local endpoints", () => {
    const svc = service("ns1", "svc1", { clusterIP: "172.30.0.41", internalTrafficPolicy: "Local", ports: [{ name: "p80", port: 80, protocol: "TCP" }] });
    const local = generate(FAKE, [svc], [slice("ns1", "svc1", [{ ip: "10.180.0.1", node: "test-node" }, { ip: "10.180.0.2", node: "other" }])]).text;
    expect(local).toContain('-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVL-XPGD46QRK7WJZT7O');
    expect(local).toContain('-A KUBE-SVL-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ');
    expect(local).not.toContain("10.180.0.2:80");
    const remote = generate(FAKE, [svc], [slice("ns1", "svc1", [{ ip: "10.180.0.2", node: "other" }])]).text;
    expect(remote).toContain('-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 has no local endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j DROP');
  });

  it("falls back to serving terminating endpoints when none is ready", () => {
    const text = generate(FAKE, [SERVICES[0]], [slice("ns1", "svc1", [{ ip: "10.180.0.1", ready: false, serving: true, terminating: true }, { ip: "10.180.0.9", ready: false, serving: false, terminating: true }])]).text;
    expect(text).toContain("-j DNAT --to-destination 10.180.0.1:80");
    expect(text).not.toContain("10.180.0.9");
  });

  it("drops per-endpoint comments in large cluster mode", () => {
    const eps = Array.from({ length: 1001 }, (_, i) => ({ ip: `10.1.${i >> 8}.${i & 255}` }));
    const text = generate(FAKE, [SERVICES[0]], [slice("ns1", "svc1", eps)]).text;
    expect(text).toMatch(/^-A KUBE-SVC-XPGD46QRK7WJZT7O -m statistic --mode random --probability 0.0009990010 -j KUBE-SEP-/m);
    expect(text).toMatch(/^-A KUBE-SEP-\w+ -s 10\.1\.0\.0 -j KUBE-MARK-MASQ$/m);
  });

  it("a partial sync leaves unchanged services' chains out and deletes stale ones", () => {
    const services = servicePorts(SERVICES.slice(0, 2));
    const endpoints = endpointsByServicePort(SLICES, "test-node");
    const out = iptablesRestoreText({ options: FAKE, services, endpoints, changed: new Set(), existingNatChains: ["KUBE-SVC-XPGD46QRK7WJZT7O", "KUBE-SEP-GONEGONEGONEGONE", "KUBE-MARK-MASQ"] });
    expect(out.text).toContain('-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP"');
    expect(out.text).not.toContain(":KUBE-SVC-XPGD46QRK7WJZT7O");
    expect(out.activeNatChains.has("KUBE-SVC-XPGD46QRK7WJZT7O")).toBe(true);
    expect(out.text).toContain(":KUBE-SEP-GONEGONEGONEGONE - [0:0]\n");
    expect(out.text).toContain("-X KUBE-SEP-GONEGONEGONEGONE\n");
    expect(out.text).not.toContain("-X KUBE-MARK-MASQ");
  });
});
