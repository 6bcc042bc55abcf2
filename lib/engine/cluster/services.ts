import type { LocationInit } from "../shell";

/** A refusal worded as the component that refuses (kubectl prints it after `error: `). */
export type Refusal = { ok: false; message: string };

/** A line a container printed. */
export interface OutputLine {
  stream: "stdout" | "stderr";
  text: string;
}

/**
 * A client attached to a container's main process (the kubelet's attach, behind `kubectl attach`
 * and `kubectl run -i`): the instance's output from the moment of attaching, and, when PID 1 is
 * a shell waiting on the stdin the pod spec keeps open, that shell.
 */
export interface Attachment {
  /** The shell PID 1 runs, as a location like exec's, when it waits on the attached stdin. */
  readonly shell?: LocationInit;
  /** Whether the attached instance has exited: its stream is over. */
  readonly exited: boolean;
  /**
   * When the running instance next acts on its own (wakes, exits, is killed); undefined when it
   * waits on nothing time brings (a server, a shell on its stdin): only a signal or its input
   * can end its stream then.
   */
  readonly nextEvent: number | undefined;
  /** What the instance printed since the attach (or since the last read), in order. */
  read(): OutputLine[];
  /**
   * The attached input ended the shell: `exit N` typed into it, or the end of its input, with
   * `status`. `output` is what the shell printed meanwhile (a real runtime's log holds it too).
   */
  endShell(status: number, output?: readonly OutputLine[]): void;
}

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
  /**
   * Attaches to a running container's main process (`kubectl attach`, `kubectl run -i`). Fails
   * as exec does when the container is not running or its node cannot be reached.
   */
  attach(namespace: string, pod: string, container: string): { ok: true; attachment: Attachment } | Refusal;
}
