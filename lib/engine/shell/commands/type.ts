import { done } from "../command-kit";
import { commandPath } from "../resolve";
import type { Command } from "../types";

/** bash's reserved words, which `type` reports as keywords. */
const SHELL_KEYWORDS = new Set(["if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do", "done", "in", "function", "time", "{", "}", "!", "[[", "]]", "coproc"]);

/** bash's builtin type: how each name would be interpreted. */
export const type: Command = {
  name: "type",
  summary: "display information about command type",
  usage: "type [-afptP] name [name ...]",
  description: "For each NAME, indicate how it would be interpreted if used as a\ncommand name.",
  builtin: true,
  spec: {
    flags: [
      { name: "a", short: "a", help: "display all locations containing an executable named NAME" },
      { name: "p", short: "p", help: "returns either the name of the disk file that would be executed, or nothing" },
      { name: "t", short: "t", help: "output a single word which is one of `keyword', `builtin', or `file'" },
    ],
  },
  run(args, ctx) {
    let stdout = "";
    let stderr = "";
    for (const name of args.operands) {
      const command = ctx.commands.get(name);
      const kind = SHELL_KEYWORDS.has(name) ? "keyword" : command?.builtin ? "builtin" : command ? "file" : null;
      if (kind === null) {
        if (!args.has("t") && !args.has("p")) stderr += `bash: type: ${name}: not found\n`;
        continue;
      }
      const path = command ? commandPath(command) : "";
      if (args.has("t")) stdout += kind + "\n";
      else if (args.has("p")) stdout += kind === "file" ? path + "\n" : "";
      else if (kind === "keyword") stdout += `${name} is a shell keyword\n`;
      else if (kind === "builtin") stdout += `${name} is a shell builtin\n` + (args.has("a") && command?.path ? `${name} is ${path}\n` : "");
      else stdout += `${name} is ${path}\n`;
    }
    const found = args.operands.every((n) => SHELL_KEYWORDS.has(n) || ctx.commands.has(n));
    return done(stdout, stderr, found ? 0 : 1);
  },
  complete: (_args, ctx) => ctx.commands.names(),
};
