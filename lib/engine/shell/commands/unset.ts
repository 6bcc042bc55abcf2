import { done } from "../command-kit";
import type { Command } from "../types";
import { isName } from "../variables";

/** bash's builtin unset: remove variables. */
export const unset: Command = {
  name: "unset",
  summary: "unset values and attributes of shell variables and functions",
  usage: "unset [-f] [-v] [-n] [name ...]",
  description: "For each NAME, remove the corresponding variable or function.",
  builtin: true,
  spec: {
    flags: [
      { name: "f", short: "f", help: "treat each NAME as a shell function" },
      { name: "v", short: "v", help: "treat each NAME as a shell variable" },
      { name: "n", short: "n", help: "treat each NAME as a name reference and unset the variable itself" },
    ],
  },
  run(args, ctx) {
    let stderr = "";
    for (const name of args.operands) {
      if (!isName(name)) {
        stderr += `bash: unset: \`${name}': not a valid identifier\n`;
        continue;
      }
      if (!args.has("f")) ctx.env.unset(name);
    }
    return done("", stderr, stderr === "" ? 0 : 1);
  },
};
