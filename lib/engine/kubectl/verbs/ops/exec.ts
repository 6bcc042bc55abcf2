/**
 * `kubectl exec`: runs a command in a container, through the pod's kubelet (the node agents'
 * `PodRuntimeService.execLocation`, which knows the container's file system, binaries and
 * prompt). With `-it` and a shell the learner moves into the container (`exit` brings them
 * back); otherwise the command runs there and its output comes back, a non-zero status as
 * `command terminated with exit code N`. `-i` feeds standard input to the command (a shell fed
 * through a pipe runs what it is fed, even with `-t`).
 *
 * @example
 * kubectl exec web -- cat /etc/resolv.conf
 * kubectl exec -it deploy/web -c web -- sh   // root@web-7d4b9c6f8-2xkqp:/#
 */
import { badRequestError } from "../../../api";
import { argvSource, type CommandResult, type Output } from "../../../shell";
import { KubectlError, usageError } from "../../errors";
import { filenameFlag } from "../../flags";
import { parseGoDuration } from "../../parse";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../types";
import { withOutput } from "./common/output";
import { fileTargets } from "./common/targets";
import { defaultContainer, hasContainer, podForObject } from "./common/pods";

/** Splits the operands as cobra's `ArgsLenAtDash` does: the pod, then the command. */
function podAndCommand(args: KubectlArgs): { resource: string; command: readonly string[] } {
  const { operands, afterDash } = args;
  const atDash = afterDash.length > 0 ? operands.length - afterDash.length : -1;
  if (atDash >= 0) return { resource: atDash > 0 ? operands[0] : "", command: afterDash };
  if (operands.length > 1) throw usageError("kubectl exec", "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead");
  return { resource: operands[0] ?? "", command: [] };
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return withOutput(async (out) => {
    const { resource, command } = podAndCommand(args);
    const timeout = parseGoDuration(args.string("pod-running-timeout") ?? "1m0s") ?? 0;
    if (timeout <= 0) throw usageError("kubectl exec", "--pod-running-timeout must be higher than zero");
    if (resource === "" && args.strings("filename").length === 0) throw new KubectlError("pod, type/name or --filename must be specified");
    if (command.length === 0) throw new KubectlError("you must specify at least one command for the container");
    const fromFile = resource === "" ? fileTargets(ctx, args.strings("filename")) : undefined;
    if (fromFile?.missing.length) throw fromFile.missing[0];
    const named = fromFile?.targets[0] ? `${fromFile.targets[0].info.plural}/${fromFile.targets[0].object.metadata.name}` : resource;
    const { pod } = podForObject(ctx, named, "exec", timeout);
    const phase = pod.status?.phase;
    if (phase === "Succeeded" || phase === "Failed") throw new KubectlError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
    let container = args.string("container") ?? "";
    if (container === "") container = defaultContainer(pod, args.bool("quiet") ? undefined : (m) => out.err(m));
    // The apiserver checks the name against the spec before it proxies to the kubelet.
    else if (!hasContainer(pod, container)) throw badRequestError(`container ${container} is not valid for pod ${pod.metadata.name}`);
    if (!pod.spec.nodeName) throw badRequestError(`pod ${pod.metadata.name} does not have a host assigned`);
    const target = ctx.runtime.execLocation(pod.metadata.namespace!, pod.metadata.name, container, command);
    if (!target.ok) throw new KubectlError(target.message);
    const stdin = args.bool("stdin");
    if (target.argv.length === 0) {
      if (!stdin) return 0; // A shell without input exits at once.
      // Input arriving through a pipe means no terminal: kubectl says so and feeds it to the shell.
      const piped = ctx.shell.stdin;
      if (args.bool("tty") && piped === "") {
        ctx.shell.session.pushLocation(target.location);
        return 0;
      }
      if (args.bool("tty") && !args.bool("quiet")) out.err("Unable to use a TTY - input is not a terminal or the right kind of file\n");
      return relay(out, await ctx.shell.session.runOn(target.location, piped, ""));
    }
    return relay(out, await ctx.shell.session.runOn(target.location, argvSource(target.argv), stdin ? ctx.shell.stdin : ""));
  });
}

/** Passes the remote command's output through; a failure ends as kubectl's `ExitError` does. */
function relay(out: Output, result: CommandResult): number {
  for (const chunk of result.chunks ?? [{ fd: 1 as const, text: result.stdout }, { fd: 2 as const, text: result.stderr }]) {
    if (chunk.fd === 1) out.out(chunk.text);
    else out.err(chunk.text);
  }
  if (result.exitCode !== 0) out.err(`command terminated with exit code ${result.exitCode}\n`);
  return result.exitCode;
}

/** `kubectl exec`. */
export const execVerb: KubectlVerb = {
  name: "exec",
  short: "Execute a command in a container",
  long: "Execute a command in a container.",
  examples: [
    "  # Get output from running the 'date' command from pod mypod, using the first container by default",
    "  kubectl exec mypod -- date",
    "  ",
    "  # Get output from running the 'date' command in ruby-container from pod mypod",
    "  kubectl exec mypod -c ruby-container -- date",
    "  ",
    "  # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod",
    "  # and sends stdout/stderr from 'bash' back to the client",
    "  kubectl exec mypod -c ruby-container -i -t -- bash -il",
    "  ",
    "  # List contents of /usr from the first container of pod mypod and sort by modification time",
    "  # If the command you want to execute in the pod has any flags in common (e.g. -i),",
    "  # you must use two dashes (--) to separate your command's flags/arguments",
    "  # Also note, do not surround your command and its flags/arguments with quotes",
    '  # unless that is how you would execute it normally (i.e., do ls -t /usr, not "ls -t /usr")',
    "  kubectl exec mypod -i -t -- ls -t /usr",
    "  ",
    "  # Get output from running 'date' command from the first pod of the deployment mydeployment, using the first container by default",
    "  kubectl exec deploy/mydeployment -- date",
    "  ",
    "  # Get output from running 'date' command from the first pod of the service myservice, using the first container by default",
    "  kubectl exec svc/myservice -- date",
  ].join("\n"),
  usage: "kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]",
  flags: [
    {
      name: "container",
      short: "c",
      type: "string",
      usage:
        "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen",
    },
    filenameFlag("to use to exec into the resource"),
    {
      name: "pod-running-timeout",
      type: "duration",
      default: "1m0s",
      usage: "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running",
    },
    { name: "quiet", short: "q", type: "bool", usage: "Only print output from the remote session" },
    { name: "stdin", short: "i", type: "bool", usage: "Pass stdin to the container" },
    { name: "tty", short: "t", type: "bool", usage: "Stdin is a TTY" },
  ],
  run,
};
