import { done, localeQuote, quote, tryHelpText } from "../command-kit";
import { FsError } from "../fs";
import type { Command } from "../types";

/** `mkdir`: make directories; `-p` makes parents and accepts existing ones. */
export const mkdir: Command = {
  name: "mkdir",
  summary: "make directories",
  usage: "mkdir [OPTION]... DIRECTORY...",
  description: "Create the DIRECTORY(ies), if they do not already exist.",
  spec: {
    flags: [
      { name: "mode", short: "m", long: "mode", value: "required", valueName: "MODE", help: "set file mode (as in chmod), not a=rwx - umask" },
      { name: "parents", short: "p", long: "parents", help: "no error if existing, make parent directories as needed" },
      { name: "verbose", short: "v", long: "verbose", help: "print a message for each created directory" },
    ],
  },
  run(args, ctx) {
    if (args.operands.length === 0) return done("", `mkdir: missing operand\n${tryHelpText("mkdir")}`, 1);
    const modeText = args.value("mode");
    if (modeText !== undefined && !/^[0-7]{1,4}$/.test(modeText)) return done("", `mkdir: invalid mode ${localeQuote(modeText)}\n`, 1);
    const mode = modeText === undefined ? undefined : parseInt(modeText, 8);
    let stdout = "";
    let stderr = "";
    for (const operand of args.operands) {
      const path = ctx.resolve(operand);
      try {
        if (args.has("parents")) {
          const parts = operand.split("/").filter((p) => p !== "");
          let prefix = operand.startsWith("/") ? "/" : "";
          for (const part of parts) {
            prefix = prefix === "" || prefix.endsWith("/") ? prefix + part : `${prefix}/${part}`;
            if (ctx.fs.exists(ctx.resolve(prefix))) continue;
            ctx.fs.mkdir(ctx.resolve(prefix), { mode });
            if (args.has("verbose")) stdout += `mkdir: created directory ${quote(prefix)}\n`;
          }
          if (!ctx.fs.isDirectory(path)) throw new FsError("EEXIST", path);
        } else {
          ctx.fs.mkdir(path, { mode });
          if (args.has("verbose")) stdout += `mkdir: created directory ${quote(operand)}\n`;
        }
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
        stderr += `mkdir: cannot create directory ${localeQuote(operand)}: ${error.reason}\n`;
      }
    }
    return done(stdout, stderr, stderr === "" ? 0 : 1);
  },
};
