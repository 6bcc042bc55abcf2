// The connectivity matrix of issue 6: for each CNI backend and kube-proxy mode, the paths a
// learner meets — pod↔pod on one node and across nodes without NAT (the server sees the client
// pod's address), pod→Service, the client host → NodePort on every node, → LoadBalancer IP, and
// pod→internet with SNAT — walked packet by packet through the cluster's kernel state.
import { beforeAll, describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";
import type { NetStack } from "@/lib/engine/net";
import { connectTcp } from "@/lib/engine/net/walker";
import { formatIP, parseIP } from "@/lib/engine/util/ipv4";

const CASES: { cni: "flannel" | "calico"; backend: string; wireguard?: boolean; mode: "iptables" | "ipvs" }[] = [];
for (const mode of ["iptables", "ipvs"] as const) {
  for (const backend of ["vxlan", "host-gw"]) CASES.push({ cni: "flannel", backend, mode });
  for (const backend of ["ipip", "vxlan", "none"]) CASES.push({ cni: "calico", backend, mode });
}
CASES.push({ cni: "calico", backend: "none", wireguard: true, mode: "iptables" });

const MANIFESTS = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: nginx, image: nginx }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
---
apiVersion: v1
kind: Service
metadata: { name: web-np }
spec:
  type: NodePort
  selector: { app: web }
  ports: [{ port: 80, nodePort: 30080 }]
---
apiVersion: v1
kind: Service
metadata: { name: web-lb }
spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ port: 80 }]
---
apiVersion: v1
kind: Pod
metadata: { name: client }
spec:
  nodeName: node01
  containers: [{ name: sh, image: busybox, command: [sleep, "3600"] }]
`;

async function boot(c: (typeof CASES)[number]) {
  const podCidr = c.cni === "flannel" ? "10.244.0.0/16" : "192.168.0.0/16";
  const cluster = createCluster({
    spec: {
      base: "three-node-flannel",
      name: `${c.cni}-${c.backend}-${c.mode}`,
      network: { podCidr },
      cni: { plugin: c.cni, backend: c.backend as never, wireguard: c.wireguard ?? false },
      kubeProxy: { mode: c.mode },
      manifests: MANIFESTS,
    },
    seed: 3,
  });
  const sh = cluster.shell();
  await sh.run("sleep 30");
  const json = async (cmd: string) => JSON.parse((await sh.run(cmd)).stdout);
  const pods = (await json("kubectl get pods -o json")).items as { metadata: { name: string }; spec: { nodeName: string }; status: { podIP: string } }[];
  const client = pods.find((p) => p.metadata.name === "client")!;
  const network = cluster.internals.network;
  const from = podStack(cluster, client.status.podIP);
  const dial = (stack: NetStack, dst: string, port: number) => connectTcp(network, { from: stack, dst: parseIP(dst)!, dport: port, now: cluster.internals.clock.now(), request: 78, response: 853 });
  return {
    client,
    webs: pods.filter((p) => p.metadata.name.startsWith("web-")),
    from,
    outside: network.host("client")!,
    clusterIP: (await json("kubectl get svc web -o json")).spec.clusterIP as string,
    lbIP: (await json("kubectl get svc web-lb -o json")).status.loadBalancer.ingress[0].ip as string,
    dial,
  };
}

function podStack(cluster: ReturnType<typeof createCluster>, ip: string): NetStack {
  for (const s of cluster.internals.network.all()) {
    if (!s.name) continue;
    for (const l of s.links.values()) if (l.addrs.some((a) => formatIP(a.ip) === ip)) return s;
  }
  throw new Error(`no namespace holds ${ip}`);
}

describe.each(CASES)("$cni $backend (wireguard $wireguard), kube-proxy $mode", (c) => {
  let m: Awaited<ReturnType<typeof boot>>;
  beforeAll(async () => {
    m = await boot(c);
  }, 60_000);

  it("pod ↔ pod on the same node and across nodes, without NAT: the server sees the client pod", () => {
    expect(new Set(m.webs.map((w) => w.spec.nodeName)).size).toBeGreaterThan(1);
    for (const web of m.webs) {
      const r = m.dial(m.from, web.status.podIP, 80);
      expect([web.spec.nodeName, r.outcome]).toEqual([web.spec.nodeName, { kind: "connected" }]);
      expect(formatIP(r.server!.peer.ip)).toBe(m.client.status.podIP);
    }
  });

  it("pod → Service: DNAT to an endpoint, the answer from the Service's address", () => {
    const r = m.dial(m.from, m.clusterIP, 80);
    expect(r.outcome).toEqual({ kind: "connected" });
    expect(m.webs.map((w) => w.status.podIP)).toContain(formatIP(r.server!.ip));
  });

  it("client host → NodePort on every node", () => {
    for (const node of ["172.30.1.2", "172.30.1.3", "172.30.1.4"]) expect([node, m.dial(m.outside, node, 30080).outcome]).toEqual([node, { kind: "connected" }]);
  });

  it("client host → the LoadBalancer IP a node announces", () => {
    expect(m.dial(m.outside, m.lbIP, 80).outcome).toEqual({ kind: "connected" });
  });

  it("pod → internet, masqueraded by the node and by the gateway: example.com sees the gateway's uplink", () => {
    const r = m.dial(m.from, "93.184.215.14", 80);
    expect(r.outcome).toEqual({ kind: "connected" });
    expect(formatIP(r.server!.peer.ip)).toBe("198.51.100.2");
  });
});
