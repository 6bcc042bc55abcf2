/**
 * Tab completion for kubectl, from the same specs that drive parsing: verbs and sub-verbs,
 * flags (when the word starts with `-`), values of `-n` (namespaces), `-o` (formats) and
 * `--context`, resource types and short names, `TYPE/NAME` forms, and object names read from
 * the store in the namespace the line selects. `-f` leaves file names to the shell.
 *
 * @example
 * completeKubectl(["get"], "po", env);          // ["pod", "pods", "po", …] (the shell filters by "po")
 * completeKubectl(["get", "pods"], "", env);    // names of pods in the namespace
 * completeKubectl(["-n"], "", env);             // ["default", "kube-node-lease", …]
 */
import { RESOURCES, resolveResource } from "../api";
import type { CommandContext } from "../shell";
import { findCommand } from "./commands";
import { GLOBAL_FLAGS } from "./flags";
import type { KubectlDeps } from "./index";
import { loadKubeconfig } from "./kubeconfig";
import { ParsedKubectlArgs, parseFlags } from "./parse";
import { kindPrefix } from "./resources";
import type { KubectlContext, KubectlFlag, KubectlVerb } from "./types";

/** What completion reads. */
export interface CompletionEnv {
  deps: KubectlDeps;
  verbs: readonly KubectlVerb[];
  shell: CommandContext;
}

/** `-o` values kubectl completes. */
const OUTPUT_FORMATS = ["json", "yaml", "name", "go-template", "go-template-file", "template", "templatefile", "jsonpath", "jsonpath-as-json", "jsonpath-file", "custom-columns", "custom-columns-file", "wide"];

function flagWords(flags: readonly KubectlFlag[]): string[] {
  return flags
    .filter((f) => !f.hidden)
    .flatMap((f) => [...(f.short ? [`-${f.short}`] : []), `--${f.name}${f.type === "bool" || f.noOptDefault !== undefined ? "" : "="}`]);
}

/** The global flags that change where names are read from, picked out of a partial line. */
function scopeWords(words: readonly string[]): string[] {
  const scoped = ["-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user", "-s", "--server"];
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (scoped.includes(w) && i + 1 < words.length) out.push(w, words[++i]);
    else if (scoped.some((f) => f.startsWith("--") && w.startsWith(`${f}=`)) || /^-n./.test(w) || w === "-A" || w === "--all-namespaces") out.push(w);
  }
  return out;
}

/** The context completion runs verbs' completers with; a broken kubeconfig means defaults. */
function contextFor(env: CompletionEnv, words: readonly string[]): KubectlContext {
  const parsed = parseFlags(scopeWords(words), [...GLOBAL_FLAGS, { name: "all-namespaces", short: "A", type: "bool", usage: "" }]);
  const args = parsed.ok ? parsed.args : new ParsedKubectlArgs([], [], new Map(), new Map(), false);
  let namespace = "default";
  let kubeconfig: KubectlContext["kubeconfig"] = { config: {}, server: "http://localhost:8080" };
  try {
    const kc = loadKubeconfig(env.shell.fs, env.shell.env, args, (p) => env.shell.resolve(p));
    namespace = kc.namespace;
    kubeconfig = kc;
  } catch {
    // Completion never fails: without a readable kubeconfig it completes in `default`.
  }
  return {
    cluster: env.deps.cluster,
    store: env.deps.cluster.store,
    runtime: env.deps.runtime,
    shell: env.shell,
    namespace,
    namespaceExplicit: Boolean(args.string("namespace")),
    allNamespaces: args.bool("all-namespaces"),
    user: { name: kubeconfig.userName ?? "", groups: [] },
    kubeconfig,
    globals: args,
    verbs: env.verbs,
  };
}

/** Resource type words: plural names and short names, as `kubectl get <TAB>` offers. */
export function resourceTypeWords(): string[] {
  return RESOURCES.flatMap((r) => [r.plural, r.singular, ...r.shortNames]);
}

/**
 * The usual operand completion of resource verbs: a type first, then names of that type in
 * the request namespace.
 */
export function completeResourceOperands(operands: readonly string[], ctx: KubectlContext): string[] {
  if (operands.length === 0) return resourceTypeWords();
  const info = resolveResource(operands[0]);
  if (!info || operands[0].includes("/")) return [];
  return ctx.store.list(info.kind, { namespace: info.namespaced ? ctx.namespace : undefined }).map((o) => o.metadata.name);
}

/** Candidates for the word being typed after `kubectl` and `words`; undefined means file names. */
export function completeKubectl(words: readonly string[], current: string | undefined, env: CompletionEnv): string[] | undefined {
  const found = findCommand(words, env.verbs);
  const verbFlags = found.kind === "verb" ? found.verb.flags : [];
  const flags = [...verbFlags, ...GLOBAL_FLAGS];
  if (current?.startsWith("-")) return [...flagWords(flags), "--help"];
  const ctx = contextFor(env, words);
  const previous = words.at(-1) ?? "";
  const flag = flags.find((f) => previous === `--${f.name}` || (f.short !== undefined && previous === `-${f.short}`));
  if (flag && flag.type !== "bool" && flag.noOptDefault === undefined) {
    if (flag.name === "namespace") return ctx.store.list("Namespace").map((n) => n.metadata.name);
    if (flag.name === "output") return OUTPUT_FORMATS;
    if (flag.name === "context") {
      const contexts = ctx.kubeconfig.config.contexts;
      return Array.isArray(contexts) ? contexts.map((c: { name?: unknown }) => String(c?.name ?? "")) : [];
    }
    return flag.name === "filename" || flag.name === "kubeconfig" ? undefined : [];
  }
  if (found.kind === "root") return [...env.verbs.map((v) => v.name), "help"];
  if (found.kind !== "verb") return [];
  const parsed = parseFlags(found.rest, flags);
  const operands = parsed.ok ? parsed.args.operands : [];
  const slash = current?.indexOf("/") ?? -1;
  if (current && slash > 0) {
    const info = resolveResource(current.slice(0, slash));
    if (!info) return [];
    const names = ctx.store.list(info.kind, { namespace: info.namespaced ? ctx.namespace : undefined }).map((o) => o.metadata.name);
    return names.map((n) => `${current.slice(0, slash)}/${n}`).concat(names.map((n) => `${kindPrefix(info)}/${n}`));
  }
  if (found.verb.subcommands?.length && operands.length === 0) return found.verb.subcommands.map((v) => v.name);
  return found.verb.complete ? [...found.verb.complete(operands, ctx)] : [];
}
