/**
 * `kubectl logs`: a container's log as the pod's kubelet serves it (the node agents'
 * `PodRuntimeService.logs`). `POD [CONTAINER]`, `TYPE/NAME` (the first pod the workload
 * selects, or `--all-pods`), or `-l` (every matching pod, ten lines each unless `--tail`);
 * `-c`/`--all-containers`, `-p`, `--tail`, `--timestamps`, `--since`/`--since-time` (filtered on
 * the kubelet's timestamps), `--limit-bytes`, `--prefix`. `-f` prints what there is and returns:
 * the log of a simulated container does not grow while kubectl waits.
 *
 * @example
 * kubectl logs web-7d4b9c6f8-2xkqp --tail=2
 * kubectl logs deploy/web --all-containers --prefix
 * // [pod/web-7d4b9c6f8-2xkqp/web] 10.244.1.1 - - "GET / HTTP/1.1" 200 615
 */
import type { Pod, Stored } from "../../../api";
import { type Output, byteLength } from "../../../shell";
import { KubectlError, usageError } from "../../errors";
import { selectorFlag } from "../../flags";
import { parseGoDuration } from "../../parse";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../types";
import { withOutput } from "./common/output";
import { defaultContainer, hasContainer, allContainerNames, podForObject } from "./common/pods";

const USAGE = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";
/** `selectorTail`: with `-l` and no `--tail`, ten lines per container. */
const SELECTOR_TAIL = 10;
const RFC3339_PREFIX = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;

const EXAMPLES = [
  "# Return snapshot logs from pod nginx with only one container",
  "kubectl logs nginx",
  "",
  "# Return snapshot logs from pod nginx, prefixing each line with the source pod and container name",
  "kubectl logs nginx --prefix",
  "",
  "# Return snapshot logs from pod nginx, limiting output to 500 bytes",
  "kubectl logs nginx --limit-bytes=500",
  "",
  "# Return snapshot logs from pod nginx, waiting up to 20 seconds for it to start running.",
  "kubectl logs nginx --pod-running-timeout=20s",
  "",
  "# Return snapshot logs from pod nginx with multi containers",
  "kubectl logs nginx --all-containers=true",
  "",
  "# Return snapshot logs from all pods in the deployment nginx",
  "kubectl logs deployment/nginx --all-pods=true",
  "",
  "# Return snapshot logs from all containers in pods defined by label app=nginx",
  "kubectl logs -l app=nginx --all-containers=true",
  "",
  "# Return snapshot logs from all pods defined by label app=nginx, limiting concurrent log requests to 10 pods",
  "kubectl logs -l app=nginx --max-log-requests=10",
  "",
  "# Return snapshot of previous terminated ruby container logs from pod web-1",
  "kubectl logs -p -c ruby web-1",
  "",
  "# Begin streaming the logs from pod nginx, continuing even if errors occur",
  "kubectl logs nginx -f --ignore-errors=true",
  "",
  "# Begin streaming the logs of the ruby container in pod web-1",
  "kubectl logs -f -c ruby web-1",
  "",
  "# Begin streaming the logs from all containers in pods defined by label app=nginx",
  "kubectl logs -f -l app=nginx --all-containers=true",
  "",
  "# Display only the most recent 20 lines of output in pod nginx",
  "kubectl logs --tail=20 nginx",
  "",
  "# Show all logs from pod nginx written in the last hour",
  "kubectl logs --since=1h nginx",
  "",
  "# Show all logs with timestamps from pod nginx starting from August 30, 2024, at 06:00:00 UTC",
  "kubectl logs nginx --since-time=2024-08-30T06:00:00Z --timestamps=true",
  "",
  "# Show logs from a kubelet with an expired serving certificate",
  "kubectl logs --insecure-skip-tls-verify-backend nginx",
  "",
  "# Return snapshot logs from first container of a job named hello",
  "kubectl logs job/hello",
  "",
  "# Return snapshot logs from container nginx-1 of a deployment named nginx",
  "kubectl logs deployment/nginx -c nginx-1",
];

/** One log request: a container of a pod. */
interface Request {
  pod: Stored<Pod>;
  container: string;
}

/** The options as `ToLogOptions` + `Validate` settle them. */
interface LogOptions {
  previous: boolean;
  tail?: number;
  timestamps: boolean;
  sinceMs?: number;
  limitBytes: number;
  prefix: boolean;
}

