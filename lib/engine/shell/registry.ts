import { awk } from "./commands/awk";
import { base64 } from "./commands/base64";
import { basename } from "./commands/basename";
import { bash, sh } from "./commands/bash";
import { breakCommand, continueCommand } from "./commands/break";
import { cat } from "./commands/cat";
import { cd } from "./commands/cd";
import { chmod } from "./commands/chmod";
import { clear } from "./commands/clear";
import { colon } from "./commands/colon";
import { cp } from "./commands/cp";
import { cut } from "./commands/cut";
import { date } from "./commands/date";
import { dirname } from "./commands/dirname";
import { echo } from "./commands/echo";
import { env } from "./commands/env";
import { exit } from "./commands/exit";
import { exportCommand } from "./commands/export";
import { falseCommand } from "./commands/false";
import { grep } from "./commands/grep";
import { head } from "./commands/head";
import { help } from "./commands/help";
import { history } from "./commands/history";
import { hostname } from "./commands/hostname";
import { id } from "./commands/id";
import { ln } from "./commands/ln";
import { ls } from "./commands/ls";
import { man } from "./commands/man";
import { mkdir } from "./commands/mkdir";
import { mv } from "./commands/mv";
import { nano } from "./commands/nano";
import { printf } from "./commands/printf";
import { pwd } from "./commands/pwd";
import { read } from "./commands/read";
import { readlink } from "./commands/readlink";
import { rm } from "./commands/rm";
import { rmdir } from "./commands/rmdir";
import { sed } from "./commands/sed";
import { set } from "./commands/set";
import { seq } from "./commands/seq";
import { sleep } from "./commands/sleep";
import { sort } from "./commands/sort";
import { tail } from "./commands/tail";
import { tee } from "./commands/tee";
import { bracket, test } from "./commands/test";
import { touch } from "./commands/touch";
import { tr } from "./commands/tr";
import { trueCommand } from "./commands/true";
import { type } from "./commands/type";
import { uniq } from "./commands/uniq";
import { unset } from "./commands/unset";
import { vi, vim } from "./commands/vi";
import { watch } from "./commands/watch";
import { wc } from "./commands/wc";
import { which } from "./commands/which";
import { whoami } from "./commands/whoami";
import { xargs } from "./commands/xargs";
import type { Command } from "./types";
import { byteOrder } from "./variables";

/** Every command this layer provides: bash builtins and the GNU/Linux utilities a node has. */
export const CORE_COMMANDS: readonly Command[] = [
  colon, awk, base64, basename, bash, bracket, breakCommand, cat, cd, chmod, clear, continueCommand, cp, cut, date, dirname,
  echo, env, exit, exportCommand, falseCommand, grep, head, help, history, hostname, id, ln, ls, man, mkdir, mv, nano,
  printf, pwd, read, readlink, rm, rmdir, sed, seq, set, sh, sleep, sort, tail, tee, test, touch, tr, trueCommand, type, uniq, unset,
  vi, vim, watch, wc, which, whoami, xargs,
];

/**
 * The commands available at one location. Each location (node, container) has its own, so
 * the cluster layer can give a node `kubectl` and `crictl` and a busybox container far less.
 *
 * @example
 * const commands = createCoreRegistry().register(kubectl).register(ssh);
 * const slim = commands.clone().unregister("man");
 */
export class CommandRegistry {
  private readonly table = new Map<string, Command>();

  constructor(commands: Iterable<Command> = []) {
    for (const command of commands) this.register(command);
  }

  /** Adds a command, replacing any command of the same name. */
  register(command: Command): this {
    this.table.set(command.name, command);
    return this;
  }

  unregister(name: string): this {
    this.table.delete(name);
    return this;
  }

  get(name: string): Command | undefined {
    return this.table.get(name);
  }

  has(name: string): boolean {
    return this.table.has(name);
  }

  /** Command names in byte order. */
  names(): string[] {
    return [...this.table.keys()].sort(byteOrder);
  }

  /** An independent copy to add to or remove from. */
  clone(): CommandRegistry {
    return new CommandRegistry(this.table.values());
  }
}

/** A registry with {@link CORE_COMMANDS}. */
export function createCoreRegistry(): CommandRegistry {
  return new CommandRegistry(CORE_COMMANDS);
}
