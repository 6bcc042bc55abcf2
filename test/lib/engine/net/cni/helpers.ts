import { createCluster, type CreateClusterOptions } from "@/lib/engine";
import type { Pod } from "@/lib/engine/api";
import type { NetStack } from "@/lib/engine/net";
import { formatIP } from "@/lib/engine/util/ipv4";

/** A cluster of a scenario (name or spec) with a root shell on the control plane; `run` returns each line's combined output. */
export function lab(scenario: string | NonNullable<CreateClusterOptions["spec"]>, seed = 7) {
  const cluster = createCluster(typeof scenario === "string" ? { scenario, seed } : { spec: scenario, seed });
  const sh = cluster.shell();
  const run = async (...lines: string[]) => {
    let out = "";
    for (const line of lines) out += (await sh.run(line)).output;
    return out;
  };
  const network = cluster.internals.network;
  const pod = (name: string, namespace = "default") => cluster.internals.store.find<Pod>("Pod", namespace, name)!;
  /** The network namespace holding a pod's address. */
  const podStack = (name: string, namespace = "default"): NetStack => {
    const ip = pod(name, namespace).status!.podIP!;
    return [...network.all()].find((s) => s.name.startsWith("cni-") && [...s.links.values()].some((l) => l.addrs.some((a) => formatIP(a.ip) === ip)))!;
  };
  return { cluster, internals: cluster.internals, sh, run, network, pod, podStack };
}

/** A pod pinned to a node, as a manifest the shell can apply. */
export function podOn(name: string, node: string, image = "busybox:1.36"): string {
  return `cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  nodeName: ${node}
  containers:
  - name: c
    image: ${image}
    command: ["sleep", "3600"]
EOF`;
}