/** `ToLogOptions` (run during `Complete`): the kubelet-side options and the `--since-time` parse. */
function logOptions(args: KubectlArgs, ctx: KubectlContext, selector: boolean): LogOptions {
  const since = parseGoDuration(args.string("since") ?? "0s") ?? 0;
  const sinceTime = args.string("since-time") ?? "";
  let sinceMs: number | undefined;
  if (sinceTime !== "") {
    sinceMs = Date.parse(sinceTime);
    if (Number.isNaN(sinceMs)) throw new KubectlError(`parsing time "${sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTime}" as "2006"`);
  } else if (since > 0) sinceMs = ctx.cluster.clock.now() - Math.round(since / 1000) * 1000;
  const tail = args.int("tail") ?? -1;
  return {
    previous: args.bool("previous"),
    tail: selector && !args.has("tail") ? SELECTOR_TAIL : tail >= 0 ? tail : undefined,
    timestamps: args.bool("timestamps"),
    sinceMs,
    limitBytes: args.int("limit-bytes") ?? 0,
    prefix: args.bool("prefix") || args.bool("all-pods"),
  };
}

/** `LogsOptions.Validate`. */
function validate(args: KubectlArgs, container: string): void {
  const since = parseGoDuration(args.string("since") ?? "0s") ?? 0;
  if ((args.string("since-time") ?? "") !== "" && since !== 0) throw new KubectlError("at most one of `sinceTime` or `sinceSeconds` may be specified");
  if (args.bool("all-containers") && container !== "") throw new KubectlError(`--all-containers=true should not be specified with container name ${container}`);
  if (args.has("container") && args.operands.length === 2) throw new KubectlError("only one of -c or an inline [CONTAINER] arg is allowed");
  if ((args.int("limit-bytes") ?? 0) < 0) throw new KubectlError("--limit-bytes must be greater than 0");
  if (since < 0) throw new KubectlError("--since must be greater than 0");
  if ((args.int("tail") ?? -1) < -1) throw new KubectlError("--tail must be greater than or equal to -1");
}

/** The containers to read for one pod (`logsForObjectWithClient` on a Pod). */
function containersOf(pod: Stored<Pod>, container: string, all: boolean, notice: ((m: string) => void) | undefined): string[] {
  if (all) {
    const ephemeral = (pod.spec as { ephemeralContainers?: { name: string }[] }).ephemeralContainers ?? [];
    return [...(pod.spec.initContainers ?? []), ...pod.spec.containers, ...ephemeral].map((c) => c.name);
  }
  const name = container || defaultContainer(pod, notice);
  if (!hasContainer(pod, name)) throw new KubectlError(`container ${name} is not valid for pod ${pod.metadata.name} out of: ${allContainerNames(pod)}`);
  return [name];
}

/** The longest prefix of `text` within `limit` UTF-8 bytes (the kubelet's `limitBytes`). */
function firstBytes(text: string, limit: number): string {
  let used = 0;
  let end = 0;
  for (const ch of text) {
    used += byteLength(ch);
    if (used > limit) break;
    end += ch.length;
  }
  return text.slice(0, end);
}

/**
 * How kubectl shows a refused log request: the apiserver's NotFound for a missing object, a bare
 * `Error from server:` when it could not reach the kubelet, BadRequest for the kubelet's refusals.
 */
export function serverError(message: string): string {
  if (/^\w+ "[^"]*" not found$/.test(message)) return `Error from server (NotFound): ${message}`;
  if (message.startsWith('Get "')) return `Error from server: ${message}`;
  return `Error from server (BadRequest): ${message}`;
}

/** One container's log text after the kubelet-side options kubectl asked for. */
function readLog(ctx: KubectlContext, req: Request, o: LogOptions): string {
  const { pod, container } = req;
  // An unscheduled pod has no kubelet to ask: the apiserver answers with an empty stream.
  if (!pod.spec.nodeName) return "";
  const result = ctx.runtime.logs(pod.metadata.namespace!, pod.metadata.name, container, {
    previous: o.previous,
    tailLines: o.tail,
    timestamps: o.timestamps || o.sinceMs !== undefined,
  });
  if (!result.ok) throw new KubectlError(serverError(result.message), 1, true);
  let text = result.text;
  if (o.sinceMs !== undefined) {
    const since = o.sinceMs;
    const lines = text.split(/(?<=\n)/).filter((line) => {
      const stamp = RFC3339_PREFIX.exec(line)?.[1];
      return stamp === undefined || Date.parse(stamp) >= since;
    });
    text = (o.timestamps ? lines : lines.map((l) => l.replace(RFC3339_PREFIX, ""))).join("");
  }
  if (o.limitBytes > 0) text = firstBytes(text, o.limitBytes);
  if (!o.prefix) return text;
  const tag = `[pod/${pod.metadata.name}/${container}] `;
  return text.split(/(?<=\n)/).filter((l) => l !== "").map((l) => tag + l).join("");
}

