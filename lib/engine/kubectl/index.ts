/**
 * `kubectl` as a shell command: finds the verb the words name, parses its flags with pflag's
 * rules, prints `--help` from the verb's spec, loads the kubeconfig, dials the apiserver (and
 * fails the way kubectl does when nothing answers), then runs the verb with a
 * {@link KubectlContext} built for this one invocation.
 *
 * @example
 * const kubectl = kubectlCommand({ cluster, runtime, verbs: kubectlVerbs });
 * registry.register(kubectl);
 * await sh.run("kubectl get pods -n kube-system");
 */
import { type ObjectStore, authorizedStore } from "../api";
import type { Cluster } from "../cluster/cluster";
import type { PodRuntimeService } from "../cluster/services";
import type { Command, CommandContext, CommandResult } from "../shell";
import { findCommand, inKubectlOrder, KUBECTL_COMMANDS, unknownCommandText } from "./commands";
import { completeKubectl } from "./complete";
import { afterPartial, connectionFor, offlineResult, ServerUnreachableError } from "./connection";
import { serverTrust } from "./server-trust";
import { errorExitCode, errorText } from "./errors";
import { GLOBAL_FLAGS } from "./flags";
import { authorizedRuntime } from "./authorized-runtime";
import { type RequestIdentity, requestIdentity } from "./identity";
import { renderVerbHelp } from "./help";
import { kubectlPid } from "./klog";
import { loadKubeconfig, type LoadedKubeconfig } from "./kubeconfig";
import { parseFlags, type ParsedKubectlArgs } from "./parse";
import type { KubectlContext, KubectlVerb } from "./types";
import { coreVerbs } from "./verbs";
import { operationsVerbs } from "./verbs/ops";

export type * from "./types";
export { coreVerbs } from "./verbs";
export { operationsVerbs } from "./verbs/ops";
export { renderVerbHelp, renderFlagUsages } from "./help";
export { KubectlError, usageError, errorText, errorsText, errorExitCode } from "./errors";

/** Every verb: the core ones and the operations ones (`help` among them, for the root help). */
export const kubectlVerbs: readonly KubectlVerb[] = [...coreVerbs, ...operationsVerbs];

/** What kubectl needs from the engine. */
export interface KubectlDeps {
  readonly cluster: Cluster;
  /** Logs and exec, served by the node agents. */
  readonly runtime: PodRuntimeService;
  /** Every verb offered (core and operations), in any order. */
  readonly verbs: readonly KubectlVerb[];
}

const result = (stdout: string, stderr = "", exitCode = 0): CommandResult => ({ stdout, stderr, exitCode });

/**
 * The request scope for one invocation. Reaching the cluster (`store`, `cluster`, `runtime`)
 * throws when the apiserver cannot be dialled, so verbs fail on first contact, after their
 * own argument checks, as kubectl does.
 */
function contextFor(deps: KubectlDeps, verbs: readonly KubectlVerb[], shell: CommandContext, kc: LoadedKubeconfig, args: ParsedKubectlArgs): KubectlContext {
  const connection = connectionFor(kc.server, { cluster: deps.cluster, hostName: shell.host.name, trust: serverTrust(shell, kc, args) });
  const reach = <T>(value: T): T => {
    if (!connection.reachable) throw new ServerUnreachableError(connection.failure);
    return value;
  };
  // Authenticated (and impersonation checked) on first contact, once per invocation.
  let identity: RequestIdentity | undefined;
  const who = () => (identity ??= requestIdentity(reach(deps.cluster), shell, kc, args));
  let client: { store: ObjectStore; runtime: PodRuntimeService } | undefined;
  const asUser = () => {
    if (client) return client;
    const { user, authorizing } = who();
    const { store } = deps.cluster;
    client = authorizing ? { store: authorizedStore(store, user), runtime: authorizedRuntime(store, deps.runtime, user) } : { store, runtime: deps.runtime };
    return client;
  };
  return {
    get cluster() {
      return reach(deps.cluster);
    },
    get store() {
      return asUser().store;
    },
    get runtime() {
      return asUser().runtime;
    },
    get user() {
      return who().user;
    },
    shell,
    namespace: kc.namespace,
    namespaceExplicit: kc.namespaceExplicit,
    allNamespaces: args.bool("all-namespaces"),
    kubeconfig: kc,
    globals: args,
    verbs,
  };
}

