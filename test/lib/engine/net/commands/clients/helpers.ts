// A three-node cluster with nginx pods behind a Service, a NodePort and a client pod, for the
// client tools' tests: run lines as a learner would and read what the tools print.
import { createCluster } from "@/lib/engine";

export const MANIFESTS = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
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
metadata: { name: web-local }
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: { app: web }
  ports: [{ port: 80, nodePort: 30081 }]
---
apiVersion: v1
kind: Pod
metadata: { name: client }
spec:
  nodeName: node01
  containers: [{ name: c, image: curlimages/curl, command: [sleep, "3600"] }]
---
apiVersion: v1
kind: Pod
metadata: { name: bb }
spec:
  nodeName: node01
  containers: [{ name: c, image: busybox, command: [sleep, "3600"] }]
---
apiVersion: v1
kind: Pod
metadata: { name: whoami }
spec:
  nodeName: node02
  containers: [{ name: w, image: traefik/whoami }]
---
apiVersion: v1
kind: Pod
metadata: { name: echo }
spec:
  nodeName: node02
  containers: [{ name: e, image: hashicorp/http-echo, args: ["-text=hello from echo"] }]
---
apiVersion: v1
kind: Pod
metadata: { name: netexec }
spec:
  nodeName: node02
  containers: [{ name: n, image: "registry.k8s.io/e2e-test-images/agnhost:2.53", args: [netexec, "--http-port=8080"] }]
`;

export async function lab(cni: "flannel" | "calico" = "flannel", seed = 5) {
  const cluster = createCluster({
    spec: { base: cni === "flannel" ? "three-node-flannel" : "three-node-calico", name: `clients-${cni}`, manifests: MANIFESTS },
    seed,
  });
  const sh = cluster.shell();
  await sh.run("sleep 30");
  const run = async (line: string) => {
    const r = await sh.run(line);
    return { ...r, text: r.stdout + r.stderr };
  };
  /** A pod's IP, from the API. */
  const podIP = async (name: string) => (await sh.run(`kubectl get pod ${name} -o jsonpath={.status.podIP}`)).stdout.trim();
  const svcIP = async (name: string) => (await sh.run(`kubectl get svc ${name} -o jsonpath={.spec.clusterIP}`)).stdout.trim();
  /** Pods of the web Deployment with their nodes. */
  const webPods = async () => (await sh.run("kubectl get pods -l app=web -o jsonpath='{range .items[*]}{.metadata.name} {.status.podIP} {.spec.nodeName}{\"\\n\"}{end}'")).stdout.trim().split("\n").map((l) => {
    const [name, ip, node] = l.split(" ");
    return { name, ip, node };
  });
  return { cluster, sh, run, podIP, svcIP, webPods };
}