/** The pods the arguments name (`Complete`'s builder): by selector, or `POD` / `TYPE/NAME`. */
function podsFor(args: KubectlArgs, ctx: KubectlContext, out: Output, timeout: number): { pods: Stored<Pod>[]; announce?: string } {
  const selector = args.string("selector") ?? "";
  if (selector !== "") {
    const pods = ctx.store.list<Pod>("Pod", { namespace: ctx.namespace, labelSelector: selector });
    if (pods.length === 0) out.err(`No resources found in ${ctx.namespace} namespace.\n`);
    return { pods };
  }
  const choice = podForObject(ctx, args.operands[0], "logs", timeout);
  if (args.bool("all-pods")) return { pods: choice.all };
  return { pods: [choice.pod], announce: choice.matched > 1 ? `Found ${choice.matched} pods, using pod/${choice.pod.metadata.name}\n` : undefined };
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return withOutput((out) => {
    const selector = args.string("selector") ?? "";
    const operands = args.operands;
    if ((operands.length === 0 && selector === "") || operands.length > 2) throw usageError("kubectl logs", USAGE);
    if (operands.length === 1 && selector !== "") throw usageError("kubectl logs", "only a selector (-l) or a POD name is allowed");
    const timeout = parseGoDuration(args.string("pod-running-timeout") ?? "20s") ?? 0;
    if (timeout <= 0) throw new KubectlError("--pod-running-timeout must be higher than zero");
    const options = logOptions(args, ctx, selector !== "");
    const { pods, announce } = podsFor(args, ctx, out, timeout);
    const container = operands[1] ?? args.string("container") ?? "";
    validate(args, container);
    if (announce) out.err(announce);
    const notice = args.bool("all-pods") ? undefined : (m: string) => out.err(m);
    const requests: Request[] = pods.flatMap((pod) => containersOf(pod, container, args.bool("all-containers"), notice).map((c) => ({ pod, container: c })));
    const maxFollow = args.int("max-log-requests") ?? 5;
    if (args.bool("follow") && requests.length > maxFollow) {
      throw new KubectlError(
        `you are attempting to follow ${requests.length} log streams, but maximum allowed concurrency is ${maxFollow}, use --max-log-requests to increase the limit`,
      );
    }
    for (const request of requests) {
      try {
        out.out(readLog(ctx, request, options));
      } catch (error) {
        // With -f, --ignore-errors turns a failed stream into a line of output and goes on.
        if (!(error instanceof KubectlError) || !(args.bool("follow") && args.bool("ignore-errors"))) throw error;
        out.out(`error: ${error.message.replace(/^Error from server \(\w+\): /, "")}\n`);
      }
    }
    return 0;
  });
}

/** `kubectl logs`. */
export const logsVerb: KubectlVerb = {
  name: "logs",
  short: "Print the logs for a container in a pod",
  long: "Print the logs for a container in a pod or specified resource. If the pod has only one container, the container name is optional.",
  examples: EXAMPLES.map((l) => `  ${l}`).join("\n"),
  usage: "kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
  flags: [
    { name: "all-containers", type: "bool", usage: "Get all containers' logs in the pod(s)." },
    { name: "all-pods", type: "bool", usage: "Get logs from all pod(s). Sets prefix to true." },
    { name: "container", short: "c", type: "string", usage: "Print the logs of this container" },
    { name: "follow", short: "f", type: "bool", usage: "Specify if the logs should be streamed." },
    { name: "ignore-errors", type: "bool", usage: "If watching / following pod logs, allow for any errors that occur to be non-fatal" },
    {
      name: "insecure-skip-tls-verify-backend",
      type: "bool",
      usage:
        "Skip verifying the identity of the kubelet that logs are requested from.  In theory, an attacker could provide invalid log content back. You might want to use this if your kubelet serving certificates have expired.",
    },
    { name: "limit-bytes", type: "int", default: "0", usage: "Maximum bytes of logs to return. Defaults to no limit." },
    { name: "max-log-requests", type: "int", default: "5", usage: "Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5." },
    {
      name: "pod-running-timeout",
      type: "duration",
      default: "20s",
      usage: "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running",
    },
    { name: "prefix", type: "bool", usage: "Prefix each log line with the log source (pod name and container name)" },
    { name: "previous", short: "p", type: "bool", usage: "If true, print the logs for the previous instance of the container in a pod if it exists." },
    selectorFlag,
    {
      name: "since",
      type: "duration",
      default: "0s",
      usage: "Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used.",
    },
    {
      name: "since-time",
      type: "string",
      usage: "Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used.",
    },
    {
      name: "tail",
      type: "int",
      default: "-1",
      usage: "Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.",
    },
    { name: "timestamps", type: "bool", usage: "Include timestamps on each line in the log output" },
  ],
  run,
};
