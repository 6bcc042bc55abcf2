import { tryHelpText } from "./command-kit";
import type { Command, FlagSpec } from "./types";

const OPTION_COLUMN = 29;

function sentence(command: Command): string {
  if (command.description) return command.description;
  return command.summary.charAt(0).toUpperCase() + command.summary.slice(1) + ".";
}

function flagLabel(flag: FlagSpec): string {
  const value = flag.valueName ?? "VALUE";
  const long = flag.long ? `--${flag.long}${flag.value === "required" ? `=${value}` : flag.value === "optional" ? `[=${value}]` : ""}` : "";
  const short = flag.short ? `-${flag.short}${!flag.long && flag.value ? ` ${value}` : ""}` : "";
  if (short && long) return `${short}, ${long}`;
  return short || `    ${long}`;
}

function optionLine(label: string, help: string): string {
  const left = `  ${label}`;
  return left.length + 2 <= OPTION_COLUMN ? left.padEnd(OPTION_COLUMN) + help : `${left}  ${help}`;
}

/**
 * The text `NAME --help` prints: GNU's layout for utilities, bash's for builtins.
 *
 * @example
 * renderHelp(ls).split("\n")[0]; // "Usage: ls [OPTION]... [FILE]..."
 */
export function renderHelp(command: Command): string {
  if (command.builtin) return renderBuiltinHelp(command);
  const lines = [`Usage: ${command.usage}`, sentence(command), ""];
  for (const flag of command.spec.flags) lines.push(optionLine(flagLabel(flag), flag.help));
  lines.push(optionLine("    --help", "display this help and exit"));
  return lines.join("\n") + "\n";
}

function renderBuiltinHelp(command: Command): string {
  const lines = [`${command.name}: ${command.usage}`, `    ${capitalized(command.summary)}.`];
  if (command.description) lines.push("    ", ...command.description.split("\n").map((l) => `    ${l}`));
  if (command.spec.flags.length > 0) {
    lines.push("    ", "    Options:");
    for (const flag of command.spec.flags) lines.push(`      -${flag.short ?? flag.long}\t${flag.help}`);
  }
  return lines.join("\n") + "\n";
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The stderr text for a bad option, worded like the tool itself.
 *
 * @example
 * usageError(ls, "invalid option -- 'z'", "-z");
 * // "ls: invalid option -- 'z'\nTry 'ls --help' for more information.\n"
 */
export function usageError(command: Command, error: string, option: string): string {
  if (command.builtin) {
    return `bash: ${command.name}: ${option}: invalid option\n${command.name}: usage: ${command.usage}\n`;
  }
  return `${command.name}: ${error}\n${tryHelp(command)}`;
}

/** GNU's closing hint after a usage error, preceded by the synopsis for tools that print it. */
function tryHelp(command: Command): string {
  const usage = command.spec.usageOnError ? `Usage: ${command.usage}\n` : "";
  return usage + tryHelpText(command.name);
}

/**
 * A man page in man-db's plain-text layout (78 columns, as on an 80-column terminal), built
 * from the command's spec.
 *
 * @example
 * renderManPage(ls).startsWith("LS(1)"); // true
 */
export function renderManPage(command: Command): string {
  const title = `${command.name.toUpperCase()}(1)`;
  const centre = "User Commands";
  const gap = 78 - title.length * 2 - centre.length;
  const left = Math.ceil(gap / 2);
  const header = title + " ".repeat(left) + centre + " ".repeat(gap - left) + title;
  const lines = [header, "", "NAME", `       ${command.name} - ${command.summary}`, "", "SYNOPSIS", `       ${command.usage}`, ""];
  lines.push("DESCRIPTION", ...sentence(command).split("\n").map((l) => `       ${l}`), "");
  for (const flag of command.spec.flags) {
    lines.push(`       ${flagLabel(flag).trim()}`, `              ${flag.help}`, "");
  }
  if (!command.spec.raw) lines.push("       --help", "              display this help and exit", "");
  return lines.join("\n");
}
