import type { ObjectStore } from "../api";
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
  /** The kubeconfig user (`kubernetes-admin`) and what `--as` asked for, for authorization. */
  readonly user: { name: string; groups: readonly string[]; impersonate?: string };
}

/** One kubectl flag (pflag semantics: `--name=value`, `--name value`, `-n value`, `-nvalue`, `--bool=false`). */
export interface KubectlFlag {
  name: string;
  short?: string;
  type: "bool" | "string" | "int" | "stringArray" | "duration";
  default?: string;
  usage: string;
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
  run?(args: KubectlArgs, ctx: KubectlContext): CommandResult | Promise<CommandResult>;
  /** Candidates for the next operand (kinds, object names…). */
  complete?(operands: readonly string[], ctx: KubectlContext): readonly string[];
}
