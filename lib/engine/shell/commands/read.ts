import { done } from "../command-kit";
import type { Command } from "../types";
import { isName } from "../variables";

/** bash's builtin read: one line of standard input split into variables (REPLY by default). */
export const read: Command = {
  name: "read",
  summary: "read a line from the standard input and split it into fields",
  usage: "read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]",
  description: "Reads a single line from the standard input.  The line is split into fields\nas with word splitting, and the first word is assigned to the first NAME, the\nsecond word to the second NAME, and so on, with any leftover words assigned to\nthe last NAME.",
  builtin: true,
  spec: {
    flags: [
      { name: "p", short: "p", value: "required", valueName: "prompt", help: "output the string PROMPT without a trailing newline before attempting to read" },
      { name: "r", short: "r", help: "do not allow backslashes to escape any characters" },
      { name: "s", short: "s", help: "do not echo input coming from a terminal" },
    ],
  },
  run(args, ctx) {
    const names = args.operands.length > 0 ? args.operands : ["REPLY"];
    const bad = names.find((n) => !isName(n));
    if (bad !== undefined) return done("", `bash: read: \`${bad}': not a valid identifier\n`, 1);
    let line = ctx.readLine();
    const eof = line === null;
    if (!args.has("r")) {
      while (line !== null && /(^|[^\\])(\\\\)*\\$/.test(line)) {
        const next = ctx.readLine();
        line = line.slice(0, -1) + (next ?? "");
        if (next === null) break;
      }
      line = line?.replace(/\\(.)/g, "$1") ?? null;
    }
    const text = line ?? "";
    if (args.operands.length === 0) {
      ctx.env.set("REPLY", text);
      return done("", "", eof ? 1 : 0);
    }
    const ifs = ctx.env.get("IFS") ?? " \t\n";
    const white = (c: string | undefined) => c !== undefined && ifs.includes(c) && /\s/.test(c);
    let pos = 0;
    const skipWhite = () => {
      while (white(text[pos])) pos++;
    };
    skipWhite();
    names.forEach((name, index) => {
      if (index === names.length - 1) {
        let end = text.length;
        while (end > pos && white(text[end - 1])) end--;
        ctx.env.set(name, text.slice(pos, end));
        return;
      }
      const start = pos;
      while (pos < text.length && !ifs.includes(text[pos])) pos++;
      ctx.env.set(name, text.slice(start, pos));
      skipWhite();
      if (pos < text.length && ifs.includes(text[pos]) && !white(text[pos])) pos++;
      skipWhite();
    });
    return done("", "", eof ? 1 : 0);
  },
};
