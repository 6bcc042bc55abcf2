/**
 * The seam between the kubelet and container runtime on one side and the pod network on the
 * other, as CRI draws it: the runtime's network status (NetworkReady, which the kubelet puts
 * on its Node and checks before it makes a sandbox), CNI ADD when a sandbox's network
 * namespace exists, CNI DEL when the pod goes, and the machine losing power. The CNI layer
 * (`net/cni`) implements it with real plugins, interfaces, routes and files.
 *
 * @example
 * network.status("node01");                           // { ready: false, message: "Network plugin returns error: cni plugin not initialized" }
 * network.setUp(pod, node, { id: sandboxId, netns }); // { ip: "10.244.1.2" }, or { error: 'plugin type="flannel" failed (add): …' }
 * network.tearDown(pod, node);
 */
import type { Node, Pod, Stored } from "../api";
import type { NetNamespace } from "./runtime/processes";

/** The sandbox a CNI ADD wires: its id (CNI_CONTAINERID) and network namespace (CNI_NETNS). */
export interface SandboxNetwork {
  id: string;
  netns: NetNamespace;
}

/** The runtime's network condition, as CRI `Status` reports it. */
export type NetworkStatus = { ready: true } | { ready: false; message: string };

/** The pod network as the kubelet and its runtime see it. */
export interface PodNetwork {
  /** CRI Status: NetworkReady, or why not (no CNI configuration loaded). */
  status(node: string): NetworkStatus;
  /** CNI ADD for the pod's sandbox on `node`: its address, or the error containerd reports. */
  setUp(pod: Stored<Pod>, node: Stored<Node>, sandbox: SandboxNetwork): { ip: string } | { error: string };
  /** CNI DEL: releases what ADD gave the pod. */
  tearDown(pod: Stored<Pod>, node: Stored<Node>): void;
  /** The machine lost power: what lived in memory and on /run (namespaces, routes, leases) is gone. */
  powerLost(node: string): void;
}

/** The kubelet's runtime-state error while the runtime's network is not ready (its Node condition, and every pod it holds back). */
export function networkNotReadyError(status: Extract<NetworkStatus, { ready: false }>): string {
  return `container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:${status.message}`;
}
