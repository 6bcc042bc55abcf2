import type { ObjectStore, UserInfo } from "../api";
import type { Cluster } from "../cluster/cluster";
import type { PodRuntimeService } from "../cluster/services";
import type { CommandContext, CommandResult } from "../shell";

/**
 * What every kubectl verb sees: the cluster it talks to (through the store, as through the
 * apiserver), the shell it runs in, and the request scope resolved from flags and kubeconfig.
 */
export interface KubectlContext {
  readonly cluster: Cluster;
  readonly store: ObjectStore;
  /** Logs and exec, proxied to the pod's kubelet. */
  readonly runtime: PodRuntimeService;
  /** The shell command context (stdin, fs, env, session for `exec -it`, clock). */
  readonly shell: CommandContext;
  /** `-n`, else the kubeconfig context's namespace, else `default`. */
  readonly namespace: string;
  /** Whether `-n` was given explicitly (some verbs word messages differently). */
  readonly namespaceExplicit: boolean;
  /** `-A/--all-namespaces`. */
  readonly allNamespaces: boolean;
  /**
   * Whom the apiserver serves this request as: the kubeconfig user's authenticated identity, or
   * whom `--as`/`--as-group` impersonate. `store` and `runtime` are authorised as this user.
   */
  readonly user: UserInfo;
  /** The kubeconfig as loaded (`config view` prints it), and the file it came from (if any). */
  readonly kubeconfig: Kubeconfig;
  /** Global flags (`--request-timeout`, `-v`, `--context` …) as parsed for this invocation. */
  readonly globals: KubectlArgs;
  /** Every verb kubectl offers here, in `kubectl --help` order (for help, suggestions, completion). */
  readonly verbs: readonly KubectlVerb[];
}

/** The kubeconfig kubectl loaded: the file's parsed content and the selection the flags made. */
export interface Kubeconfig {
  /** Where it was read from; undefined when no file exists (kubectl then talks to localhost:8080). */
  readonly path?: string;
  /** The parsed YAML (a `kind: Config` object), or an empty config. */
  readonly config: Record<string, unknown>;
  readonly contextName?: string;
  readonly clusterName?: string;
  readonly userName?: string;
  /** The server URL requests go to (`https://172.30.1.2:6443`, `http://localhost:8080`). */
  readonly server: string;
}

/**
 * How a verb fails when no apiserver answers (a worker node without a kubeconfig, a wrong
 * `--server`). `cluster`, `store` and `runtime` of a {@link KubectlContext} throw when the
 * server is unreachable, so a verb checks its arguments first and fails on first contact, as
 * kubectl does; kubectl then logs `discovery` failed discovery requests as klog lines and ends
 * with `final` (default: `The connection to the server … was refused - did you specify the
 * right host or port?`).
 */
export interface OfflineBehaviour {
  discovery: number;
  final?: (server: { url: string; host: string; namespace: string; dialError: string }) => string;
}

/** One kubectl flag (pflag semantics: `--name=value`, `--name value`, `-n value`, `-nvalue`, `--bool=false`). */
export interface KubectlFlag {
  name: string;
  short?: string;
  /** `stringSlice` splits each value at commas (`--image=a,b`); `stringArray` does not (`--from-literal`). */
  type: "bool" | "string" | "int" | "stringArray" | "stringSlice" | "duration";
  default?: string;
  usage: string;
  /** pflag's `NoOptDefVal`: the value a bare `--flag` (no `=`) takes, e.g. `unchanged` for `--dry-run`. */
  noOptDefault?: string;
  /** Hidden from help (deprecated aliases). */
  hidden?: boolean;
}

/** A verb's parsed arguments. */
export interface KubectlArgs {
  /** Positional arguments after the verb (and sub-verb). */
  readonly operands: readonly string[];
  /** Everything after `--` (exec's command). */
  readonly afterDash: readonly string[];
  has(flag: string): boolean;
  string(flag: string): string | undefined;
  bool(flag: string): boolean;
  int(flag: string): number | undefined;
  strings(flag: string): readonly string[];
}

/**
 * A kubectl command (`get`, `rollout`, `create deployment` …): one module each under
 * `kubectl/verbs/`. Sub-commands nest the same shape. The spec drives parsing, `--help` and
 * completion.
 */
export interface KubectlVerb {
  name: string;
  aliases?: readonly string[];
  /** The one-line description `kubectl --help` lists. */
  short: string;
  /** `kubectl get --help`'s long text, examples and usage line. */
  long?: string;
  examples?: string;
  usage: string;
  flags: readonly KubectlFlag[];
  subcommands?: readonly KubectlVerb[];
  /** Words are not parsed as flags at all (operands get them raw), like the shell's `spec.raw`. */
  rawArgs?: boolean;
  run?(args: KubectlArgs, ctx: KubectlContext): CommandResult | Promise<CommandResult>;
  /** What kubectl prints when the apiserver cannot be reached; default `{ discovery: 5 }` (`kubectl get`). */
  offline?(args: KubectlArgs): OfflineBehaviour;
  /** Candidates for the next operand (kinds, object names…). */
  complete?(operands: readonly string[], ctx: KubectlContext): readonly string[];
}
