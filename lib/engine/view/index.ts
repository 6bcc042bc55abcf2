/**
 * The cluster as a picture's data: nodes, their pods, Services with their endpoints and the
 * latest connection's path, read from a cluster handle (see cluster-view.ts). The worker sends
 * it to the page after each command; the diagram draws it.
 *
 * @example
 * import { clusterView } from "@/lib/engine";
 * const view = clusterView(createCluster({ scenario: "single-node" }));
 */
export { clusterView, type ViewSource } from "./cluster-view";
export type { ClusterView, EndpointView, NodeView, PodView, ServiceView, TraceHopView, TraceView } from "./types";
export type { TraceOutcome } from "../cluster/traces";
