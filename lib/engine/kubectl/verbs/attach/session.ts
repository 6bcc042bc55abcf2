/**
 * `AttachOptions.Run` once the pod is known: which container, whether a TTY is used (and the
 * warnings when it cannot be), `If you don't see a command prompt, try pressing enter.`, the
 * kubelet's attach, then the session itself, which takes one of three shapes:
 *
 * - the learner's terminal, when PID 1 is a shell waiting on stdin and kubectl's input is the
 *   terminal: the learner moves into that shell as with `kubectl exec -it` (without `-t`, a
 *   shell without a prompt). `exit` (or Ctrl-D) ends the shell, and the command finishes then,
 *   through the location's exit hook: the reattach message and the caller's follow-up (`kubectl
 *   run`'s exit code and `--rm`);
 * - input through a pipe: that shell reads it, and with `stdinOnce` its end ends the shell;
 * - otherwise the container's output from the moment of attaching until it exits, as virtual time
 *   runs on (output printed before the attach is not replayed, as with a real attach).
 *
 * @example
 * const outcome = await attachSession(ctx, out, { pod, containerName: "", stdin: true, tty: true, quiet: false }, followUp);
 * outcome; // "attached": the learner is in the container's shell; followUp.finish runs on exit
 */
import type { Container, Pod, Stored } from "../../../api";
import type { Attachment, OutputLine } from "../../../cluster/services";
import type { CommandResult, LocationExitHook, Output } from "../../../shell";
import { KubectlError } from "../../errors";
import { runVerb } from "../../output";
import type { KubectlContext } from "../../types";
import { allContainerNames } from "../ops/common/pods";
import { advanceTowards } from "./wait";

/** What the attach is asked for (`AttachOptions`). */
export interface AttachRequest {
  pod: Stored<Pod>;
  /** `-c`; empty picks the default container. */
  containerName: string;
  stdin: boolean;
  tty: boolean;
  quiet: boolean;
}

/** What the command does once its attached session is over (`kubectl run`: the exit code, `--rm`). */
export interface AttachFollowUp {
  finish(out: Output): Promise<number>;
}

/** `kubectl attach` has nothing left to do after its session. */
export const NOTHING_AFTER: AttachFollowUp = { finish: () => Promise.resolve(0) };

/** How long output is streamed from a container that keeps running (kubectl would wait for Ctrl-C). */
const STREAM_LIMIT_MS = 10 * 60_000;

const DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

type AnyContainer = Pick<Container, "name" | "tty" | "stdinOnce">;

/** `podcmd.FindOrDefaultContainerByName`. */
function containerToAttachTo(pod: Stored<Pod>, name: string, quiet: boolean, out: Output): AnyContainer {
  const ephemeral = (pod.spec as { ephemeralContainers?: AnyContainer[] }).ephemeralContainers ?? [];
  const all: AnyContainer[] = [...pod.spec.containers, ...(pod.spec.initContainers ?? []), ...ephemeral];
  const named = (n: string) => all.find((c) => c.name === n);
  if (name !== "") {
    const found = named(name);
    if (!found) throw new KubectlError(`cannot attach to the container: container ${name} not found in pod ${pod.metadata.name}`);
    return found;
  }
  if (pod.spec.containers.length === 0) throw new KubectlError(`cannot attach to the container: pod ${pod.metadata.namespace}/${pod.metadata.name} does not have any containers`);
  const annotated = named(pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION] ?? "");
  if (annotated) return annotated;
  const first = pod.spec.containers[0];
  if (!quiet && (pod.spec.containers.length > 1 || (pod.spec.initContainers?.length ?? 0) > 0 || ephemeral.length > 0)) {
    out.err(`Defaulted container "${first.name}" out of: ${allContainerNames(pod)}\n`);
  }
  return first;
}

/** `reattachMessage`: how to come back to a shell the pod will restart (stdout, after the session). */
function reattachMessage(request: AttachRequest, container: string, raw: boolean): string {
  if (request.quiet || !request.stdin || !raw || request.pod.spec.restartPolicy !== "Always") return "";
  const ephemeral = ((request.pod.spec as { ephemeralContainers?: AnyContainer[] }).ephemeralContainers ?? []).some((c) => c.name === container);
  if (ephemeral) return `Session ended, the ephemeral container will not be restarted but may be reattached using 'kubectl attach ${request.pod.metadata.name} -c ${container} -i -t' if it is still running\n`;
  return `Session ended, resume using 'kubectl attach ${request.pod.metadata.name} -c ${container} -i -t' command when the pod is running\n`;
}

