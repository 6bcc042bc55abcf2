import type { VirtualClock } from "../util/clock";
import type { IO } from "./io";
import type { Location } from "./location";
import { joinPath } from "./path";
import type { CommandContext, ShellControl } from "./types";
import type { Variables } from "./variables";

/** The parts of a {@link CommandContext} that come from the shell rather than the location. */
export interface ContextParts {
  io: IO;
  env: Variables;
  clock: VirtualClock;
  columns: number;
  control: ShellControl;
  exec: CommandContext["exec"];
}

/**
 * The context a command runs with at a location. Standard input is read lazily: a command
 * that never looks at `ctx.stdin` leaves it for the next reader (`while read …`).
 *
 * @example
 * const ctx = commandContext(location, { io, env: location.vars, clock, columns: 80, control, exec });
 */
export function commandContext(location: Location, parts: ContextParts): CommandContext {
  const { io } = parts;
  let stdin: string | undefined;
  return {
    get stdin() {
      stdin ??= io.stdin.readAll();
      return stdin;
    },
    readLine: () => io.stdin.readLine(),
    env: parts.env,
    cwd: location.cwd,
    fs: location.fs,
    clock: parts.clock,
    host: location.host,
    session: parts.control,
    commands: location.commands,
    terminal: { isTerminal: io.stdout.isTerminal, columns: parts.columns },
    resolve: (path) => joinPath(location.cwd, path),
    exec: parts.exec,
  };
}
