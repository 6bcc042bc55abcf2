import type { ParsedArgs } from "../args";
import { done, splitLines } from "../command-kit";
import { FsError } from "../fs";
import { joinPath } from "../path";
import { escapeRegExp } from "../text/brackets";
import { compileRegex, RegexError } from "../text/regex";
import type { Command, CommandContext } from "../types";

const USAGE = "grep [OPTION]... PATTERNS [FILE]...";

function matchers(patterns: string[], args: ParsedArgs): RegExp[] {
  return patterns.map((pattern) => {
    let source = args.has("fixed") ? escapeRegExp(pattern) : compileRegex(pattern, { extended: args.has("extended") }).source;
    if (args.has("word")) source = `(?<![A-Za-z0-9_])(?:${source})(?![A-Za-z0-9_])`;
    if (args.has("line")) source = `^(?:${source})$`;
    return new RegExp(source, args.has("ignore-case") ? "gi" : "g");
  });
}

/** Every non-empty match in a line, leftmost first, longest among patterns at the same place. */
function matchesIn(line: string, res: RegExp[]): string[] {
  const out: string[] = [];
  let at = 0;
  while (at <= line.length) {
    let best: { index: number; text: string } | null = null;
    for (const re of res) {
      re.lastIndex = at;
      const m = re.exec(line);
      if (m && (best === null || m.index < best.index || (m.index === best.index && m[0].length > best.text.length))) best = { index: m.index, text: m[0] };
    }
    if (best === null) break;
    if (best.text !== "") out.push(best.text);
    at = best.index + Math.max(1, best.text.length);
  }
  return out;
}

interface Input {
  name: string;
  text: string;
}

/** Files named on the command line, directories walked with -r, in sorted order. */
function inputs(ctx: CommandContext, operands: string[], args: ParsedArgs, errors: string[]): Input[] {
  const recursive = args.has("recursive") || args.has("dereference-recursive");
  const out: Input[] = [];
  const visit = (name: string, path: string, top: boolean) => {
    if (name === "-") return out.push({ name: "(standard input)", text: ctx.stdin });
    try {
      const link = ctx.fs.lstat(path);
      if (!top && link.kind === "symlink" && !args.has("dereference-recursive")) return;
      if (ctx.fs.isDirectory(path)) {
        if (!recursive) throw new FsError("EISDIR", path);
        for (const child of ctx.fs.list(path)) visit(name === "" ? child : `${name.replace(/\/+$/, "")}/${child}`, joinPath(path, child), false);
        return;
      }
      out.push({ name, text: ctx.fs.readFile(path) });
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      errors.push(`grep: ${name}: ${error.reason}\n`);
    }
  };
  if (operands.length === 0 && recursive) visit("", ctx.cwd, true);
  for (const operand of operands.length > 0 ? operands : recursive ? [] : ["-"]) visit(operand, ctx.resolve(operand), true);
  return out;
}