/** A command's output as the lines a container's log would keep, stdout and stderr apart. */
function linesOf(result: CommandResult): OutputLine[] {
  const lines: OutputLine[] = [];
  const partial = { 1: "", 2: "" };
  for (const chunk of result.chunks ?? [{ fd: 1 as const, text: result.stdout }, { fd: 2 as const, text: result.stderr }]) {
    const parts = (partial[chunk.fd] + chunk.text).split("\n");
    partial[chunk.fd] = parts.pop() ?? "";
    for (const text of parts) lines.push({ stream: chunk.fd === 1 ? "stdout" : "stderr", text });
  }
  for (const fd of [1, 2] as const) if (partial[fd] !== "") lines.push({ stream: fd === 1 ? "stdout" : "stderr", text: partial[fd] });
  return lines;
}

/** Writes streamed lines; a container with a TTY has a single stream, which is stdout. */
function relay(out: Output, lines: readonly OutputLine[], tty: boolean): void {
  for (const line of lines) {
    if (tty || line.stream === "stdout") out.out(`${line.text}\n`);
    else out.err(`${line.text}\n`);
  }
}

/**
 * The attached container keeps running with nothing left to stream: kubectl would stay attached
 * until Ctrl-C, which a command here cannot wait for. Not an attach failure: nothing falls back.
 */
export class StillRunningError extends KubectlError {
  constructor() {
    super("the container keeps running: kubectl would stay attached until Ctrl-C, which this terminal cannot do here; read its output with kubectl logs");
  }
}

/** The attached terminal's end: the shell ends with exit's status, then the command finishes. */
class AttachedTerminal implements LocationExitHook {
  constructor(
    private readonly attachment: Attachment,
    private readonly reattach: string,
    private readonly followUp: AttachFollowUp,
  ) {}

  left(status: number): Promise<CommandResult> {
    return runVerb((out) => {
      this.attachment.endShell(status);
      out.out(this.reattach);
      return this.followUp.finish(out);
    });
  }
}

/**
 * Attaches as `AttachOptions.Run` does. "attached" means the learner is now in the container's
 * shell and `followUp` runs when they leave it; "ended" means the session is already over (the
 * caller goes on). Throws the attach's failure (`unable to upgrade connection: …`) before
 * anything is attached.
 */
export async function attachSession(ctx: KubectlContext, out: Output, request: AttachRequest, followUp: AttachFollowUp): Promise<"attached" | "ended"> {
  const { pod, quiet } = request;
  const container = containerToAttachTo(pod, request.containerName, quiet, out);
  let tty = request.tty;
  if (tty && !container.tty) {
    tty = false;
    if (!quiet) out.err(`error: Unable to use a TTY - container ${container.name} did not allocate one\n`);
  } else if (!tty && container.tty) {
    tty = true; // The container has a TTY: the stream must be read as one.
  }
  // SetupTTY: input through a pipe is no terminal (as exec, an empty stdin means the terminal).
  const piped = request.stdin ? ctx.shell.stdin : "";
  if (request.stdin && tty && piped !== "" && !quiet) out.err("Unable to use a TTY - input is not a terminal or the right kind of file\n");
  const raw = request.stdin && tty && piped === "";
  if (!quiet) out.err("If you don't see a command prompt, try pressing enter.\n");
  const connected = ctx.runtime.attach(pod.metadata.namespace ?? ctx.namespace, pod.metadata.name, container.name);
  if (!connected.ok) throw new KubectlError(connected.message);
  const { attachment } = connected;
  const reattach = reattachMessage(request, container.name, raw);
  if (request.stdin && attachment.shell) {
    if (piped === "") {
      // The learner's keys go to the shell: a TTY shows its prompt, a shell without one has none.
      const shell = raw ? attachment.shell : { ...attachment.shell, ps1: "", exitMessage: "" };
      ctx.shell.session.pushLocation({ ...shell, onExit: new AttachedTerminal(attachment, reattach, followUp) });
      return "attached";
    }
    const result = await ctx.shell.session.runOn(attachment.shell, piped, "");
    // With stdinOnce the end of kubectl's input closes the container's stdin: the shell ends
    // (its output reaches the log, and so the stream). Otherwise it waits for more input.
    if (container.stdinOnce) attachment.endShell(result.exitCode, linesOf(result));
    else relay(out, linesOf(result), Boolean(container.tty));
  }
  streamUntilExit(ctx, out, attachment, Boolean(container.tty));
  out.out(reattach);
  return "ended";
}

/**
 * The attached stream: the container's output as virtual time runs on, until it exits. A
 * container that will not act on its own before the limit (a server, a long `sleep`) ends the
 * stream at once, without letting time pass for nothing.
 */
function streamUntilExit(ctx: KubectlContext, out: Output, attachment: Attachment, tty: boolean): void {
  const deadline = ctx.cluster.clock.now() + STREAM_LIMIT_MS;
  const waiting = () => !attachment.exited && (attachment.nextEvent ?? Infinity) <= deadline;
  while (waiting()) advanceTowards(ctx.cluster, deadline);
  relay(out, attachment.read(), tty);
  if (!attachment.exited) throw new StillRunningError();
}
