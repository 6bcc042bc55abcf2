/**
 * `crictl exec [-i] [-t] CONTAINER-ID COMMAND [ARG...]`: a command in a running container,
 * straight through the runtime (no apiserver, no kubelet): the container is found by ID
 * prefix among this node's, its output comes back as the command's, and its exit status is
 * crictl's. `-it` with a shell moves the terminal into the container, as `kubectl exec -it`
 * does. Flags end at the container ID; everything after it is the command.
 *
 * @example
 * crictl exec -it 155aef190edf3 sh
 * crictl exec 155aef190edf3 ip addr show eth0
 */
import { argvSource, type CommandContext, type CommandResult } from "../../shell";
import type { PodRuntimeService } from "../../cluster/services";
import type { NodeAgent } from "../agent";
import type { ContainerInfo } from "../runtime/containerd";

const fatal = (message: string): CommandResult => ({ stdout: "", stderr: `FATA[0000] ${message}\n`, exitCode: 1 });

const USAGE = `NAME:
   crictl exec - Run a command in a running container

USAGE:
   crictl exec [command options] CONTAINER-ID COMMAND [ARG...]

OPTIONS:
   --interactive, -i  Keep STDIN open (default: false)
   --sync, -s         Run the command synchronously (default: false)
   --timeout value    Timeout in seconds (default: 0)
   --tty, -t          Allocate a pseudo-TTY (default: false)
   --help, -h         show help
`;

const BOOLS: Record<string, string> = { i: "interactive", interactive: "interactive", t: "tty", tty: "tty", s: "sync", sync: "sync" };

/** Flags up to the first operand (combined short flags `-it` included), then the ID and the command. */
function split(argv: readonly string[]): { flags: Set<string>; id?: string; command: string[] } | { error: string } | "help" {
  const flags = new Set<string>();
  let i = 0;
  for (; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith("-") || word === "-") break;
    if (word === "--") {
      i++;
      break;
    }
    if (word === "-h" || word === "--help") return "help";
    if (word.startsWith("--timeout")) {
      if (!word.includes("=")) i++;
      continue;
    }
    const names = word.startsWith("--") ? [word.slice(2)] : [...word.slice(1)];
    for (const name of names) {
      if (!BOOLS[name]) return { error: `flag provided but not defined: -${word.startsWith("--") ? "-" : ""}${name}` };
      flags.add(BOOLS[name]);
    }
  }
  return { flags, id: argv[i], command: argv.slice(i + 1) };
}

function findContainer(agent: NodeAgent, id: string): ContainerInfo | "ambiguous" | undefined {
  const matches = [...agent.runtime.containers.values()].filter((c) => c.id.startsWith(id));
  if (matches.length > 1) return "ambiguous";
  return matches[0];
}

export async function crictlExec(agent: NodeAgent, pods: PodRuntimeService, argv: readonly string[], ctx: CommandContext): Promise<CommandResult> {
  const parsed = split(argv);
  if (parsed === "help") return { stdout: USAGE, stderr: "", exitCode: 0 };
  if ("error" in parsed) return { stdout: "", stderr: `Incorrect Usage: ${parsed.error}\n\n${USAGE}`, exitCode: 1 };
  if (parsed.id === undefined || parsed.command.length === 0) return { stdout: USAGE, stderr: "", exitCode: 0 };
  const notFound = `execing command in container: rpc error: code = NotFound desc = an error occurred when try to find container "${parsed.id}": not found`;
  const c = findContainer(agent, parsed.id);
  if (!c || c === "ambiguous") return fatal(notFound);
  if (c.state !== "CONTAINER_RUNNING") {
    return fatal(`execing command in container: rpc error: code = FailedPrecondition desc = container is in ${c.state} state`);
  }
  const namespace = c.labels["io.kubernetes.pod.namespace"] ?? "";
  const pod = c.labels["io.kubernetes.pod.name"] ?? "";
  const target = pods.execLocation(namespace, pod, c.name, parsed.command);
  if (!target.ok) {
    // The runtime's own words, without the apiserver's wrapping that kubectl shows.
    const why = target.message.replace(/^(Internal error occurred: )+error executing command in container: /, "");
    return fatal(`execing command in container: rpc error: code = Unknown desc = ${why}`);
  }
  if (target.argv.length === 0) {
    if (!parsed.flags.has("interactive")) return { stdout: "", stderr: "", exitCode: 0 };
    if (parsed.flags.has("tty") && ctx.stdin === "") {
      ctx.session.pushLocation(target.location);
      return { stdout: "", stderr: "", exitCode: 0 };
    }
    return ctx.session.runOn(target.location, ctx.stdin, "");
  }
  return ctx.session.runOn(target.location, argvSource(target.argv), parsed.flags.has("interactive") ? ctx.stdin : "");
}
