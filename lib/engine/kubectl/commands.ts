/**
 * The command tree's edges: finding the verb (and sub-verb) the words name as cobra's `Find`
 * does, kubectl's own command list in registration order (for cobra's "Did you mean this?"
 * suggestions, which come out in that order), and the errors for a command that is not there.
 *
 * @example
 * findCommand(["-n", "x", "get", "pods"], verbs); // { path: ["get"], verb: getVerb, … }
 * suggestionsFor("gett");                          // ["set", "get"]
 */
import { stripFlags, wordIndexes } from "./parse";
import { GLOBAL_FLAGS } from "./flags";
import type { KubectlFlag, KubectlVerb } from "./types";

/** kubectl 1.32's top-level commands in the order `NewKubectlCommand` adds them. */
export const KUBECTL_COMMANDS = [
  "create", "expose", "run", "set", "explain", "get", "edit", "delete", "rollout", "scale", "autoscale", "certificate",
  "cluster-info", "top", "cordon", "uncordon", "drain", "taint", "describe", "logs", "attach", "exec", "port-forward", "proxy",
  "cp", "auth", "debug", "events", "diff", "apply", "patch", "replace", "wait", "kustomize", "label", "annotate", "completion",
  "config", "plugin", "version", "api-versions", "api-resources", "options",
] as const;

/** Orders verbs as kubectl registers its commands (unknown names last, in their given order). */
export function inKubectlOrder(verbs: readonly KubectlVerb[]): KubectlVerb[] {
  const rank = (v: KubectlVerb) => {
    const i = (KUBECTL_COMMANDS as readonly string[]).indexOf(v.name);
    return i < 0 ? KUBECTL_COMMANDS.length : i;
  };
  return verbs.map((v, i) => ({ v, i })).sort((a, b) => rank(a.v) - rank(b.v) || a.i - b.i).map(({ v }) => v);
}

/** The verb named `word` (by name or alias) among `verbs`. */
export function verbNamed(verbs: readonly KubectlVerb[], word: string): KubectlVerb | undefined {
  return verbs.find((v) => v.name === word || v.aliases?.includes(word));
}

/** Where the words lead: the verb path and the verb, or why there is none. */
export type Found =
  | { kind: "verb"; path: string[]; verb: KubectlVerb; /** argv without the path words */ rest: string[] }
  | { kind: "root"; rest: string[] }
  | { kind: "unknown"; word: string; flagFirst?: string };

/** Removes the first non-flag occurrence of `word` from `argv` (cobra's `argsMinusFirstX`). */
function withoutWord(argv: readonly string[], word: string, flags: readonly KubectlFlag[]): string[] {
  const index = wordIndexes(argv, flags).find((i) => argv[i] === word);
  return index === undefined ? [...argv] : [...argv.slice(0, index), ...argv.slice(index + 1)];
}

/** cobra's `Find` followed by kubectl's plugin check. */
export function findCommand(argv: readonly string[], verbs: readonly KubectlVerb[]): Found {
  const words = stripFlags(argv, GLOBAL_FLAGS);
  if (words.length === 0) return { kind: "root", rest: [...argv] };
  const top = verbNamed(verbs, words[0]);
  if (!top) {
    // A flag before an unknown word sends kubectl down its plugin path, which refuses it.
    if (argv[0].startsWith("-")) return { kind: "unknown", word: words[0], flagFirst: argv[0] };
    return { kind: "unknown", word: words[0] };
  }
  let verb = top;
  const path = [top.name];
  let rest = withoutWord(argv, words[0], GLOBAL_FLAGS);
  for (const word of stripFlags(rest, [...GLOBAL_FLAGS, ...verb.flags])) {
    const sub = verbNamed(verb.subcommands ?? [], word);
    if (!sub) break;
    rest = withoutWord(rest, word, [...GLOBAL_FLAGS, ...verb.flags]);
    verb = sub;
    path.push(sub.name);
  }
  return { kind: "verb", path, verb, rest };
}

/** Levenshtein distance, case-insensitive (cobra's `ld(…, true)`). */
function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[t.length];
}

/** cobra's `SuggestionsFor` with kubectl's minimum distance of 2 and prefix matches. */
export function suggestionsFor(typed: string): string[] {
  return KUBECTL_COMMANDS.filter((name) => distance(typed, name) <= 2 || name.toLowerCase().startsWith(typed.toLowerCase()));
}

/** cobra's `unknown command "x" for "kubectl"` with its suggestions block. */
export function unknownCommandText(word: string): string {
  const suggestions = suggestionsFor(word);
  const hint = suggestions.length > 0 ? `\n\nDid you mean this?\n${suggestions.map((s) => `\t${s}\n`).join("")}` : "";
  return `Error: unknown command "${word}" for "kubectl"${hint}\n`;
}
