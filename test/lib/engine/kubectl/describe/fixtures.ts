/**
 * Objects for the describe tests, created through the store as controllers and kubelets would
 * leave them: a pod in several lifecycle states, a Service with its Endpoints, a Node with its
 * lease and pods, a Deployment with its ReplicaSet, and events about them.
 */
import type { KubeObject, ObjectStore, Pod, Stored } from "@/lib/engine/api";
import type { VirtualClock } from "@/lib/engine/util/clock";
import { newCluster } from "../../api/helpers";

export { newCluster };

/** A pod on node-1 with one nginx container (status set later by the caller). */
export function createPod(store: ObjectStore, name: string, extra: Partial<Pod["spec"]> = {}, labels: Record<string, string> = { app: name }): Stored<Pod> {
  return store.create<Pod>({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", labels },
    spec: { containers: [{ name: "nginx", image: "nginx:1.27", ports: [{ containerPort: 80 }] }], nodeName: "node-1", ...extra },
  });
}

/** Replaces a pod's status as the kubelet would. */
export function setStatus(store: ObjectStore, pod: Stored<Pod>, status: Pod["status"]): Stored<Pod> {
  return store.updateStatus<Pod>({ ...(store.get<Pod>("Pod", "default", pod.metadata.name) as Pod), status });
}

/** Records an event about `obj` the way the event recorder does (count and first/last timestamps). */
export function recordEvent(
  store: ObjectStore,
  clock: VirtualClock,
  obj: Stored<KubeObject>,
  e: { reason: string; message: string; from: string; type?: string; count?: number; firstAgo?: number; uid?: string },
): void {
  const now = clock.now();
  store.create({
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${obj.metadata.name}.${e.reason.toLowerCase()}`, namespace: obj.metadata.namespace ?? "default" },
    // Node events live in "default" with no involvedObject namespace; kubelet uses the node name as uid.
    involvedObject: { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, uid: e.uid ?? obj.metadata.uid, apiVersion: obj.apiVersion },
    reason: e.reason,
    message: e.message,
    source: { component: e.from },
    firstTimestamp: clock.rfc3339(now - (e.firstAgo ?? 0)),
    lastTimestamp: clock.rfc3339(now),
    count: e.count ?? 1,
    type: e.type ?? "Normal",
  });
}
