/**
 * `kubectl attach (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t]`: connects to the main process of
 * a running container, as kubectl 1.32 does. With `-it` and a shell that waits on its stdin (a
 * pod made by `kubectl run -it`, say) the learner moves into that shell; leaving it ends the
 * shell, and with `restartPolicy: Always` kubectl says how to come back. Without input it
 * streams what the container prints until it exits.
 *
 * @example
 * kubectl attach box -c box -i -t   // If you don't see a command prompt, try pressing enter.
 * kubectl attach deploy/web         // the first active pod of the deployment
 */
import { KubectlError, usageError } from "../../errors";
import { runVerb } from "../../output";
import { parseGoDuration } from "../../parse";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../types";
import { podForObject } from "../ops/common/pods";
import { attachSession, NOTHING_AFTER } from "./session";

function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb(async (out) => {
    const timeout = parseGoDuration(args.string("pod-running-timeout") ?? "1m0s") ?? 0;
    if (timeout <= 0) throw usageError("kubectl attach", "--pod-running-timeout must be higher than zero");
    const resources = args.operands;
    if (resources.length === 0) throw new KubectlError("at least 1 argument is required for attach");
    if (resources.length > 2) throw new KubectlError(`expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${resources.length}: [${resources.join(" ")}]`);
    const named = resources.length === 2 ? `${resources[0]}/${resources[1]}` : resources[0];
    const { pod } = podForObject(ctx, named, "exec", timeout);
    const phase = pod.status?.phase;
    if (phase === "Succeeded" || phase === "Failed") throw new KubectlError(`cannot attach a container in a completed pod; current phase is ${phase}`);
    const request = { pod, containerName: args.string("container") ?? "", stdin: args.bool("stdin"), tty: args.bool("tty"), quiet: args.bool("quiet") };
    await attachSession(ctx, out, request, NOTHING_AFTER);
    return 0;
  });
}

/** `kubectl attach`. */
export const attachVerb: KubectlVerb = {
  name: "attach",
  short: "Attach to a running container",
  long: "Attach to a process that is already running inside an existing container.",
  examples: [
    "  # Get output from running pod mypod; use the 'kubectl.kubernetes.io/default-container' annotation",
    "  # for selecting the container to be attached or the first container in the pod will be chosen",
    "  kubectl attach mypod",
    "  ",
    "  # Get output from ruby-container from pod mypod",
    "  kubectl attach mypod -c ruby-container",
    "  ",
    "  # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod",
    "  # and sends stdout/stderr from 'bash' back to the client",
    "  kubectl attach mypod -c ruby-container -i -t",
    "  ",
    "  # Get output from the first pod of a replica set named nginx",
    "  kubectl attach rs/nginx",
  ].join("\n"),
  usage: "kubectl attach (POD | TYPE/NAME) -c CONTAINER [options]",
  flags: [
    {
      name: "container",
      short: "c",
      type: "string",
      usage:
        "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen",
    },
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
  offline: () => ({ discovery: 4 }),
  run,
  complete: (operands, ctx) => (operands.length === 0 ? ctx.store.list("Pod", { namespace: ctx.namespace }).map((p) => p.metadata.name) : []),
};
