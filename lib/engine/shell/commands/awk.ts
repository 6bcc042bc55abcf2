import { done } from "../command-kit";
import { FsError } from "../fs";
import { parseAwk } from "../awk/parser";
import { AwkRuntimeError, AwkSyntaxError } from "../awk/errors";
import { AwkInterpreter } from "../awk/interpreter";
import { StrNum } from "../awk/values";
import { RegexError } from "../text/regex";
import { decodeEscapes } from "../text/escapes";
import type { Command } from "../types";

const USAGE = "awk [-F value] [-v var=value] [--] 'program text' [file ...]";

/** `awk`: a real subset (see awk/parser.ts); what it does not cover fails as a syntax error. */
export const awk: Command = {
  name: "awk",
  summary: "pattern scanning and text processing language",
  usage: USAGE,
  description: "awk scans each input file for lines that match any of a set of patterns\nspecified literally in the program.",
  spec: {
    usageExitCode: 2,
    stopAtOperand: true,
    flags: [
      { name: "fs", short: "F", value: "required", valueName: "value", help: "sets the field separator, FS, to value" },
      { name: "assign", short: "v", value: "required", valueName: "var=value", help: "assigns value to program variable var" },
    ],
  },
  run(args, ctx) {
    const [source, ...operands] = args.operands;
    if (source === undefined) return done("", `usage: ${USAGE}\n`, 2);
    let program;
    try {
      program = parseAwk(source);
    } catch (error) {
      if (error instanceof AwkSyntaxError) return done("", `awk: ${error.message}\n`, 2);
      throw error;
    }
    const interpreter = new AwkInterpreter(program, {
      read: (name) => {
        if (name === "-") return { text: ctx.stdin };
        try {
          return { text: ctx.fs.readFile(ctx.resolve(name)) };
        } catch (error) {
          if (error instanceof FsError) return { error: error.reason };
          throw error;
        }
      },
      write: (name, text, fresh) => {
        try {
          if (fresh) ctx.fs.writeFile(ctx.resolve(name), text);
          else ctx.fs.appendFile(ctx.resolve(name), text);
        } catch (error) {
          if (error instanceof FsError) throw new AwkRuntimeError(`cannot open "${name}" for output`);
          throw error;
        }
      },
      environment: ctx.env.environment(),
    });
    const fs = args.value("fs");
    if (fs !== undefined) interpreter.vars.set("FS", fs === "t" ? "\t" : decodeEscapes(fs, { zeroOctal: false, literal: "" }).text);
    for (const assignment of args.values("assign")) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(assignment);
      if (!m) return done("", `awk: improper assignment: -v ${assignment}\n`, 2);
      interpreter.vars.set(m[1], new StrNum(decodeEscapes(m[2], { zeroOctal: false, literal: "" }).text));
    }
    try {
      return interpreter.run(operands);
    } catch (error) {
      if (error instanceof RegexError) return done("", `awk: regular expression compile failed (${error.message})\n`, 2);
      throw error;
    }
  },
};
