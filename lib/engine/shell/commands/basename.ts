import { done, localeQuote, tryHelpText } from "../command-kit";
import { baseName } from "../path";
import type { Command } from "../types";

/** `basename`: strip directory and an optional suffix. */
export const basename: Command = {
  name: "basename",
  summary: "strip directory and suffix from filenames",
  usage: "basename NAME [SUFFIX]\n  or:  basename OPTION... NAME...",
  description: "Print NAME with any leading directory components removed.\nIf specified, also remove a trailing SUFFIX.",
  spec: {
    flags: [
      { name: "multiple", short: "a", long: "multiple", help: "support multiple arguments and treat each as a NAME" },
      { name: "suffix", short: "s", long: "suffix", value: "required", valueName: "SUFFIX", help: "remove a trailing SUFFIX; implies -a" },
      { name: "zero", short: "z", long: "zero", help: "end each output line with NUL, not newline" },
    ],
  },
  run(args) {
    const ops = args.operands;
    if (ops.length === 0) return done("", `basename: missing operand\n${tryHelpText("basename")}`, 1);
    const multiple = args.has("multiple") || args.has("suffix");
    if (!multiple && ops.length > 2) return done("", `basename: extra operand ${localeQuote(ops[2])}\n${tryHelpText("basename")}`, 1);
    const suffix = args.value("suffix") ?? (multiple ? "" : (ops[1] ?? ""));
    const names = multiple ? ops : [ops[0]];
    const end = args.has("zero") ? "\0" : "\n";
    return done(
      names
        .map((name) => {
          const base = baseName(name);
          return (suffix !== "" && base !== suffix && base.endsWith(suffix) ? base.slice(0, -suffix.length) : base) + end;
        })
        .join(""),
    );
  },
};
