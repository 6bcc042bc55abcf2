// What the bench files share: the shape of a figure, and a cluster's worth of Services.
import type { ObjectStore } from "../lib/engine/api";

export interface Figure {
  name: string;
  ms: number;
  budgetMs?: number;
  note?: string;
}

export const ENDPOINTS_PER_SERVICE = 5;

/**
 * `services` ClusterIP Services (port 80 → 8080, named `http`) spread over `namespaces`
 * namespaces `<prefix>0…`, each with one EndpointSlice of 5 ready endpoints; `endpoint(n)` gives
 * the n-th endpoint's address and node.
 */
export function createServices(store: ObjectStore, options: { services: number; namespaces: number; prefix: string; endpoint: (n: number) => { address: string; nodeName: string } }): void {
  const { services, namespaces, prefix, endpoint } = options;
  for (let n = 0; n < namespaces; n++) store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: `${prefix}${n}` } });
  for (let i = 0; i < services; i++) {
    const namespace = `${prefix}${i % namespaces}`;
    const name = `svc-${i}`;
    store.create({ apiVersion: "v1", kind: "Service", metadata: { name, namespace }, spec: { ports: [{ name: "http", port: 80, targetPort: 8080 }] } }, { namespace });
    store.create({
      apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", addressType: "IPv4",
      metadata: { name: `${name}-abcde`, namespace, labels: { "kubernetes.io/service-name": name, "endpointslice.kubernetes.io/managed-by": "bench" } },
      ports: [{ name: "http", port: 8080, protocol: "TCP" }],
      endpoints: Array.from({ length: ENDPOINTS_PER_SERVICE }, (_, k) => {
        const at = endpoint(i * ENDPOINTS_PER_SERVICE + k);
        return { addresses: [at.address], conditions: { ready: true }, nodeName: at.nodeName };
      }),
    } as never, { namespace });
  }
}

/** Median ms of `fn` over `runs` timed runs, after `warmup` untimed ones. */
export function median(fn: () => void, runs: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
