import { done, tryHelpText } from "../command-kit";
import { Nano } from "../programs/nano";
import type { Command } from "../types";

/**
 * `nano`: GNU nano 6.2 on the terminal (see programs/nano): type to insert, ^O to write, ^X to
 * leave, ^K/^U to cut and paste lines, ^W to search. `+LINE[,COLUMN]` starts there; `-l` shows
 * line numbers; `-v` views only.
 */
export const nano: Command = {
  name: "nano",
  summary: "Nano's ANOther editor, inspired by Pico",
  usage: "nano [OPTIONS] [[+LINE[,COLUMN]] FILE]...",
  description: "nano is a small and friendly editor.",
  spec: {
    flags: [
      { name: "linenumbers", short: "l", long: "linenumbers", help: "Show line numbers in front of the text" },
      { name: "view", short: "v", long: "view", help: "View mode (read-only)" },
      { name: "version", short: "V", long: "version", help: "Print version information and exit" },
    ],
  },
  run(args, ctx) {
    if (args.has("version")) {
      return done(" GNU nano, version 6.2\n (C) 1999-2011, 2013-2022 Free Software Foundation, Inc.\n (C) 2014-2022 the contributors to nano\n Compiled options: --disable-libmagic --enable-utf8\n");
    }
    let line: number | undefined;
    let column: number | undefined;
    const files: string[] = [];
    for (const operand of args.operands) {
      const position = /^\+(\d*)(?:,(\d*))?$/.exec(operand);
      if (position) {
        line = position[1] ? Number(position[1]) : undefined;
        column = position[2] ? Number(position[2]) : undefined;
      } else files.push(operand);
    }
    if (files.length > 1) return done("", `nano: editing more than one file at a time is not supported here\n${tryHelpText("nano")}`, 1);
    return ctx.session.startProgram(
      new Nano({
        fs: ctx.fs,
        resolve: (path) => ctx.resolve(path),
        file: files[0],
        line,
        column,
        lineNumbers: args.has("linenumbers"),
        view: args.has("view"),
      }),
    );
  },
};
