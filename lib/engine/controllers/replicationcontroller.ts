/**
 * The ReplicationController controller (`replicationcontroller-controller`): the replica
 * manager with a map selector; events come from `replication-controller`, as upstream's.
 *
 * @example
 * cluster.register(replicationControllerController());
 * cluster.store.create(rc); // pods named `<rc>-xxxxx`; relabel one and a replacement appears
 */
import { type ReplicationController, type Stored, selectorFromSet } from "../api";
import type { Controller } from "../cluster/controller";
import { replicaManager } from "./replica-manager";

/** A fresh ReplicationController controller for one cluster. */
export function replicationControllerController(): Controller {
  return replicaManager({
    name: "replicationcontroller-controller",
    kind: "ReplicationController",
    component: "replication-controller",
    selector: (obj) => selectorFromSet((obj as Stored<ReplicationController>).spec.selector),
  });
}
