import type { LocationInit } from "../shell";

/** A refusal worded as the component that refuses (kubectl prints it after `error: `). */
export type Refusal = { ok: false; message: string };

/**
 * What the node agents (kubelet + container runtime, `lib/engine/node`) offer to commands such
 * as `kubectl logs` and `kubectl exec`, the way the apiserver proxies those requests to the
 * kubelet of the pod's node.
 */
export interface PodRuntimeService {
  /**
   * A container's log, as `kubectl logs` prints it. Fails like the kubelet does: container
   * not running yet (`container "web" in pod "web-7d4b9" is waiting to start: ContainerCreating`),
   * no previous instance, unknown container, node unreachable.
   */
  logs(namespace: string, pod: string, container: string, options: { previous?: boolean; tailLines?: number; timestamps?: boolean }):
    { ok: true; text: string } | Refusal;
  /**
   * A shell location inside a running container (its file system, the commands its image
   * ships, prompt such as `root@web-7d4b9:/# ` for bash images or `/ # ` for busybox), for
   * `kubectl exec`. Fails as the kubelet does when the container is not running or has no such
   * binary (`exec: "bash": executable file not found in $PATH`).
   */
  execLocation(namespace: string, pod: string, container: string, command: readonly string[]):
    { ok: true; location: LocationInit; /** The argv to run inside it (or none: an interactive shell). */ argv: readonly string[] } | Refusal;
}
