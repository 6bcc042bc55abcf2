/**
 * `kubectl describe` as v1.32 prints it: one describer per kind (describe.go's layout, labels
 * padded by Go's tabwriter, events looked up by the object's uid and listed last), and
 * kubectl's generic describer for every other kind.
 *
 * @example
 * import { describeObject } from "@/lib/engine/kubectl/describe";
 * const text = describeObject(store, store.get("Pod", "default", "web"), { now: clock.now() });
 * // "Name:             web\nNamespace:        default\n…Events:\n  Type    Reason     Age   From …"
 */
import {
  ApiError, type ConfigMap, type DaemonSet, type Deployment, type EndpointSlice, type Endpoints, type Event, type Ingress, type IngressClass, type KubeObject, type Namespace, type NetworkPolicy, type Node,
  type ObjectStore, type PersistentVolume, type PersistentVolumeClaim, type Pod, type ReplicaSet, type ReplicationController, type Role,
  type RoleBinding, type Secret, type Service, type ServiceAccount, type StorageClass, type Stored,
} from "../../api";
import {
  describeConfigMap, describeNamespace, describePersistentVolume, describePersistentVolumeClaim, describeRole, describeRoleBinding,
  describeSecret, describeServiceAccount, describeStorageClass,
} from "./config";
import { type EventQuery, describeEvents, findEvents } from "./events";
import { describeGeneric } from "./generic";
import { describeEndpointSlice, describeEndpoints, describeIngress, describeIngressClass, describeNetworkPolicy, describeService } from "./network";
import { describeNode } from "./node";
import { describePod } from "./pod";
import { DescribeWriter } from "./writer";
import { describeDaemonSet, describeDeployment, describeReplicaSet, describeReplicationController } from "./workloads";

/** Options for {@link describeObject}. */
export interface DescribeOptions {
  /** Virtual epoch milliseconds ages are measured against. */
  now: number;
  /** `--show-events` (default true). */
  showEvents?: boolean;
}

type Describer = (w: DescribeWriter, store: ObjectStore, obj: Stored, now: number) => void;

/** Each kind's describer and how its events are found (`null`: the describer shows none). */
const DESCRIBERS: Record<string, { describe: Describer; events: EventQuery | null }> = {
  Pod: { describe: (w, _s, o, now) => describePod(w, o as Stored<Pod>, now), events: { kind: false } },
  Deployment: { describe: (w, s, o) => describeDeployment(w, s, o as Stored<Deployment>), events: {} },
  ReplicaSet: { describe: (w, s, o) => describeReplicaSet(w, s, o as Stored<ReplicaSet>), events: {} },
  ReplicationController: { describe: (w, s, o) => describeReplicationController(w, s, o as Stored<ReplicationController>), events: {} },
  DaemonSet: { describe: (w, s, o) => describeDaemonSet(w, s, o as Stored<DaemonSet>), events: {} },
  Node: { describe: (w, s, o, now) => describeNode(w, s, o as Stored<Node>, now), events: { uidIsName: true } },
  Service: { describe: (w, s, o) => describeService(w, s, o as Stored<Service>), events: {} },
  Endpoints: { describe: (w, _s, o) => describeEndpoints(w, o as Stored<Endpoints>), events: {} },
  EndpointSlice: { describe: (w, _s, o) => describeEndpointSlice(w, o as Stored<EndpointSlice>), events: {} },
  Ingress: { describe: (w, s, o) => describeIngress(w, s, o as Stored<Ingress>), events: {} },
  IngressClass: { describe: (w, _s, o) => describeIngressClass(w, o as Stored<IngressClass>), events: {} },
  NetworkPolicy: { describe: (w, _s, o) => describeNetworkPolicy(w, o as Stored<NetworkPolicy>), events: null },
  Namespace: { describe: (w, _s, o) => describeNamespace(w, o as Stored<Namespace>), events: null },
  ConfigMap: { describe: (w, _s, o) => describeConfigMap(w, o as Stored<ConfigMap>), events: {} },
  Secret: { describe: (w, _s, o) => describeSecret(w, o as Stored<Secret>), events: null },
  ServiceAccount: { describe: (w, _s, o) => describeServiceAccount(w, o as Stored<ServiceAccount>), events: {} },
  Role: { describe: (w, _s, o) => describeRole(w, o as Stored<Role>), events: null },
  ClusterRole: { describe: (w, _s, o) => describeRole(w, o as Stored<Role>), events: null },
  RoleBinding: { describe: (w, _s, o) => describeRoleBinding(w, o as Stored<RoleBinding>), events: null },
  ClusterRoleBinding: { describe: (w, _s, o) => describeRoleBinding(w, o as Stored<RoleBinding>), events: null },
  PersistentVolume: { describe: (w, _s, o, now) => describePersistentVolume(w, o as Stored<PersistentVolume>, now), events: {} },
  PersistentVolumeClaim: { describe: (w, s, o, now) => describePersistentVolumeClaim(w, s, o as Stored<PersistentVolumeClaim>, now), events: {} },
  StorageClass: { describe: (w, _s, o) => describeStorageClass(w, o as Stored<StorageClass>), events: {} },
};

/**
 * What `kubectl describe` prints for one object (including the trailing newline; kubectl
 * separates several objects with a blank line, which is the caller's to add).
 */
export function describeObject(store: ObjectStore, obj: Stored<KubeObject>, options: DescribeOptions): string {
  const w = new DescribeWriter();
  const entry = DESCRIBERS[obj.kind] ?? { describe: (w2: DescribeWriter, _s: ObjectStore, o: Stored) => describeGeneric(w2, o), events: {} };
  entry.describe(w, store, obj, options.now);
  if (entry.events && options.showEvents !== false) {
    const events = searchEvents(store, obj, entry.events);
    if (events) describeEvents(w, events, options.now);
  }
  return w.toString();
}

/** kubectl's `events, _ = searchEvents(…)`: a failed search (e.g. events forbidden) leaves the section out. */
function searchEvents(store: ObjectStore, obj: Stored<KubeObject>, query: EventQuery): Stored<Event>[] | null {
  try {
    return findEvents(store, obj, query);
  } catch (error) {
    if (error instanceof ApiError) return null;
    throw error;
  }
}
