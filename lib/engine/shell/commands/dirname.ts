import { done, tryHelpText } from "../command-kit";
import { dirName } from "../path";
import type { Command } from "../types";

/** `dirname`: strip the last component from file names. */
export const dirname: Command = {
  name: "dirname",
  summary: "strip last component from file name",
  usage: "dirname [OPTION] NAME...",
  description: "Output each NAME with its last non-slash component and trailing slashes\nremoved; if NAME contains no /'s, output '.' (meaning the current directory).",
  spec: { flags: [{ name: "zero", short: "z", long: "zero", help: "end each output line with NUL, not newline" }] },
  run(args) {
    if (args.operands.length === 0) return done("", `dirname: missing operand\n${tryHelpText("dirname")}`, 1);
    const end = args.has("zero") ? "\0" : "\n";
    return done(args.operands.map((name) => dirName(name) + end).join(""));
  },
};
