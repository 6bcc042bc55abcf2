// The shape upstream's NetworkPolicy e2e suite uses, on a real cluster: namespaces x, y, z
// (labelled ns=x …; quoted in YAML, where a bare y is YAML 1.1's true) with pods a, b, c each serving TCP 80 and 81 (named serve-80-tcp and
// serve-81-tcp, agnhost serve-hostname), a on node01, b on node02, c on node01 — so the table
// has same-node and cross-node pairs. Reachability is walked packet by packet (connectTcp) from
// each client pod's namespace, and compared with decide.ts's table. A pod talking to itself
// never leaves its namespace (lo), where no policy applies: the diagonal is left out ("-").
import { createCluster, forkCluster, type ClusterHandle, type CreateClusterOptions } from "@/lib/engine";
import type { NetworkPolicy, Pod } from "@/lib/engine/api";
import type { NetStack } from "@/lib/engine/net";
import { decideConnection, type Traffic } from "@/lib/engine/net/policy/decide";
import { podEndpoint, policyView } from "@/lib/engine/net/policy/model";
import { connectTcp, sendUdp } from "@/lib/engine/net/walker";
import { formatIP, parseIP } from "@/lib/engine/util/ipv4";
import type { Shell } from "@/lib/engine";

export const NAMESPACES = ["x", "y", "z"];
export const PODS = ["a", "b", "c"];
const NODES: Record<string, string> = { a: "node01", b: "node02", c: "node01" };

const namespaces = () => NAMESPACES.map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: "${ns}"\n  labels: { ns: "${ns}" }`).join("\n---\n");

function pods(): string {
  const docs: string[] = [];
  for (const ns of NAMESPACES) {
    for (const pod of PODS) {
      const container = (port: number) => `  - name: cont-${port}-tcp\n    image: registry.k8s.io/e2e-test-images/agnhost:2.53\n    args: [serve-hostname, --port=${port}]\n    ports: [{ containerPort: ${port}, name: serve-${port}-tcp, protocol: TCP }]`;
      docs.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${pod}\n  namespace: "${ns}"\n  labels: { pod: "${pod}" }\nspec:\n  nodeName: ${NODES[pod]}\n  containers:\n${container(80)}\n${container(81)}`);
    }
  }
  return docs.join("\n---\n");
}

/** A booted cluster of `base` with the nine pods running; fork it per test. */
export async function bootMatrix(base: "three-node-calico" | "three-node-flannel") {
  const spec: NonNullable<CreateClusterOptions["spec"]> = { base, name: `${base}-netpol`, manifests: namespaces() } as never;
  const cluster = createCluster({ spec, seed: 5 });
  const sh = cluster.shell();
  await sh.run(`kubectl apply -f - <<'EOF'\n${pods()}\nEOF`);
  await sh.run("sleep 40");
  return { cluster, sh };
}

export interface Matrix {
  cluster: ClusterHandle;
  sh: Shell;
  run(line: string): Promise<string>;
  apply(...policies: NetworkPolicy[]): Promise<void>;
  /** The reachability table walked through the dataplane. */
  walked(traffic?: Traffic): string;
  /** The table decide.ts gives for the policies in the store. */
  decided(traffic?: Traffic): string;
  stackOf(namespace: string, pod: string): NetStack;
  podIP(namespace: string, pod: string): string;
}

export function fork(booted: { cluster: ClusterHandle; sh: Shell }): Matrix {
  const f = forkCluster(booted.cluster, booted.sh)!;
  const { cluster, shell: sh } = f;
  const internals = cluster.internals;
  const pod = (ns: string, name: string) => internals.store.find<Pod>("Pod", ns, name)!;
  const podIP = (ns: string, name: string) => pod(ns, name).status!.podIP!;
  const stackOf = (ns: string, name: string): NetStack => {
    const ip = podIP(ns, name);
    return [...internals.network.all()].find((s) => s.name.startsWith("cni-") && [...s.links.values()].some((l) => l.addrs.some((a) => formatIP(a.ip) === ip)))!;
  };
  const all = NAMESPACES.flatMap((ns) => PODS.map((p) => [ns, p] as const));
  const render = (cell: (c: readonly [string, string], s: readonly [string, string]) => boolean) => {
    const rows = [["-", ...all.map(([n, p]) => `${n}/${p}`)].join("\t")];
    for (const c of all) rows.push([`${c[0]}/${c[1]}`, ...all.map((s) => (c === s ? "-" : cell(c, s) ? "." : "X"))].join("\t"));
    return rows.join("\n");
  };
  const run = async (line: string) => (await sh.run(line)).output;
  return {
    cluster, sh, run, stackOf, podIP,
    async apply(...policies) {
      for (const p of policies) internals.store.create<NetworkPolicy>(p);
      await sh.run("sleep 1");
    },
    walked(traffic = { port: 80, protocol: "TCP" }) {
      return render((c, s) => {
        const init = { from: stackOf(...c), dst: parseIP(podIP(...s))!, dport: traffic.port, now: internals.clock.now() };
        if (traffic.protocol === "UDP") return sendUdp(internals.network, { ...init, payload: 10 }).outcome.kind === "refused";
        return connectTcp(internals.network, { ...init, request: 0, response: 0 }).outcome.kind === "connected";
      });
    },
    decided(traffic = { port: 80, protocol: "TCP" }) {
      const view = policyView(internals.store);
      return render((c, s) => decideConnection(view.policies, view.namespaceLabels, podEndpoint(pod(...c)), podEndpoint(pod(...s)), traffic).allowed);
    },
  };
}

/** The expected table from a predicate over `ns/pod` labels of client and server. */
export function expected(allowed: (from: string, to: string) => boolean): string {
  const all = NAMESPACES.flatMap((ns) => PODS.map((p) => `${ns}/${p}`));
  const rows = [["-", ...all].join("\t")];
  for (const c of all) rows.push([c, ...all.map((s) => (c === s ? "-" : allowed(c, s) ? "." : "X"))].join("\t"));
  return rows.join("\n");
}

export function policy(namespace: string, name: string, spec: NetworkPolicy["spec"]): NetworkPolicy {
  return { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { namespace, name }, spec };
}
