// A meshed cluster for the mesh tests: Calico on three nodes with istiod installed (the add-on),
// the `demo` namespace labelled for injection with a whoami server (web) and a curl client
// (sleep, its own service account) on node02 and node01, and a `legacy` namespace without the
// label whose client (on node02) stays outside the mesh. Every test forks the one boot.
import { createCluster, type CreateClusterOptions } from "@/lib/engine";

export const MESH_SPEC: CreateClusterOptions["spec"] = {
  base: "three-node-calico",
  addons: ["coredns", "istio"],
  manifests: `
apiVersion: v1
kind: Namespace
metadata: { name: demo, labels: { istio-injection: enabled } }
---
apiVersion: v1
kind: Namespace
metadata: { name: legacy }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: sleep, namespace: demo }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: demo }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      nodeSelector: { kubernetes.io/hostname: node02 }
      containers:
      - { name: whoami, image: traefik/whoami:v1.10, ports: [{ containerPort: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: demo }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 80 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: sleep, namespace: demo }
spec:
  replicas: 1
  selector: { matchLabels: { app: sleep } }
  template:
    metadata: { labels: { app: sleep } }
    spec:
      serviceAccountName: sleep
      nodeSelector: { kubernetes.io/hostname: node01 }
      containers:
      - { name: curl, image: curlimages/curl:8.11.1, command: ["sleep", "infinity"] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: sleep, namespace: legacy }
spec:
  replicas: 1
  selector: { matchLabels: { app: sleep } }
  template:
    metadata: { labels: { app: sleep } }
    spec:
      nodeSelector: { kubernetes.io/hostname: node02 }
      containers:
      - { name: curl, image: curlimages/curl:8.11.1, command: ["sleep", "infinity"] }
`,
};

/** A fork of the meshed cluster and a root shell on the control plane that can write files. */
export function meshed(seed = 11) {
  const cluster = createCluster({ spec: MESH_SPEC, seed });
  const sh = cluster.shell();
  const apply = async (yaml: string) => {
    const r = await sh.run(`kubectl apply -f - <<'EOF'\n${yaml}\nEOF`);
    if (r.exitCode !== 0) throw new Error(r.stderr);
    return r;
  };
  /** curl from a namespace's sleep pod. */
  const curlFrom = (ns: string, args: string) => sh.run(`kubectl exec -n ${ns} deploy/sleep -c curl -- curl ${args}`);
  return { cluster, sh, apply, curlFrom };
}
