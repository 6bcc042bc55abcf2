/**
 * The ReplicaSet controller (`replicaset-controller`): keeps `spec.replicas` pods matching the
 * LabelSelector running, on the shared replica manager.
 *
 * @example
 * cluster.register(replicaSetController());
 * cluster.store.create(rs); // three pods web-7d4b9-x2x7k, … and `SuccessfulCreate` events
 */
import { type ReplicaSet, type Stored, labelSelectorAsSelector } from "../api";
import type { Controller } from "../cluster/controller";
import { replicaManager } from "./replica-manager";

/** A fresh ReplicaSet controller for one cluster. */
export function replicaSetController(): Controller {
  return replicaManager({
    name: "replicaset-controller",
    kind: "ReplicaSet",
    component: "replicaset-controller",
    selector: (obj) => labelSelectorAsSelector((obj as Stored<ReplicaSet>).spec.selector),
  });
}
