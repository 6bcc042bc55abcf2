// DNS figures for `npm run bench` (issue 7's budget: a DNS query ≤ 0.5 ms). A pod on node01 of
// three-node-calico with 1,000 ClusterIP Services × 5 endpoints asks CoreDNS (10.96.0.10) for a
// Service's A record: the datagram walked through kube-proxy's DNAT to a CoreDNS pod, the
// kubernetes plugin's answer from the API objects, the reply walked back. Also the answer alone
// (no packets), and a search-list lookup as curl in a pod does it (first domain hits).
import { createCluster } from "../lib/engine";
import type { Pod } from "../lib/engine/api";
import { exchangeQuery, kubernetesAnswer, lookupHost, parseCorefile, query } from "../lib/engine/net/dns";
import { formatIP } from "../lib/engine/util/ipv4";
import { createServices, type Figure, median } from "./fixtures";

const SERVICES = 1_000;
/** Queries before timing: a path through a few hundred functions needs this many for V8 to optimise it. */
const WARMUP = 500;
const NAMESPACES = 20;


export function dnsFigures(): Figure[] {
  const handle = createCluster({ scenario: "three-node-calico", seed: 11 });
  const cluster = handle.internals;
  const store = cluster.store;
  createServices(store, {
    services: SERVICES, namespaces: NAMESPACES, prefix: "team-",
    endpoint: (n) => ({ address: `192.168.${1 + (n % 2)}.${2 + ((n >> 1) % 250)}`, nodeName: n % 2 === 0 ? "node01" : "node02" }),
  });
  // The namespace's default ServiceAccount first (the admission a pod needs), then the pod.
  cluster.advance(2_000);
  store.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "client", namespace: "team-0" }, spec: { nodeName: "node01", containers: [{ name: "c", image: "busybox", command: ["sleep", "3600"] }] } }, { namespace: "team-0" });
  cluster.advance(30_000);
  const podIP = store.find<Pod>("Pod", "team-0", "client")?.status?.podIP;
  const stack = [...cluster.network.all()].find((s) => s.name && [...s.links.values()].some((l) => l.addrs.some((a) => formatIP(a.ip) === podIP)));
  if (!stack) throw new Error("the client pod has no network namespace");
  const fs = { isFile: (p: string) => p === "/etc/resolv.conf", readFile: () => "search team-0.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n" } as never;
  const env = { fs, network: cluster.network, stack, now: cluster.clock.now() };
  const name = "svc-500.team-0.svc.cluster.local";
  const first = exchangeQuery(env, "10.96.0.10", query(1, name, "A"));
  if (first.response?.answer[0]?.type !== "A") throw new Error(`no answer for ${name}: ${first.outcome.kind}`);
  const plugin = (parseCorefile(".:53 {\n kubernetes cluster.local in-addr.arpa ip6.arpa {\n  pods insecure\n  ttl 30\n }\n}\n") as Exclude<ReturnType<typeof parseCorefile>, { error: string }>).blocks[0].kubernetes!;
  return [
    { name: `DNS query A through the packet path (${SERVICES.toLocaleString("en")} Services)`, ms: median(() => exchangeQuery(env, "10.96.0.10", query(2, name, "A")), 1000, WARMUP), budgetMs: 0.5, note: "UDP to 10.96.0.10 → DNAT → CoreDNS pod → answer → reply (steady state, after the JIT has warmed up)" },
    { name: "DNS answer alone (kubernetes plugin)", ms: median(() => kubernetesAnswer(store, plugin, { name: `${name}.`, type: "A" }), 1000, 100), note: "no packets: the API lookup" },
    { name: "getaddrinfo-style lookup `svc-20` from a pod (search list)", ms: median(() => lookupHost(env, "svc-20", "A", "glibc"), 1000, WARMUP), note: "svc-20 lives in team-0: the first search domain answers" },
  ];
}
