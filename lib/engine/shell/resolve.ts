import { FsError } from "./fs";
import type { Location } from "./location";
import { baseName, joinPath } from "./path";
import type { Command } from "./types";

/** Where a registered command lives on disk (what `which` prints). */
export function commandPath(command: Command): string {
  return command.path ?? `/usr/bin/${command.name}`;
}

export type Resolution = { command: Command } | { script: string } | { error: string; status: number };

/**
 * Finds what a command word names. A bare name is looked up in the location's registry
 * (bash: `foo: command not found`, 127). A name with a slash is a file: a registered
 * command's own path runs that command, any other executable file runs as a shell script.
 *
 * @example
 * resolveCommand("ls", location);        // { command: ls }
 * resolveCommand("./deploy.sh", location); // { script: "#!/bin/bash\n…" }
 */
export function resolveCommand(name: string, location: Location): Resolution {
  if (!name.includes("/")) {
    const command = location.commands.get(name);
    return command ? { command } : { error: `bash: ${name}: command not found\n`, status: 127 };
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
