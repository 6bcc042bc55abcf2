/**
 * The strategy of every served kind, looked up by kind name. An explicit table (no
 * registration by import side effect), so adding a kind is one line here and one row in
 * `resources.ts`.
 *
 * @example
 * strategyFor("Pod")?.table.columns.map((c) => c.name); // ["Name", "Ready", "Status", …]
 */
import { configMapStrategy } from "./configmap";
import { daemonSetStrategy } from "./daemonset";
import { deploymentStrategy } from "./deployment";
import { endpointSliceStrategy, endpointsStrategy } from "./endpoints";
import { eventStrategy } from "./event";
import { ingressClassStrategy, ingressStrategy } from "./ingress";
import { leaseStrategy } from "./lease";
import { namespaceStrategy } from "./namespace";
import { networkPolicyStrategy } from "./networkpolicy";
import { nodeStrategy } from "./node";
import { peerAuthenticationStrategy } from "./peerauthentication";
import { authorizationPolicyStrategy } from "./authorizationpolicy";
import { podStrategy } from "./pod";
import { roleStrategies } from "./rbac";
import { replicaSetStrategy } from "./replicaset";
import { replicationControllerStrategy } from "./replicationcontroller";
import { secretStrategy } from "./secret";
import { serviceStrategy } from "./service";
import { serviceAccountStrategy } from "./serviceaccount";
import { persistentVolumeClaimStrategy, persistentVolumeStrategy, storageClassStrategy } from "./storage";
import type { KindStrategy } from "./strategy";

const STRATEGIES: ReadonlyMap<string, KindStrategy> = new Map(
  [
    configMapStrategy, daemonSetStrategy, deploymentStrategy, endpointsStrategy, endpointSliceStrategy, eventStrategy,
    ingressStrategy, ingressClassStrategy, leaseStrategy, namespaceStrategy, networkPolicyStrategy, nodeStrategy,
    peerAuthenticationStrategy, podStrategy, ...roleStrategies, replicaSetStrategy, replicationControllerStrategy,
    secretStrategy, serviceStrategy, serviceAccountStrategy, persistentVolumeStrategy, persistentVolumeClaimStrategy,
    storageClassStrategy, authorizationPolicyStrategy,
  ].map((s) => [s.kind, s]),
);

/** The strategy for `kind`, if the engine serves it. */
export function strategyFor(kind: string): KindStrategy | undefined {
  return STRATEGIES.get(kind);
}
