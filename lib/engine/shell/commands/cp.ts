import { attempt, done, quote, transferOperands } from "../command-kit";
import { FsError } from "../fs";
import { baseName, dirName, joinPath } from "../path";
import type { Command, CommandContext } from "../types";

interface Copy {
  recursive: boolean;
  preserve: boolean;
  verbose: boolean;
  out: { stdout: string; stderr: string };
}

function copyEntry(ctx: CommandContext, from: string, shownFrom: string, to: string, shownTo: string, o: Copy): void {
  const stat = ctx.fs.stat(from);
  if (stat.kind === "dir") {
    if (ctx.fs.exists(to) && !ctx.fs.isDirectory(to)) {
      o.out.stderr += `cp: cannot overwrite non-directory ${quote(shownTo)} with directory ${quote(shownFrom)}\n`;
      return;
    }
    if (!ctx.fs.exists(to)) ctx.fs.mkdir(to, { mode: stat.mode });
    if (o.verbose) o.out.stdout += `${quote(shownFrom)} -> ${quote(shownTo)}\n`;
    for (const name of ctx.fs.list(from)) {
      copyEntry(ctx, joinPath(from, name), `${shownFrom}/${name}`, joinPath(to, name), `${shownTo}/${name}`, o);
    }
  } else {
    try {
      ctx.fs.writeFile(to, ctx.fs.readFile(from), { mode: stat.mode });
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      o.out.stderr += `cp: cannot create regular file ${quote(shownTo)}: ${error.reason}\n`;
      return;
    }
    if (o.verbose) o.out.stdout += `${quote(shownFrom)} -> ${quote(shownTo)}\n`;
  }
  if (o.preserve) ctx.fs.touch(to, stat.mtime);
}

/** `cp`: copy files, and with -r/-a directory trees. */
export const cp: Command = {
  name: "cp",
  summary: "copy files and directories",
  usage: "cp [OPTION]... SOURCE... DEST",
  description: "Copy SOURCE to DEST, or multiple SOURCE(s) to DIRECTORY.",
  spec: {
    flags: [
      { name: "archive", short: "a", long: "archive", help: "same as -dR --preserve=all" },
      { name: "force", short: "f", long: "force", help: "if an existing destination file cannot be opened, remove it and try again" },
      { name: "preserve", short: "p", help: "same as --preserve=mode,ownership,timestamps" },
      { name: "recursive", short: "r", long: "recursive", help: "copy directories recursively" },
      { name: "recursive", short: "R", help: "copy directories recursively" },
      { name: "verbose", short: "v", long: "verbose", help: "explain what is being done" },
    ],
  },
  run(args, ctx) {
    const transfer = transferOperands("cp", args.operands, ctx);
    if (!transfer.ok) return transfer.result;
    const { sources, dest, destPath, intoDir } = transfer;
    const o: Copy = {
      recursive: args.has("recursive") || args.has("archive"),
      preserve: args.has("preserve") || args.has("archive"),
      verbose: args.has("verbose"),
      out: { stdout: "", stderr: "" },
    };
    for (const source of sources) {
      const from = ctx.resolve(source);
      const shownTo = intoDir ? `${dest.replace(/\/+$/, "")}/${baseName(source)}` : dest;
      const to = intoDir ? joinPath(destPath, baseName(source)) : destPath;
      try {
        const stat = ctx.fs.stat(from);
        if (stat.kind === "dir" && !o.recursive) {
          o.out.stderr += `cp: -r not specified; omitting directory ${quote(source)}\n`;
          continue;
        }
        if (ctx.fs.exists(to) && ctx.fs.realpath(to) === ctx.fs.realpath(from)) {
          o.out.stderr += `cp: ${quote(source)} and ${quote(shownTo)} are the same file\n`;
          continue;
        }
        const real = ctx.fs.realpath(from);
        const parent = attempt(() => ctx.fs.realpath(dirName(to)));
        if (stat.kind === "dir" && parent !== undefined && (parent === real || parent.startsWith(real + "/"))) {
          o.out.stderr += `cp: cannot copy a directory, ${quote(source)}, into itself, ${quote(shownTo)}\n`;
          continue;
        }
        copyEntry(ctx, from, source, to, shownTo, o);
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
        o.out.stderr += `cp: cannot stat ${quote(source)}: ${error.reason}\n`;
      }
    }
    return done(o.out.stdout, o.out.stderr, o.out.stderr === "" ? 0 : 1);
  },
};
