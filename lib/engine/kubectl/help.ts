/**
 * `kubectl VERB --help`, rendered from the verb's spec with kubectl's help template: the long
 * description, aliases, examples, sub-commands, options (sorted, `    -o, --output='':` then the
 * usage on a tab-indented line), the usage line and the pointers to sub-command help and
 * `kubectl options`.
 *
 * @example
 * renderVerbHelp(["create", "deployment"], createDeployment);
 * // "Create a deployment with the specified name.\n\nAliases:\ndeployment, deploy\n\nExamples:\n…"
 */
import type { KubectlFlag, KubectlVerb } from "./types";

function defaultText(flag: KubectlFlag): string {
  const def = flag.default;
  switch (flag.type) {
    case "bool":
      return def ?? "false";
    case "int":
      return def ?? "0";
    case "duration":
      return def ?? "0s";
    case "stringArray":
    case "stringSlice":
      return `[${def ?? ""}]`;
    default:
      return `'${def ?? ""}'`;
  }
}

/** The `Options:` block entries for `flags`, sorted by name, hidden ones left out. */
export function renderFlagUsages(flags: readonly KubectlFlag[]): string {
  return [...flags]
    .filter((f) => !f.hidden)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => `    ${f.short ? `-${f.short}, ` : ""}--${f.name}=${defaultText(f)}:\n\t${f.usage}\n\n`)
    .join("");
}

/** The `Available Commands:` lines, names padded to the longest plus three spaces. */
export function renderCommandList(verbs: readonly KubectlVerb[]): string {
  const width = Math.max(...verbs.map((v) => v.name.length)) + 3;
  return verbs.map((v) => `  ${v.name.padEnd(width)}${v.short}\n`).join("");
}

/** The whole help text for the verb at `path` (`["create", "service"]`). */
export function renderVerbHelp(path: readonly string[], verb: KubectlVerb): string {
  const parts: string[] = [`${verb.long ?? `${verb.short}.`}\n\n`];
  if (verb.aliases?.length) parts.push(`Aliases:\n${[verb.name, ...verb.aliases].join(", ")}\n\n`);
  if (verb.examples) parts.push(`Examples:\n${verb.examples}\n\n`);
  const subcommands = verb.subcommands ?? [];
  if (subcommands.length > 0) parts.push(`Available Commands:\n${renderCommandList(subcommands)}\n`);
  const options = renderFlagUsages(verb.flags);
  if (options) parts.push(`Options:\n${options}`);
  parts.push(`Usage:\n  ${verb.usage}\n\n`);
  if (subcommands.length > 0) parts.push(`Use "kubectl ${path.join(" ")} <command> --help" for more information about a given command.\n`);
  parts.push(`Use "kubectl options" for a list of global command-line options (applies to all commands).\n`);
  return parts.join("");
}
