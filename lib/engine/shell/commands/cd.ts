import { done } from "../command-kit";
import { FsError } from "../fs";
import { joinPath, normalizePath } from "../path";
import type { Command } from "../types";

/** bash's builtin cd: logical paths (`..` folds textually), `-` for OLDPWD, HOME by default. */
export const cd: Command = {
  name: "cd",
  summary: "change the shell working directory",
  usage: "cd [-L|-P] [dir]",
  description: 'Change the current directory to DIR.  The default DIR is the value of the\nHOME shell variable. If DIR is "-", it is converted to $OLDPWD.',
  builtin: true,
  spec: {
    flags: [
      { name: "L", short: "L", help: "force symbolic links to be followed" },
      { name: "P", short: "P", help: "use the physical directory structure without following symbolic links" },
    ],
  },
  run(args, ctx) {
    if (args.operands.length > 1) return done("", "bash: cd: too many arguments\n", 1);
    let target: string | undefined = args.operands[0];
    let announce = false;
    if (target === undefined) {
      target = ctx.env.get("HOME");
      if (target === undefined) return done("", "bash: cd: HOME not set\n", 1);
    } else if (target === "-") {
      target = ctx.env.get("OLDPWD");
      if (target === undefined) return done("", "bash: cd: OLDPWD not set\n", 1);
      announce = true;
    }
    if (target === "") return done("", "", 0);
    const logical = normalizePath(joinPath(ctx.cwd, target));
    try {
      if (!ctx.fs.isDirectory(joinPath(ctx.cwd, target))) {
        ctx.fs.stat(joinPath(ctx.cwd, target));
        return done("", `bash: cd: ${target}: Not a directory\n`, 1);
      }
    } catch (error) {
      if (error instanceof FsError) return done("", `bash: cd: ${target}: ${error.reason}\n`, 1);
      throw error;
    }
    const path = args.has("P") ? ctx.fs.realpath(logical) : logical;
    ctx.env.set("OLDPWD", ctx.cwd);
    ctx.env.set("PWD", path);
    ctx.session.chdir(path);
    return done(announce ? path + "\n" : "");
  },
};
