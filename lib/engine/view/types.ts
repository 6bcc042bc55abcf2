/**
 * The cluster as the diagram draws it: plain, JSON-safe data (it crosses from the worker to the
 * page with structured clone and may be stored or compared as text). Strings that kubectl
 * prints (a pod's READY and STATUS, a node's STATUS, a Service's PORT(S)) are the printers'
 * own cells, so the picture and the terminal never disagree.
 */
import type { TraceOutcome } from "../cluster/traces";

export interface ClusterView {
  /** Changes exactly when anything else in the view does: an unchanged view need not be resent. */
  version: string;
  nodes: NodeView[];
  /** Every pod, in namespace/name order (the diagram decides what to collapse). */
  pods: PodView[];
  services: ServiceView[];
  /** The path of the latest connection a program in the cluster made, or null before any. */
  trace: TraceView | null;
}

export interface NodeView {
  name: string;
  /** From the `node-role.kubernetes.io/*` labels, as kubectl's ROLES column. */
  roles: string[];
  internalIP: string | null;
  /** `kubectl get nodes` STATUS: `Ready`, `NotReady`, `Unknown`, with `,SchedulingDisabled`. */
  status: string;
  ready: boolean;
  podCIDR: string | null;
  unschedulable: boolean;
  taints: { key: string; value?: string; effect: string }[];
}

export interface PodView {
  namespace: string;
  name: string;
  /** The node it is bound to (null while unscheduled). */
  node: string | null;
  ip: string | null;
  /** `status.phase` (Pending, Running, Succeeded, Failed, Unknown). */
  phase: string;
  /** `kubectl get pods` READY (`1/1`) and STATUS (`Running`, `ContainerCreating`, `Terminating` …). */
  ready: string;
  status: string;
  restarts: number;
  /** The pod's Ready condition: it may receive Service traffic. */
  isReady: boolean;
  hostNetwork: boolean;
  /** Its controlling owner (a ReplicaSet, DaemonSet, Node for static pods …). */
  owner: { kind: string; name: string } | null;
  /** `app`, else `app.kubernetes.io/name`, else `k8s-app`. */
  app: string | null;
}

export interface ServiceView {
  namespace: string;
  name: string;
  /** `kubectl get services` TYPE, CLUSTER-IP (`None` when headless), EXTERNAL-IP and PORT(S). */
  type: string;
  clusterIP: string;
  externalIP: string;
  ports: string;
  /** From the Service's EndpointSlices. */
  endpoints: EndpointView[];
}

export interface EndpointView {
  address: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** The pod behind the address (its targetRef), if it is one. */
  pod: { namespace: string; name: string } | null;
  node: string | null;
}

export interface TraceView {
  seq: number;
  protocol: "TCP" | "UDP" | "ICMP";
  target: { host: string; port: number };
  outcome: TraceOutcome;
  /** In order, from the sender: only the hops the engine resolved. */
  hops: TraceHopView[];
}

export interface TraceHopView {
  kind: "pod" | "host";
  node: string;
  address: string;
  pod: { namespace: string; name: string } | null;
  detail: string;
}