/**
 * The global flags as cobra sees them: a verb's own flag of the same name shadows the global
 * one (`create rolebinding --user=jane` names a subject, not the kubeconfig user).
 */
function globalFlagsOf(args: ParsedKubectlArgs, verb: KubectlVerb): ParsedKubectlArgs {
  const local = new Set(verb.flags.map((f) => f.name));
  if (!GLOBAL_FLAGS.some((f) => local.has(f.name))) return args;
  const hidden = (flag: string) => local.has(flag) && GLOBAL_FLAGS.some((f) => f.name === flag);
  return Object.assign(Object.create(args) as ParsedKubectlArgs, {
    has: (flag: string) => !hidden(flag) && args.has(flag),
    string: (flag: string) => (hidden(flag) ? undefined : args.string(flag)),
    strings: (flag: string) => (hidden(flag) ? [] : args.strings(flag)),
  });
}

async function invoke(deps: KubectlDeps, verbs: readonly KubectlVerb[], argv: readonly string[], shell: CommandContext): Promise<CommandResult> {
  const found = findCommand(argv, verbs);
  if (found.kind === "unknown") {
    if (found.flagFirst) return result("", `Error: flags cannot be placed before plugin name: ${found.flagFirst}\n`, 1);
    if ((KUBECTL_COMMANDS as readonly string[]).includes(found.word)) {
      return result("", `error: kubectl ${found.word} is not supported in this environment\n`, 1);
    }
    return result("", unknownCommandText(found.word), 1);
  }
  if (found.kind === "root") {
    // cobra's root command: parse the global flags, then show the root help (the `help` verb).
    const parsed = parseFlags(argv, GLOBAL_FLAGS);
    if (!parsed.ok) return result("", `Error: ${parsed.error}\nSee 'kubectl --help' for usage.\n`, 1);
    return invoke(deps, verbs, ["help", ...argv], shell);
  }
  const { path, verb, rest } = found;
  const commandPath = `kubectl ${path.join(" ")}`;
  const parsed = verb.rawArgs ? parseFlags(["--", ...rest], []) : parseFlags(rest, [...verb.flags, ...GLOBAL_FLAGS]);
  if (!parsed.ok) return result("", `Error: ${parsed.error}\nSee '${commandPath} --help' for usage.\n`, 1);
  const args = parsed.args;
  if (args.help) return result(renderVerbHelp(path, verb));
  if (!verb.run) {
    // cobra's DefaultSubCommandRun: help on stderr, or the unknown sub-command, and exit 1.
    if (args.operands.length > 0) {
      return result("", `error: unknown command "${args.operands[0]}"\nSee '${commandPath} -h' for help and examples\n`, 1);
    }
    return result("", renderVerbHelp(path, verb), 1);
  }
  const now = shell.clock.now();
  let namespace = "default";
  try {
    const globals = globalFlagsOf(args, verb);
    const kc = loadKubeconfig(shell.fs, shell.env, globals, (p) => shell.resolve(p));
    namespace = kc.namespace;
    return await verb.run(args, contextFor(deps, verbs, shell, kc, globals));
  } catch (error) {
    if (error instanceof ServerUnreachableError) {
      const timeout = args.string("request-timeout");
      const offline = offlineResult(error.failure, verb.offline?.(args) ?? { discovery: 5 }, {
        now,
        pid: kubectlPid(now),
        namespace,
        ...(timeout && timeout !== "0" ? { timeout } : {}),
      });
      return afterPartial(error.partial, offline);
    }
    const text = errorText(error);
    if (text === undefined) throw error;
    return result("", text, errorExitCode(error));
  }
}

/**
 * The `kubectl` shell command over `deps`. Its words are parsed here (`spec.raw`), so flags may
 * come anywhere, as with cobra.
 */
export function kubectlCommand(deps: KubectlDeps): Command {
  const verbs = inKubectlOrder(deps.verbs);
  return {
    name: "kubectl",
    summary: "kubectl controls the Kubernetes cluster manager",
    usage: "kubectl [flags] [options]",
    path: "/usr/bin/kubectl",
    spec: { flags: [], raw: true },
    run: (args, shell) => invoke(deps, verbs, args.operands, shell),
    complete: (words, shell, current?: string) => completeKubectl(words, current, { deps, verbs, shell }),
  };
}
