// Packet-walker figures for `npm run bench`: one packet (a TCP SYN) walked from a pod on node01
// to a Service's ClusterIP through node01's kube-proxy state, with N ClusterIP Services × 5
// endpoints, in iptables and IPVS mode — the first packet of a connection, which meets the nat
// table's KUBE-SERVICES chain (or IPVS's table) in full. Issue 6's budget: ≤ 1 ms with 1,000
// Services, growing about linearly. Also a whole TCP exchange (handshake, request, response,
// close: ten packets) for scale.
import { createCluster } from "../lib/engine";
import type { Pod, Service } from "../lib/engine/api";
import type { NetStack } from "../lib/engine/net";
import { connectTcp, Walk } from "../lib/engine/net/walker";
import { ipv4, tcp, TCP_SYN } from "../lib/engine/net/walker/packet";
import { formatIP, parseIP } from "../lib/engine/util/ipv4";
import { createServices, type Figure, median } from "./fixtures";


const NAMESPACES = 20;

/** A cluster in `mode` with a client pod on node01 and `services` ClusterIP Services of 5 endpoints, kube-proxy synced. */
function clusterWith(mode: "iptables" | "ipvs", services: number) {
  const handle = createCluster({ spec: { base: "three-node-flannel", kubeProxy: { mode } }, seed: 11 });
  const cluster = handle.internals;
  const store = cluster.store;
  store.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "client", namespace: "default" }, spec: { nodeName: "node01", containers: [{ name: "c", image: "busybox", command: ["sleep", "3600"] }] } }, { namespace: "default" });
  createServices(store, {
    services, namespaces: NAMESPACES, prefix: "team-",
    endpoint: (n) => ({ address: `10.244.${1 + (n % 2)}.${2 + ((n >> 1) % 250)}`, nodeName: n % 2 === 0 ? "node01" : "node02" }),
  });
  cluster.advance(30_000);
  const pod = store.find<Pod>("Pod", "default", "client");
  const podIP = pod?.status?.podIP;
  if (!podIP) throw new Error("the client pod did not start");
  const client = [...cluster.network.all()].find((s) => s.name && [...s.links.values()].some((l) => l.addrs.some((a) => formatIP(a.ip) === podIP)));
  if (!client) throw new Error("no namespace for the client pod");
  const svc = store.find<Service>("Service", `team-${Math.floor(services / 2) % NAMESPACES}`, `svc-${Math.floor(services / 2)}`);
  return { cluster, client, vip: parseIP(svc!.spec.clusterIP!)! };
}


function firstPacket(setup: ReturnType<typeof clusterWith>): number {
  const { cluster, client, vip } = setup;
  let sport = 20000;
  return median(() => {
    const walk = new Walk(cluster.network, cluster.clock.now());
    const arrival = walk.send(client as NetStack, ipv4(0, vip, 64, tcp(sport++, 80, TCP_SYN, { seq: 1, win: 64240 })));
    if (arrival.kind === "error") throw new Error(`the SYN could not be sent: ${arrival.errno}`);
  }, 200, 20);
}

export function walkerFigures(): Figure[] {
  const figures: Figure[] = [];
  for (const mode of ["iptables", "ipvs"] as const) {
    const sizes = [100, 1000, 2000];
    const setups = sizes.map((n) => clusterWith(mode, n));
    const ms = setups.map(firstPacket);
    sizes.forEach((n, i) => {
      figures.push({
        name: `walk ${mode}: first packet to a ClusterIP, ${n.toLocaleString("en")} Services`,
        ms: ms[i],
        budgetMs: n === 1000 ? 1 : undefined,
        note: i > 0 ? `${(ms[i] / ms[i - 1]).toFixed(2)}× the ${sizes[i - 1].toLocaleString("en")} figure for ${(n / sizes[i - 1]).toFixed(1)}× the Services` : undefined,
      });
    });
    const { cluster, client, vip } = setups[1];
    const exchangeMs = median(() => connectTcp(cluster.network, { from: client as NetStack, dst: vip, dport: 80, now: cluster.clock.now(), request: 78, response: 853 }), 50, 5);
    figures.push({ name: `walk ${mode}: a whole TCP exchange to a ClusterIP, 1,000 Services`, ms: exchangeMs, note: "SYN, SYN-ACK, ACK, request, response and close: every packet walked" });
  }
  return figures;
}
