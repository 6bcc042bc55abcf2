/**
 * What `kubectl run` does once it has created the pod and attaches (`-i`, `-t`, `--attach`), as
 * kubectl 1.32's run.go does: wait until the pod is Running and Ready (`--pod-running-timeout`,
 * on virtual time), or print its log if it finished first; attach, falling back to the log with
 * a warning when attaching fails; after the session, with `--restart=Never` or `OnFailure`, wait
 * for the pod to finish and exit with its container's code (`pod default/x terminated (Error)`);
 * `--rm` deletes what run created in every case, before any error is printed.
 *
 * When the learner's terminal moved into the container's shell, the rest (`finish`) runs from
 * that location's exit hook, once they leave the shell.
 *
 * @example
 * const attached = new AttachedRun(ctx, [pod], { remove: true, restart: "Never", … });
 * await attached.start(out); // 0: the learner is in the pod's shell; `exit 3` later prints
 *                            // `pod "box" deleted` and `pod default/box terminated (Error)`, status 3
 */
import { ApiError, type Pod, type Stored } from "../../api";
import type { Output } from "../../shell";
import { ServerUnreachableError } from "../connection";
import { KubectlError } from "../errors";
import { infoOf } from "../output";
import { kindPrefix } from "../resources";
import type { KubectlContext } from "../types";
import { attachSession, type AttachFollowUp, podCompleted, PodCompletedError, podRunningAndReady, podSucceeded, StillRunningError, waitForPod } from "./attach";
import type { Cascade } from "./delete";
import { serverError } from "./ops/logs";

/** The flags that shape the attached run. */
export interface AttachedRunOptions {
  stdin: boolean;
  tty: boolean;
  quiet: boolean;
  /** `--rm`. */
  remove: boolean;
  restart: string;
  leaveStdinOpen: boolean;
  /** `--pod-running-timeout`, in milliseconds. */
  timeoutMs: number;
  cascade: Cascade;
}

const finished = (pod: Stored<Pod>) => pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";

export class AttachedRun implements AttachFollowUp {
  constructor(
    private readonly ctx: KubectlContext,
    /** What run created: the pod first, then the Service of `--expose`. */
    private readonly created: readonly Stored[],
    private readonly options: AttachedRunOptions,
  ) {}

  private get pod(): Stored<Pod> {
    return this.created[0] as Stored<Pod>;
  }

  /** `handleAttachPod` and what follows; 0 at once when the learner's terminal is now attached. */
  async start(out: Output): Promise<number> {
    let handedOver = false;
    try {
      const pod = this.runningPod();
      if (finished(pod)) {
        this.printLog(out, pod);
      } else {
        const { stdin, tty, quiet } = this.options;
        try {
          handedOver = (await attachSession(this.ctx, out, { pod, containerName: "", stdin, tty, quiet }, this)) === "attached";
          if (handedOver) return 0;
        } catch (error) {
          if (error instanceof StillRunningError || !(error instanceof KubectlError || error instanceof ApiError)) throw error;
          out.err(`warning: couldn't attach to pod/${pod.metadata.name}, falling back to streaming logs: ${error.message}\n`);
          this.printLog(out, pod);
        }
      }
      return this.exitCode();
    } finally {
      if (!handedOver) this.removeCreated(out);
    }
  }

  /** The rest, once the learner left the container's shell. */
  async finish(out: Output): Promise<number> {
    try {
      return this.exitCode();
    } finally {
      this.removeCreated(out);
    }
  }

  /** Waits until the pod is Running and Ready, or has finished already (ErrPodCompleted). */
  private runningPod(): Stored<Pod> {
    const { metadata } = this.pod;
    try {
      return waitForPod(this.ctx, metadata.namespace!, metadata.name, this.options.timeoutMs, podRunningAndReady);
    } catch (error) {
      if (error instanceof PodCompletedError) return error.pod;
      throw error;
    }
  }

  /** `logOpts`: the container's log, as `kubectl logs` prints it. */
  private printLog(out: Output, pod: Stored<Pod>): void {
    const log = this.ctx.runtime.logs(pod.metadata.namespace!, pod.metadata.name, pod.spec.containers[0].name, {});
    if (!log.ok) throw new KubectlError(serverError(log.message), 1, true);
    out.out(log.text);
  }

  /** `waitForExitCode`: the pod's outcome as kubectl's exit code (only without a restart to come). */
  private exitCode(): number {
    const { restart, leaveStdinOpen, timeoutMs } = this.options;
    if (leaveStdinOpen || (restart !== "Never" && restart !== "OnFailure")) return 0;
    const { namespace, name } = this.pod.metadata;
    const pod = waitForPod(this.ctx, namespace!, name, timeoutMs, restart === "OnFailure" ? podSucceeded : podCompleted);
    const phase = pod.status?.phase;
    if (phase === "Succeeded") return 0;
    if (phase !== "Failed") throw new KubectlError(`pod ${namespace}/${name} left in phase ${phase}`);
    const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
    if (!terminated || terminated.exitCode === 0) throw new KubectlError(`pod ${namespace}/${name} failed with unknown exit code`);
    // A CodeExitError: printed as it is (no `error: `), and its code is kubectl's exit code.
    throw new KubectlError(`pod ${namespace}/${name} terminated (${terminated.reason ?? ""})\n${terminated.message ?? ""}`, terminated.exitCode, true);
  }

  /** `removeCreatedObjects` (`--rm`): a delete that does not wait, whose failures are dropped. */
  private removeCreated(out: Output): void {
    if (!this.options.remove) return;
    for (const obj of this.created) {
      const { namespace, name } = obj.metadata;
      try {
        this.ctx.store.delete(obj.kind, namespace, name, { propagationPolicy: this.options.cascade });
        if (!this.options.quiet) out.out(`${kindPrefix(infoOf(obj))} "${name}" deleted\n`);
      } catch (error) {
        if (error instanceof ApiError && error.reason === "NotFound") out.out("No resources found\n");
        else if (!(error instanceof ApiError || error instanceof ServerUnreachableError)) throw error;
      }
    }
  }
}