/** `grep`: GNU grep's common options, with BRE/ERE translated to JavaScript regexes. */
export const grep: Command = {
  name: "grep",
  summary: "print lines that match patterns",
  usage: USAGE,
  description: "Search for PATTERNS in each FILE.\nExample: grep -i 'hello world' menu.h main.c\nPATTERNS can contain multiple patterns separated by newlines.",
  spec: {
    usageExitCode: 2,
    usageOnError: true,
    flags: [
      { name: "extended", short: "E", long: "extended-regexp", help: "PATTERNS are extended regular expressions" },
      { name: "fixed", short: "F", long: "fixed-strings", help: "PATTERNS are strings" },
      { name: "basic", short: "G", long: "basic-regexp", help: "PATTERNS are basic regular expressions" },
      { name: "regexp", short: "e", long: "regexp", value: "required", valueName: "PATTERNS", help: "use PATTERNS for matching" },
      { name: "ignore-case", short: "i", long: "ignore-case", help: "ignore case distinctions in patterns and data" },
      { name: "word", short: "w", long: "word-regexp", help: "match only whole words" },
      { name: "line", short: "x", long: "line-regexp", help: "match only whole lines" },
      { name: "no-messages", short: "s", long: "no-messages", help: "suppress error messages" },
      { name: "invert", short: "v", long: "invert-match", help: "select non-matching lines" },
      { name: "max-count", short: "m", long: "max-count", value: "required", valueName: "NUM", help: "stop after NUM selected lines" },
      { name: "line-number", short: "n", long: "line-number", help: "print line number with output lines" },
      { name: "with-filename", short: "H", long: "with-filename", help: "print file name with output lines" },
      { name: "no-filename", short: "h", long: "no-filename", help: "suppress the file name prefix on output" },
      { name: "only-matching", short: "o", long: "only-matching", help: "show only nonempty parts of lines that match" },
      { name: "quiet", short: "q", long: "quiet", help: "suppress all normal output" },
      { name: "recursive", short: "r", long: "recursive", help: "search directories recursively" },
      { name: "dereference-recursive", short: "R", long: "dereference-recursive", help: "likewise, but follow all symlinks" },
      { name: "files-without-match", short: "L", long: "files-without-match", help: "print only names of FILEs with no selected lines" },
      { name: "files-with-matches", short: "l", long: "files-with-matches", help: "print only names of FILEs with selected lines" },
      { name: "count", short: "c", long: "count", help: "print only a count of selected lines per FILE" },
      { name: "after", short: "A", long: "after-context", value: "required", valueName: "NUM", help: "print NUM lines of trailing context" },
      { name: "before", short: "B", long: "before-context", value: "required", valueName: "NUM", help: "print NUM lines of leading context" },
      { name: "context", short: "C", long: "context", value: "required", valueName: "NUM", help: "print NUM lines of output context" },
    ],
  },
  run(args, ctx) {
    const operands = [...args.operands];
    const given = args.values("regexp");
    if (given.length === 0 && operands.length === 0) return done("", `Usage: ${USAGE}\nTry 'grep --help' for more information.\n`, 2);
    const patterns = (given.length > 0 ? [...given] : [operands.shift() as string]).flatMap((p) => p.split("\n"));
    const numbers: Record<string, number> = {};
    for (const name of ["max-count", "after", "before", "context"]) {
      const text = args.value(name);
      if (text === undefined) continue;
      if (!/^\d+$/.test(text)) return done("", name === "max-count" ? `grep: invalid max count\n` : `grep: ${text}: invalid context length argument\n`, 2);
      numbers[name] = Number(text);
    }
    let res: RegExp[];
    try {
      res = matchers(patterns, args);
    } catch (error) {
      if (error instanceof RegexError) return done("", `grep: ${error.message}\n`, 2);
      throw error;
    }
    const errors: string[] = [];
    const files = inputs(ctx, operands, args, errors);
    const many = files.length > 1 || args.has("recursive") || args.has("dereference-recursive");
    const named = args.has("with-filename") || (many && !args.has("no-filename"));
    const after = numbers.after ?? numbers.context ?? 0;
    const before = numbers.before ?? numbers.context ?? 0;
    let stdout = "";
    let selectedAny = false;
    for (const file of files) {
      const lines = splitLines(file.text);
      const selected: number[] = [];
      for (const [index, line] of lines.entries()) {
        if (numbers["max-count"] !== undefined && selected.length >= numbers["max-count"]) break;
        const hit = res.some((re) => ((re.lastIndex = 0), re.test(line)));
        if (hit !== args.has("invert")) selected.push(index);
      }
      if (selected.length > 0) selectedAny = true;
      if (args.has("quiet")) {
        if (selectedAny) return done("", "", 0);
        continue;
      }
      if (args.has("files-with-matches") || args.has("files-without-match")) {
        if ((selected.length > 0) === args.has("files-with-matches")) stdout += file.name + "\n";
        continue;
      }
      if (args.has("count")) {
        stdout += (named ? `${file.name}:` : "") + selected.length + "\n";
        continue;
      }
      const prefix = (index: number, separator: string) =>
        (named ? file.name + separator : "") + (args.has("line-number") ? `${index + 1}${separator}` : "");
      const shown = new Map<number, boolean>();
      for (const index of selected) {
        for (let k = Math.max(0, index - before); k <= Math.min(lines.length - 1, index + after); k++) if (!shown.has(k)) shown.set(k, false);
        shown.set(index, true);
      }
      let previous = -1;
      for (const index of [...shown.keys()].sort((a, b) => a - b)) {
        if ((before > 0 || after > 0) && previous >= 0 && index > previous + 1) stdout += "--\n";
        previous = index;
        const isMatch = shown.get(index) === true;
        if (args.has("only-matching") && !args.has("invert")) {
          if (isMatch) for (const m of matchesIn(lines[index], res)) stdout += prefix(index, ":") + m + "\n";
        } else if (!args.has("only-matching")) {
          stdout += prefix(index, isMatch ? ":" : "-") + lines[index] + "\n";
        }
      }
    }
    const stderr = args.has("no-messages") ? "" : errors.join("");
    const exitCode = errors.length > 0 && !(args.has("quiet") && selectedAny) ? 2 : selectedAny ? 0 : 1;
    return done(stdout, stderr, exitCode);
  },
};
