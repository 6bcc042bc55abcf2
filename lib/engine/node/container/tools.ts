/**
 * The tools a container's PID 1 script runs (`while true; do wget -qO- web | grep -c nginx;
 * sleep 5; done`): the terminal's own commands, run from the pod's network namespace with the
 * container's files and environment, on a clock of their own that says how long they took (the
 * script's time moves on by that). Only tools that answer at once run here; a PID 1 has no
 * terminal, so what needs one (`tcpdump`'s capture report, `ip netns exec`) is not among them.
 *
 * @example
 * new ContainerTools({ commands, tools, fs, env, host }).run(["wget", "-qO-", "web"], "", now);
 * // { stdout: "<!DOCTYPE html>…", stderr: "", exitCode: 0, elapsedMs: 2 }
 */
import { CommandRegistry, invokeCommandNow, Variables, type Command, type CommandContext, type CommandResult, type FileSystem, type HostInfo, type ShellControl } from "../../shell";
import { VirtualClock } from "../../util/clock";
import type { ProgramTools } from "../programs/kit";

/**
 * What a script runs as the terminal does: text filters, and the clients it uses to reach others
 * and to look names up. They all answer at once.
 */
const RUN_HERE: ReadonlySet<string> = new Set([
  "cat", "grep", "head", "tail", "wc", "tee", "cut", "sort", "uniq", "tr", "sed", "awk", "base64", "seq",
  "wget", "curl", "nc", "ping", "traceroute", "nslookup", "dig", "host", "getent",
]);

export interface ContainerToolsInit {
  /** Every command a container could have. */
  commands: readonly Command[];
  /** The programs this container's image ships. */
  tools: ReadonlySet<string>;
  fs: FileSystem;
  env: Readonly<Record<string, string>>;
  host: HostInfo;
}

export class ContainerTools implements ProgramTools {
  constructor(private readonly init: ContainerToolsInit) {}

  run(argv: readonly string[], stdin: string, now: number): (CommandResult & { elapsedMs: number }) | undefined {
    const name = (argv[0] ?? "").replace(/^.*\//, "");
    if (!RUN_HERE.has(name) || !this.init.tools.has(name)) return undefined;
    const command = this.init.commands.find((c) => c.name === name);
    if (!command) return undefined;
    const clock = new VirtualClock(now);
    const result = invokeCommandNow(command, argv.slice(1), this.context(stdin, clock));
    return { ...result, elapsedMs: clock.now() - now };
  }

  private context(stdin: string, clock: VirtualClock): CommandContext {
    const { fs, env, host, commands, tools } = this.init;
    const lines = stdin.split("\n");
    return {
      stdin,
      readLine: () => (lines.length > 1 || lines[0] !== "" ? lines.shift()! : null),
      env: new Variables({ ...env }),
      cwd: "/",
      fs,
      clock,
      host,
      session: NO_SHELL,
      commands: new CommandRegistry(commands.filter((c) => tools.has(c.name))),
      terminal: { isTerminal: false, columns: 80 },
      resolve: (path) => (path.startsWith("/") ? path : `/${path}`),
      exec: () => Promise.reject(new Error("a container's PID 1 runs one tool at a time")),
    };
  }
}

/** What a PID 1 lacks: the client tools never ask a shell for anything, so asking is a bug. */
const refuse = (): never => {
  throw new Error("a container's PID 1 has no interactive shell");
};
const NO_SHELL: ShellControl = {
  get options() {
    return refuse();
  },
  get lastStatus() {
    return 0;
  },
  get sh() {
    return "ash" as const;
  },
  chdir: refuse,
  pushLocation: refuse,
  history: refuse,
  clearHistory: refuse,
  exit: refuse,
  loopControl: refuse,
  runScript: refuse,
  runOn: refuse,
  startProgram: refuse,
  afterNextCommand: refuse,
};
