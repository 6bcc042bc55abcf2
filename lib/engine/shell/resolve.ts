import { FsError } from "./fs";
import type { Location } from "./location";
import { baseName, joinPath } from "./path";
import type { Command, ShellIdentity } from "./types";

/** Where a registered command lives on disk (what `which` prints). */
export function commandPath(command: Command): string {
  return command.path ?? `/usr/bin/${command.name}`;
}

export type Resolution = { command: Command } | { script: string } | { error: string; status: number };

/**
 * Finds what a command word names. A bare name is looked up in the location's registry
 * (bash: `foo: command not found`, dash: `sh: 1: foo: not found`, ash: `sh: foo: not found`; 127). A name with a slash is a file: a registered
 * command's own path runs that command, any other executable file runs as a shell script.
 *
 * @example
 * resolveCommand("ls", location);        // { command: ls }
 * resolveCommand("./deploy.sh", location); // { script: "#!/bin/bash\n…" }
 */
export function resolveCommand(name: string, location: Location, at: ShellPosition = { shell: location.shell, line: 1, interactive: true }): Resolution {
  if (!name.includes("/")) {
    const command = location.commands.get(name);
    return command ? { command } : { error: notFound(name, at), status: 127 };
  }
  const path = joinPath(location.cwd, name);
  const fail = (reason: string, status: number) => ({ error: `bash: ${name}: ${reason}\n`, status });
  try {
    const stat = location.fs.stat(path);
    if (stat.kind === "dir") return fail("Is a directory", 126);
    const real = location.fs.realpath(path);
    const command = location.commands.get(baseName(real));
    if (command && commandPath(command) === real) return { command };
    if ((stat.mode & 0o111) === 0) return fail("Permission denied", 126);
    return { script: location.fs.readFile(path) };
  } catch (error) {
    if (error instanceof FsError) return fail(error.reason, 127);
    throw error;
  }
}

/** Which shell is asking, and where it is in its input (the words of its errors depend on both). */
export interface ShellPosition {
  shell: ShellIdentity;
  line: number;
  /** Read from a terminal rather than a `-c` string or a script. */
  interactive?: boolean;
}

/** The shell's words for a command it cannot find: bash names a script's line, dash every line, ash none. */
function notFound(name: string, { shell, line, interactive }: ShellPosition): string {
  if (shell.dialect === "dash") return `${shell.name}: ${line}: ${name}: not found\n`;
  if (shell.dialect === "ash") return `${shell.name}: ${name}: not found\n`;
  return interactive ? `bash: ${name}: command not found\n` : `${shell.name}: line ${line}: ${name}: command not found\n`;
}
