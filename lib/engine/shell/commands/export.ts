import { done } from "../command-kit";
import type { Command } from "../types";
import { isName } from "../variables";

/** The `declare -x NAME="value"` line bash prints for an exported variable. */
function declareLine(flags: string, name: string, value: string | undefined): string {
  if (value === undefined) return `declare ${flags} ${name}\n`;
  return `declare ${flags} ${name}="${value.replace(/(["\\$`])/g, "\\$1")}"\n`;
}

/** bash's builtin export: mark names for the environment of later commands. */
export const exportCommand: Command = {
  name: "export",
  summary: "set export attribute for shell variables",
  usage: "export [-fn] [name[=value] ...] or export -p",
  description: "Marks each NAME for automatic export to the environment of subsequently\nexecuted commands.  If VALUE is supplied, assign VALUE before exporting.",
  builtin: true,
  spec: {
    flags: [
      { name: "f", short: "f", help: "refer to shell functions" },
      { name: "n", short: "n", help: "remove the export property from each NAME" },
      { name: "p", short: "p", help: "display a list of all exported variables and functions" },
    ],
  },
  run(args, ctx) {
    if (args.operands.length === 0) {
      return done(ctx.env.exports().map(([name, value]) => declareLine("-x", name, value)).join(""));
    }
    let stderr = "";
    for (const word of args.operands) {
      const eq = word.indexOf("=");
      const name = eq < 0 ? word : word.slice(0, eq);
      if (!isName(name)) {
        stderr += `bash: export: \`${word}': not a valid identifier\n`;
        continue;
      }
      if (eq >= 0) ctx.env.set(name, word.slice(eq + 1));
      if (args.has("n")) ctx.env.unexport(name);
      else ctx.env.exportName(name);
    }
    return done("", stderr, stderr === "" ? 0 : 1);
  },
};
