import { done } from "../command-kit";
import { isName } from "../variables";
import { formatPrintf } from "../text/format";
import type { Command } from "../types";

const USAGE = "printf [-v var] format [arguments]";

/** bash's builtin printf (`-v VAR` assigns instead of printing). */
export const printf: Command = {
  name: "printf",
  summary: "formats and prints ARGUMENTS under control of the FORMAT",
  usage: USAGE,
  builtin: true,
  path: "/usr/bin/printf",
  spec: { raw: true, flags: [{ name: "v", short: "v", value: "required", valueName: "var", help: "assign the output to shell variable VAR rather than display it on the standard output" }] },
  run(args, ctx) {
    const words = [...args.operands];
    let target: string | undefined;
    if (words[0] === "-v") {
      words.shift();
      target = words.shift();
      if (target === undefined) return done("", `bash: printf: -v: option requires an argument\nprintf: usage: ${USAGE}\n`, 2);
      if (!isName(target)) return done("", `bash: printf: \`${target}': not a valid identifier\n`, 2);
    }
    if (words[0] === "--") words.shift();
    if (words.length === 0) return done("", `printf: usage: ${USAGE}\n`, 2);
    if (/^-./.test(words[0]) && words[0] !== "--") {
      return done("", `bash: printf: ${words[0].slice(0, 2)}: invalid option\nprintf: usage: ${USAGE}\n`, 2);
    }
    const [format, ...rest] = words;
    const result = formatPrintf(format, rest);
    const stderr = result.errors.map((e) => `bash: printf: ${e}\n`).join("");
    const exitCode = result.errors.length > 0 ? 1 : 0;
    if (target !== undefined) {
      ctx.env.set(target, result.text);
      return done("", stderr, exitCode);
    }
    return done(result.text, stderr, exitCode);
  },
};
