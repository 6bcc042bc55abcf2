import type { Command } from "../types";
import { headOrTail, linesWithEndings } from "./head";

/** `tail`: the last lines (or bytes) of files; `+N` starts at line N. */
export const tail: Command = {
  name: "tail",
  summary: "output the last part of files",
  usage: "tail [OPTION]... [FILE]...",
  description: "Print the last 10 lines of each FILE to standard output.\nWith more than one FILE, precede each with a header giving the file name.",
  spec: {
    numericFlag: "lines",
    flags: [
      { name: "bytes", short: "c", long: "bytes", value: "required", valueName: "[+]NUM", help: "output the last NUM bytes; or use -c +NUM to output starting with byte NUM of each file" },
      { name: "lines", short: "n", long: "lines", value: "required", valueName: "[+]NUM", help: "output the last NUM lines, instead of the last 10; or use -n +NUM to skip NUM-1 lines at the start" },
      { name: "quiet", short: "q", long: "quiet", help: "never output headers giving file names" },
      { name: "verbose", short: "v", long: "verbose", help: "always output headers giving file names" },
    ],
  },
  run(args, ctx) {
    return headOrTail("tail", args, ctx, (text, { value, sign, bytes }) => {
      const units = bytes ? [...text] : linesWithEndings(text);
      if (sign === "+") return units.slice(Math.max(0, value - 1)).join("");
      return value === 0 ? "" : units.slice(-value).join("");
    });
  },
};
