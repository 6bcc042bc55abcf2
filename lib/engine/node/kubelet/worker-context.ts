/**
 * What the kubelet's pod worker works with: the node's runtime, images and file system, the
 * API, events and the journal, back-off tables, and the view of the pod being synced (an API
 * pod, or a static pod from a manifest file with its mirror pod).
 *
 * @example
 * function sync(w: WorkerContext, view: PodView, rec: PodRecord) { w.event(view, "Normal", "Pulling", 'Pulling image "nginx"'); }
 */
import type { Node, ObjectStore, Pod, Stored } from "../../api";
import type { ScenarioSpec } from "../../scenarios";
import type { FileSystem } from "../../shell";
import type { VirtualClock } from "../../util/clock";
import type { Lazy } from "../../util/lazy";
import type { Rng } from "../../util/rng";
import type { ImageCatalog } from "../images/catalog";
import type { PodNetwork } from "../pod-network";
import type { Dialer } from "../programs";
import type { ContainerRuntime } from "../runtime/containerd";
import type { ImageStore } from "../runtime/image-store";
import type { Backoff } from "./backoff";
import type { Journal } from "./journal";

/** The pod a sync works on. */
export interface PodView {
  key: string;
  /** The API pod, or for a static pod the pod its manifest describes (uid = config hash). */
  pod: Stored<Pod>;
  source: "api" | "file";
  /** A static pod's mirror in the API, if it exists. */
  mirror?: Stored<Pod>;
  /** Being deleted (deletionTimestamp set, or its manifest removed). */
  deleting: boolean;
  /** When the grace period ends (virtual ms). */
  deadline?: number;
}

export interface WorkerContext {
  readonly nodeName: string;
  readonly hostIP: string;
  readonly store: ObjectStore;
  readonly clock: VirtualClock;
  readonly rng: Rng;
  readonly runtime: ContainerRuntime;
  readonly images: ImageStore;
  readonly catalog: ImageCatalog;
  readonly network: PodNetwork;
  readonly nodeFs: FileSystem;
  readonly journal: Journal;
  readonly scenario: ScenarioSpec;
  readonly crashBackoff: Backoff;
  readonly pullBackoff: Backoff;
  readonly mountBackoff: Backoff;
  readonly clusterDNS: string;
  readonly caCert: string;
  readonly dial: Dialer;
  readonly cpus: number;
  readonly kernel: string;
  readonly memoryBytes: number;
  /** The kubelet's PID (klog lines carry it). */
  kubeletPid(): number;
  /** A file on the control plane, as the apiserver reads its flags' files (`sa.key` signs TokenRequests); a lazy file's recipe. */
  apiServerFile?(path: string): string | Lazy<string> | undefined;
  node(): Stored<Node> | undefined;
  event(view: PodView, type: "Normal" | "Warning", reason: string, message: string): void;
}
