import { argvSource, attempt, done, tryHelpText } from "../command-kit";
import { FsError, type Errno, type FileSystem } from "../fs";
import { joinPath } from "../path";
import type { Command, CommandContext } from "../types";

/** How much of a name must exist (gnulib's canonicalize modes): -e all of it, -f all but the last component, -m none. */
type Mode = "existing" | "all-but-last" | "missing";

const MAX_SYMLINKS = 40;

/**
 * gnulib's canonicalize_filename_mode: every component resolved physically, symlinks followed
 * wherever they are, `.` and `..` taken after each step. Answers the absolute name or an errno.
 */
function canonicalize(fs: FileSystem, cwd: string, name: string, mode: Mode): Answer {
  let pending = (name.startsWith("/") ? name : joinPath(cwd, name)).split("/").filter((c) => c !== "" && c !== ".");
  const out: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const component = pending.shift()!;
    if (component === "..") {
      out.pop();
      continue;
    }
    const path = `/${[...out, component].join("/")}`;
    const stat = attempt(() => fs.lstat(path));
    const more = pending.some((c) => c !== "." && c !== "");
    if (!stat) {
      if (mode === "missing" || (mode === "all-but-last" && !more)) {
        out.push(component);
        continue;
      }
      return { errno: "ENOENT" };
    }
    if (stat.kind === "symlink") {
      if (++hops > MAX_SYMLINKS) return { errno: "ELOOP" };
      const target = fs.readlink(path);
      if (target.startsWith("/")) out.length = 0;
      pending = [...target.split("/").filter((c) => c !== "" && c !== "."), ...pending];
      continue;
    }
    if (stat.kind !== "dir" && more && mode !== "missing") return { errno: "ENOTDIR" };
    out.push(component);
  }
  return { text: `/${out.join("/")}` };
}

/** A name's line of output, or the errno it failed with. */
type Answer = { text: string } | { errno: Errno };

/** What readlink prints for one name, or the errno it fails with. */
function readOne(ctx: CommandContext, name: string, mode: Mode | undefined): Answer {
  if (mode) return canonicalize(ctx.fs, ctx.cwd, name, mode);
  const path = ctx.resolve(name);
  const stat = attempt(() => ctx.fs.lstat(path));
  if (!stat) return { errno: "ENOENT" };
  return stat.kind === "symlink" ? { text: ctx.fs.readlink(path) } : { errno: "EINVAL" };
}

/** The options in the order given, by name (getopt's loop: a later -f/-e/-m, or -q/-s/-v, overrides an earlier one). */
function optionOrder(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const word of argv) {
    if (word === "--") break;
    if (word.startsWith("--")) {
      const long = word.slice(2).split("=")[0];
      const matches = FLAGS.filter((f) => f.long.startsWith(long));
      out.push((FLAGS.find((f) => f.long === long) ?? (matches.length === 1 ? matches[0] : undefined))?.name ?? "");
    } else if (word.startsWith("-") && word.length > 1) {
      for (const letter of word.slice(1)) out.push(FLAGS.find((f) => f.short === letter)?.name ?? "");
    }
  }
  return out;
}

const FLAGS = [
  { name: "canonicalize", short: "f", long: "canonicalize", help: "canonicalize by following every symlink in every component of the given name recursively; all but the last component must exist" },
  { name: "canonicalize-existing", short: "e", long: "canonicalize-existing", help: "canonicalize by following every symlink in every component of the given name recursively, all components must exist" },
  { name: "canonicalize-missing", short: "m", long: "canonicalize-missing", help: "canonicalize by following every symlink in every component of the given name recursively, without requirements on components existence" },
  { name: "no-newline", short: "n", long: "no-newline", help: "do not output the trailing delimiter" },
  { name: "quiet", short: "q", long: "quiet", help: "" },
  { name: "silent", short: "s", long: "silent", help: "suppress most error messages (on by default)" },
  { name: "verbose", short: "v", long: "verbose", help: "report error messages" },
  { name: "zero", short: "z", long: "zero", help: "end each output line with NUL, not newline" },
];

/** `readlink` (GNU coreutils): a symlink's target, or with -f/-e/-m the canonical name. */
export const readlink: Command = {
  name: "readlink",
  summary: "print resolved symbolic links or canonical file names",
  usage: "readlink [OPTION]... FILE...",
  description: "Print value of a symbolic link or canonical file name",
  spec: { flags: FLAGS },
  run(args, ctx) {
    const names = args.operands;
    if (names.length === 0) return done("", `readlink: missing operand\n${tryHelpText("readlink")}`, 1);
    // The last of -f, -e and -m wins, and the last of -q/-s and -v, as in coreutils.
    let mode: Mode | undefined;
    let verbose = false;
    for (const option of optionOrder(args.argv)) {
      if (option === "canonicalize") mode = "all-but-last";
      else if (option === "canonicalize-existing") mode = "existing";
      else if (option === "canonicalize-missing") mode = "missing";
      else if (option === "verbose") verbose = true;
      else if (option === "quiet" || option === "silent") verbose = false;
    }
    let stderr = "";
    let newline = !args.has("no-newline");
    if (!newline && names.length > 1) {
      stderr += "readlink: ignoring --no-newline with multiple arguments\n";
      newline = true;
    }
    const end = args.has("zero") ? "\0" : newline ? "\n" : "";
    let stdout = "";
    let failed = false;
    for (const name of names) {
      const answer = readOne(ctx, name, mode);
      if ("text" in answer) {
        stdout += answer.text + end;
        continue;
      }
      failed = true;
      if (verbose) stderr += `readlink: ${argvSource([name])}: ${new FsError(answer.errno, name).reason}\n`;
    }
    return done(stdout, stderr, failed ? 1 : 0);
  },
};
