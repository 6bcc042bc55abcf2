import { done } from "../command-kit";
import { decodeEscapes } from "../text/escapes";
import type { Command } from "../types";

/** bash's builtin echo: leading words made only of n, e, E letters are options, nothing else is. */
export const echo: Command = {
  name: "echo",
  summary: "write arguments to the standard output",
  usage: "echo [-neE] [arg ...]",
  builtin: true,
  path: "/usr/bin/echo",
  spec: {
    raw: true,
    flags: [
      { name: "n", short: "n", help: "do not append a newline" },
      { name: "e", short: "e", help: "enable interpretation of the following backslash escapes" },
      { name: "E", short: "E", help: "explicitly suppress interpretation of backslash escapes" },
    ],
  },
  run(args) {
    const words = [...args.operands];
    let newline = true;
    let escapes = false;
    while (words.length > 0 && /^-[neE]+$/.test(words[0])) {
      for (const letter of (words.shift() as string).slice(1)) {
        if (letter === "n") newline = false;
        else escapes = letter === "e";
      }
    }
    const text = words.join(" ");
    if (!escapes) return done(text + (newline ? "\n" : ""));
    const decoded = decodeEscapes(text, { zeroOctal: true, literal: "" });
    return done(decoded.text + (newline && !decoded.stopped ? "\n" : ""));
  },
};
