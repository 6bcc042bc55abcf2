/**
 * Layer 2, the control plane: kube-controller-manager's controllers, the scheduler and a
 * simulated cloud load balancer, each a level-triggered reconciler over the API store (see
 * `CONTEXT.md`). `controlPlaneControllers()` builds a fresh set for one cluster, in a fixed
 * order; kubectl's client-side rollout logic lives here too because it reads the same objects.
 *
 * @example
 * import { controlPlaneControllers, rolloutStatus } from "@/lib/engine/controllers";
 * for (const c of controlPlaneControllers()) cluster.register(c);
 * rolloutStatus(cluster.store, "default", "web").message; // 'deployment "web" successfully rolled out'
 */
import type { Controller } from "../cluster/controller";
import { daemonSetController } from "./daemonset/daemonset";
import { deploymentController } from "./deployment/deployment";
import { endpointSliceController } from "./endpointslice";
import { endpointSliceMirroringController } from "./endpointslice-mirroring";
import { endpointsController } from "./endpoints";
import { garbageCollectorController } from "./garbage-collector";
import { nodeIpamController } from "./node-ipam";
import { nodeLifecycleController } from "./node-lifecycle";
import { persistentVolumeController } from "./persistentvolume";
import { podGCController } from "./pod-gc";
import { replicaSetController } from "./replicaset";
import { replicationControllerController } from "./replicationcontroller";
import { rootCAPublisherController } from "./root-ca-publisher";
import { schedulerController } from "./scheduler/scheduler";
import { serviceAccountController } from "./serviceaccount";
import { serviceLBController } from "./service-lb";
import { taintEvictionController } from "./taint-eviction";

export {
  daemonSetController, deploymentController, endpointSliceController, endpointSliceMirroringController, endpointsController,
  garbageCollectorController, nodeIpamController, nodeLifecycleController, persistentVolumeController, podGCController, replicaSetController,
  replicationControllerController, rootCAPublisherController, schedulerController, serviceAccountController, serviceLBController,
  taintEvictionController,
};
export {
  type DeploymentRevision, type RolloutResult, type RolloutStatus, deploymentRevisions, rollbackDeployment, rolloutStatus,
} from "./deployment/kubectl-rollout";
export { NODE_MONITOR_GRACE_PERIOD_MS, NODE_MONITOR_PERIOD_MS, NODE_STARTUP_GRACE_PERIOD_MS } from "./node-lifecycle";
export { POD_GC_QUARANTINE_MS } from "./pod-gc";
export { clusterCACertificate } from "./ca-certificate";
export { loadBalancerPool } from "./service-lb";

/**
 * A fresh instance of every control-plane controller, in the order they are registered
 * (namespace-scoped bootstrap first, node management, garbage collection, workloads,
 * endpoints, the cloud, the scheduler last). Instances keep per-cluster state (back-offs,
 * trigger times), so each cluster needs its own set.
 */
export function controlPlaneControllers(options: { caCert?: string } = {}): Controller[] {
  return [
    serviceAccountController(),
    rootCAPublisherController(options.caCert),
    nodeIpamController(),
    nodeLifecycleController(),
    taintEvictionController(),
    podGCController(),
    garbageCollectorController(),
    replicationControllerController(),
    replicaSetController(),
    deploymentController(),
    daemonSetController(),
    endpointsController(),
    endpointSliceController(),
    endpointSliceMirroringController(),
    serviceLBController(),
    persistentVolumeController(),
    schedulerController(),
  ];
}
