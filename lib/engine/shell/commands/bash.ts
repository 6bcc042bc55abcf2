import { done } from "../command-kit";
import { FsError } from "../fs";
import type { Command, CommandContext, CommandResult, ShellIdentity } from "../types";

async function shell(name: "bash" | "sh", operands: readonly string[], ctx: CommandContext): Promise<CommandResult> {
  const [first, ...rest] = operands;
  const identity: ShellIdentity = name === "bash" ? { name, dialect: "bash" } : { name, dialect: ctx.session.sh };
  if (first === "-c") {
    if (rest.length === 0) return done("", `${name}: -c: option requires an argument\n`, 2);
    return ctx.session.runScript(rest[0], ctx.stdin, ctx.env.exportedOnly(), identity);
  }
  if (first !== undefined && first.startsWith("-") && first !== "-") {
    return done("", `${name}: ${first}: invalid option\n`, 2);
  }
  if (first !== undefined && first !== "-") {
    try {
      return await ctx.session.runScript(ctx.fs.readFile(ctx.resolve(first)), ctx.stdin, ctx.env.exportedOnly(), identity);
    } catch (error) {
      if (error instanceof FsError) return done("", `${name}: ${first}: ${error.reason}\n`, 127);
      throw error;
    }
  }
  if (ctx.stdin !== "") return ctx.session.runScript(ctx.stdin, "", ctx.env.exportedOnly(), identity);
  // An interactive child shell on the same host: `exit` comes back here.
  const level = Number(ctx.env.get("SHLVL") ?? "1") + 1;
  ctx.session.pushLocation({
    host: ctx.host,
    fs: ctx.fs,
    commands: ctx.commands,
    cwd: ctx.cwd,
    env: { ...Object.fromEntries(ctx.env.environment()), SHLVL: String(level) },
    ps1: name === "sh" ? (ctx.host.uid === 0 ? "# " : "$ ") : ctx.env.get("PS1"),
    exitMessage: name === "bash" ? "exit\n" : "",
    shell: identity,
    sh: ctx.session.sh,
  });
  return done("");
}

/** `bash`: `bash -c STRING`, `bash FILE`, or a child interactive shell. */
export const bash: Command = {
  name: "bash",
  summary: "GNU Bourne-Again SHell",
  usage: "bash [option] [-c string] [file]",
  description: "Bash is an sh-compatible command language interpreter that executes\ncommands read from the standard input, from a string (-c) or from a file.",
  spec: { raw: true, flags: [] },
  run: (args, ctx) => shell("bash", args.operands, ctx),
};

/** `sh`: the same shell under the POSIX name. */
export const sh: Command = {
  name: "sh",
  summary: "command interpreter (shell)",
  usage: "sh [-c string] [file]",
  description: "The shell is a command that reads lines from standard input, a string (-c)\nor a file, and interprets them.",
  spec: { raw: true, flags: [] },
  run: (args, ctx) => shell("sh", args.operands, ctx),
};
