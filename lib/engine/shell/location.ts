import type { FileSystem } from "./fs";
import type { CommandRegistry } from "./registry";
import type { HostInfo, LocationExitHook, LocationInit, ShellIdentity, ShellOption } from "./types";
import { Variables } from "./variables";

/** Debian's and Ubuntu's PATH for root. */
const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const BASH: ShellIdentity = Object.freeze({ name: "bash", dialect: "bash" });
/** bash's own default prompt on Debian and Ubuntu. */
const DEFAULT_PS1 = "\\u@\\h:\\w\\$ ";

/**
 * One shell on one host: where you are after `ssh node-1` or `kubectl exec -it pod -- sh`.
 * The session keeps a stack of these; each has its own directory, variables and history.
 *
 * @example
 * const here = new Location({ host, fs, commands, ps1: "\\h:\\w$ " });
 * here.cwd; // host.home
 */
export class Location {
  readonly host: HostInfo;
  readonly fs: FileSystem;
  readonly commands: CommandRegistry;
  readonly exitMessage: string;
  /** What finishes when `exit` leaves this location (an attached kubectl). */
  readonly onExit?: LocationExitHook;
  readonly shell: ShellIdentity;
  readonly sh: "dash" | "ash";
  readonly history: string[] = [];
  cwd: string;
  vars: Variables;
  options = new Set<ShellOption>();

  constructor(init: LocationInit) {
    this.host = init.host;
    this.fs = init.fs;
    this.commands = init.commands;
    this.exitMessage = init.exitMessage ?? "";
    this.onExit = init.onExit;
    this.shell = init.shell ?? BASH;
    this.sh = init.sh ?? "dash";
    this.cwd = init.cwd ?? init.host.home;
    this.vars = new Variables({
      HOME: init.host.home,
      LANG: "C.UTF-8",
      LOGNAME: init.host.user,
      PATH: DEFAULT_PATH,
      PWD: this.cwd,
      SHELL: "/bin/bash",
      SHLVL: "1",
      TERM: "xterm-256color",
      USER: init.host.user,
      ...init.env,
    });
    this.vars.set("HOSTNAME", init.host.name);
    this.vars.set("PS1", init.ps1 ?? DEFAULT_PS1);
  }
}
