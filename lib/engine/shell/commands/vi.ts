import { done } from "../command-kit";
import { Vim } from "../programs/vim";
import type { Command, CommandContext, CommandResult } from "../types";

const VERSION = "VIM - Vi IMproved 8.2 (2019 Dec 12, compiled Oct 01 2021 01:51:08)";

const HELP = `${VERSION}

Usage: vim [arguments] [file ..]       edit specified file(s)

Arguments:
   --\t\t\tOnly file names after this
   -R\t\t\tReadonly mode (like "view")
   -n\t\t\tNo swap file, use memory only
   -N\t\t\tNot fully Vi compatible: 'nocompatible'
   +\t\t\tStart at end of file
   +<lnum>\t\tStart at line <lnum>
   +/<pattern>\t\tStart at first occurrence of <pattern>
   -h  or  --help\tPrint Help (this message) and exit
   --version\t\tPrint version information and exit
`;

/** What the words after `vim` ask for. */
function parseVimArgs(words: readonly string[]): { files: string[]; line?: number | "last"; search?: string; readonly: boolean } | CommandResult {
  const files: string[] = [];
  let line: number | "last" | undefined;
  let search: string | undefined;
  let readonly = false;
  let options = true;
  for (const word of words) {
    if (options && word === "--") options = false;
    else if (options && word === "--help") return done(HELP);
    else if (options && word === "--version") return done(`${VERSION}\nIncluded patches: 1-3995, 4563, 4646, 4774, 4895, 4899, 4901, 4919, 213\nModified by team+vim@tracker.debian.org\nCompiled by team+vim@tracker.debian.org\nHuge version without GUI.\n`);
    else if (options && word.startsWith("+")) {
      if (word === "+") line = "last";
      else if (/^\+\d+$/.test(word)) line = Number(word.slice(1));
      else if (word.startsWith("+/")) search = word.slice(2);
    } else if (options && word.startsWith("-") && word !== "-") {
      for (const flag of word.slice(1)) {
        if (flag === "h") return done(HELP);
        if (flag === "R") readonly = true;
        else if (flag !== "n" && flag !== "N" && flag !== "X") {
          return done("", `${VERSION}\nUnknown option argument: "${word}"\nMore info with: "vim -h"\n`, 1);
        }
      }
    } else if (word === "-") return done("", "vim: reading the text from standard input is not supported here\n", 1);
    else files.push(word);
  }
  return { files, line, search, readonly };
}

async function runVim(words: readonly string[], ctx: CommandContext): Promise<CommandResult> {
  const parsed = parseVimArgs(words);
  if ("exitCode" in parsed) return parsed;
  if (parsed.files.length > 1) return done("", "vim: editing more than one file at a time is not supported here\n", 1);
  const vim = new Vim({
    fs: ctx.fs,
    clock: ctx.clock,
    resolve: (path) => ctx.resolve(path),
    home: ctx.env.get("HOME") ?? ctx.host.home,
    file: parsed.files[0],
    line: parsed.line,
    search: parsed.search,
    readonly: parsed.readonly,
  });
  return ctx.session.startProgram(vim);
}

/**
 * `vim`: a full-screen editor on the terminal (see programs/vim): normal, insert and command-
 * line modes, `:w`, `:q`, `:wq`, `:x`, `ZZ`, `:q!`, search, `:s`, undo. Writes go through the
 * location's file system. `vi` is the same program, as on Ubuntu.
 */
export const vim: Command = {
  name: "vim",
  summary: "Vi IMproved, a programmer's text editor",
  usage: "vim [options] [file ..]",
  description: "Vim is a text editor that is upwards compatible to Vi. It can be used to edit all kinds of plain text.",
  spec: { flags: [], raw: true },
  run: (args, ctx) => runVim(args.operands, ctx),
};

/** `vi`: Ubuntu's vi is vim (through alternatives). */
export const vi: Command = { ...vim, name: "vi", usage: "vi [options] [file ..]" };
