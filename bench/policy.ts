// NetworkPolicy figures for `npm run bench` (issue 7's budgets): reachability walked through
// Calico's Felix chains on three-node-calico, over upstream e2e's shape (namespaces x, y, z
// with pods a, b, c; a and c on node01, b on node02).
// - one pod pair (x/a → y/b:80, a TCP connection: handshake and close) with 500 policies that
//   all select y/b, so its cali-tw chain jumps through every one of them: ≤ 1 ms;
// - the whole 9 × 9 table (72 connections) with 50 policies: ≤ 50 ms.
// Also Felix's full render of 500 policies, and decide.ts's verdict for the same pair.
import { createCluster } from "../lib/engine";
import type { NetworkPolicy, Pod } from "../lib/engine/api";
import type { NetStack } from "../lib/engine/net";
import { decideConnection } from "../lib/engine/net/policy/decide";
import { podEndpoint, policyView } from "../lib/engine/net/policy/model";
import { connectTcp } from "../lib/engine/net/walker";
import { formatIP, parseIP } from "../lib/engine/util/ipv4";
import { median, type Figure } from "./fixtures";

const NAMESPACES = ["x", "y", "z"];
const PODS = ["a", "b", "c"];


/** `count` policies in y selecting pod b; each allows one client label no pod has, the last allows x/a. */
function policiesOnB(count: number): NetworkPolicy[] {
  return Array.from({ length: count }, (_, i): NetworkPolicy => ({
    apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy",
    metadata: { namespace: "y", name: `p-${String(i).padStart(3, "0")}` },
    spec: {
      podSelector: { matchLabels: { pod: "b" } },
      ingress: [{ from: [i === count - 1 ? { namespaceSelector: { matchLabels: { ns: "x" } }, podSelector: { matchLabels: { pod: "a" } } } : { podSelector: { matchLabels: { client: `c-${i}` } } }], ports: [{ port: 80 }] }],
    },
  }));
}

/** `count` policies spread over the three namespaces and pods, ingress and egress, a little of everything. */
function mixedPolicies(count: number): NetworkPolicy[] {
  return Array.from({ length: count }, (_, i) => {
    const ns = NAMESPACES[i % 3];
    const pod = PODS[(i >> 2) % 3];
    const peer = i % 2 === 0 ? { namespaceSelector: { matchLabels: { ns: NAMESPACES[(i + 1) % 3] } } } : { podSelector: { matchLabels: { pod: PODS[i % 3] } } };
    return {
      apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy",
      metadata: { namespace: ns, name: `mixed-${i}` },
      spec: i % 5 === 4
        ? { podSelector: { matchLabels: { pod } }, policyTypes: ["Egress"], egress: [{ to: [peer], ports: [{ port: 80 }, { port: 53, protocol: "UDP" }] }] }
        : { podSelector: { matchLabels: { pod } }, ingress: [{ from: [peer], ports: [{ port: i % 3 === 0 ? "serve-80-tcp" : 80 }] }] },
    } as NetworkPolicy;
  });
}

function matrix(policies: NetworkPolicy[]) {
  const handle = createCluster({ spec: { base: "three-node-calico", name: "bench-netpol" }, seed: 13 });
  const cluster = handle.internals;
  const store = cluster.store;
  for (const ns of NAMESPACES) store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { ns } } });
  cluster.advance(2_000);
  for (const ns of NAMESPACES) {
    for (const [i, pod] of PODS.entries()) {
      const containers = [80, 81].map((port) => ({ name: `cont-${port}-tcp`, image: "registry.k8s.io/e2e-test-images/agnhost:2.53", args: ["serve-hostname", `--port=${port}`], ports: [{ containerPort: port, name: `serve-${port}-tcp`, protocol: "TCP" }] }));
      store.create({ apiVersion: "v1", kind: "Pod", metadata: { name: pod, namespace: ns, labels: { pod } }, spec: { nodeName: i === 1 ? "node02" : "node01", containers } }, { namespace: ns });
    }
  }
  cluster.advance(40_000);
  const t0 = performance.now();
  for (const p of policies) store.create(p, { namespace: p.metadata.namespace });
  cluster.advance(1_000);
  const renderMs = performance.now() - t0;
  const pod = (ns: string, name: string) => store.find<Pod>("Pod", ns, name)!;
  const stackOf = (ns: string, name: string): NetStack => {
    const ip = pod(ns, name).status!.podIP!;
    return [...cluster.network.all()].find((s) => s.name.startsWith("cni-") && [...s.links.values()].some((l) => l.addrs.some((a) => formatIP(a.ip) === ip)))!;
  };
  const dial = (from: readonly [string, string], to: readonly [string, string]) =>
    connectTcp(cluster.network, { from: stackOf(...from), dst: parseIP(pod(...to).status!.podIP!)!, dport: 80, now: cluster.clock.now(), request: 0, response: 0 }).outcome.kind;
  return { cluster, pod, dial, renderMs };
}

export function policyFigures(): Figure[] {
  const figures: Figure[] = [];
  const big = matrix(policiesOnB(500));
  if (big.dial(["x", "a"], ["y", "b"]) !== "connected" || big.dial(["x", "c"], ["y", "b"]) !== "timeout") throw new Error("the 500 policies do not decide as meant");
  figures.push({ name: "netpol: reachability of one pod pair, 500 policies (x/a → y/b, connected)", ms: median(() => big.dial(["x", "a"], ["y", "b"]), 300, 300), budgetMs: 1, note: "a TCP handshake and close walked through cali-tw with 500 policy jumps" });
  figures.push({ name: "netpol: one pod pair, 500 policies, denied (x/c → y/b)", ms: median(() => big.dial(["x", "c"], ["y", "b"]), 300, 300), note: "the SYN walks all 500 policy chains and is dropped" });
  const view = policyView(big.cluster.store);
  const [client, server] = [podEndpoint(big.pod("x", "a")), podEndpoint(big.pod("y", "b"))];
  figures.push({ name: "netpol: decide.ts verdict, 500 policies", ms: median(() => decideConnection(view.policies, view.namespaceLabels, client, server, { port: 80, protocol: "TCP" }), 200, 20), note: "the API semantics alone (netlab explain's reasoning)" });
  figures.push({ name: "netpol: Felix renders 500 policies on 3 nodes (create + settle)", ms: big.renderMs, note: "once per change batch; untimed in the budgets" });

  const small = matrix(mixedPolicies(50));
  const all = NAMESPACES.flatMap((ns) => PODS.map((p) => [ns, p] as const));
  const table = () => {
    for (const c of all) for (const s of all) if (c !== s) small.dial(c, s);
  };
  figures.push({ name: "netpol: full 9 × 9 reachability table, 50 policies", ms: median(table, 15, 3), budgetMs: 50, note: "72 TCP connections walked through every node's chains" });
  return figures;
}
