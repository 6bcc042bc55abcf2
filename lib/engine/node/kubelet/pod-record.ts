/**
 * What a kubelet remembers about one pod between syncs: when it first saw it, its sandboxes
 * and their attempts, per container the restart count, the last termination and why it is
 * waiting (image pull errors, crash-loop back-off, config errors), image pulls in flight and
 * whether the pod is being killed or has finished. The runtime holds the rest.
 *
 * @example
 * const rec = newRecord("default/web", uid, "api");
 * rec.waiting.set("web", { reason: "ImagePullBackOff", message: 'Back-off pulling image "nginx:nope"' });
 */
import type { ContainerStateTerminated } from "../../api";
import type { Lazy } from "../../util/lazy";
import type { ImageRef } from "../images/reference";
import type { PullResult } from "../runtime/image-store";

export interface Waiting {
  reason: string;
  message?: string;
}

export interface PodRecord {
  key: string;
  uid: string;
  source: "api" | "file";
  /** RFC 3339, when the kubelet first accepted the pod (`status.startTime`). */
  startTime?: string;
  /** Sandboxes created so far (the next one's CRI attempt). */
  sandboxAttempts: number;
  /** A sandbox is being created and will be ready at this instant. */
  sandboxDueAt?: number;
  ip?: string;
  restarts: Map<string, number>;
  /** Containers that have started at least once (a new instance of one is a restart). */
  started: Map<string, { id: string; startedAt: number }>;
  lastTerminated: Map<string, ContainerStateTerminated>;
  waiting: Map<string, Waiting>;
  pulls: Map<string, { ref: ImageRef; spec: string; result: PullResult; requestedAt: number }>;
  /** The volume manager's last error, retried with back-off. */
  volumeError?: string;
  /** When the grace period of a static pod being stopped ends. */
  deadline?: number;
  /** Containers were sent their stop signal. */
  killing: boolean;
  /** Image pulls of the pod's first start, for the startup latency the kubelet logs. */
  firstPull?: number;
  lastPull?: number;
  /** The pod's startup duration was logged. */
  startupLogged?: boolean;
  /** The volumes last set up and what they were made from (see pod-worker's mountVolumes). */
  volumes?: { inputs: unknown[]; paths: Map<string, string> };
  /** The projected service account token, minted once per pod (signed when first read). */
  token?: Lazy<string>;
  /** The pod ran to completion (or failed for good): its sandbox is gone. */
  terminal?: "Succeeded" | "Failed";
}

export function newRecord(key: string, uid: string, source: PodRecord["source"]): PodRecord {
  return {
    key, uid, source, sandboxAttempts: 0, restarts: new Map(), started: new Map(), lastTerminated: new Map(),
    waiting: new Map(), pulls: new Map(), killing: false,
  };
}
