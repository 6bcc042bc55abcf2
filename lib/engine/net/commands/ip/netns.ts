/**
 * `ip netns` (iproute2 5.15 ipnetns.c): named network namespaces pinned under
 * `/var/run/netns` (containerd's `cni-<uuid>` ones and those `ip netns add` makes), listed with
 * the id this namespace knows them by (`red (id: 0)`); `exec` runs a program there through the
 * session as nsenter does; `pids` and `identify` go through `/proc/PID/ns/net`; `set` assigns
 * an id. A namespace `ip netns del` unpins dies with it unless a process still holds it.
 *
 * @example
 * ip netns add red
 * ip netns exec red ip link set lo up
 */
import { FsError, type CommandResult } from "../../../shell";
import type { NetStack } from "../../kernel/stack";
import { locationIn, shellSource } from "../context";
import { fail, matches, refused, Words, type IpEnv } from "./common";

const RUN_DIR = "/var/run/netns";

const USAGE = `Usage:	ip netns list
	ip netns add NAME
	ip netns attach NAME PID
	ip netns set NAME NETNSID
	ip [-all] netns delete [NAME]
	ip netns identify [PID]
	ip netns pids NAME
	ip [-all] netns exec [NAME] cmd ...
	ip netns monitor
	ip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]
NETNSID := auto | POSITIVE-INT
`;

/** `ip netns …`; `exec` answers with the program's own result. */
export async function doNetns(env: IpEnv, words: Words): Promise<CommandResult | void> {
  if (!words.more()) return netnsList(env);
  const cmd = words.next();
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) return netnsList(env);
  if (matches(cmd, "help")) fail(USAGE, 255);
  if (matches(cmd, "add")) return netnsAdd(env, words);
  if (matches(cmd, "set")) return netnsSet(env, words);
  if (matches(cmd, "delete")) return netnsDelete(env, words);
  if (matches(cmd, "identify")) return netnsIdentify(env, words);
  if (matches(cmd, "pids")) return netnsPids(env, words);
  if (matches(cmd, "exec")) return netnsExec(env, words);
  if (matches(cmd, "monitor") || matches(cmd, "attach") || cmd === "list-id") fail(`ip: "ip netns ${cmd}" is not simulated here`);
  fail(`Command "${cmd}" is unknown, try "ip netns help".`);
}

/** The names pinned under /var/run/netns, as the directory lists them. */
function pinned(env: IpEnv): string[] {
  return env.ctx.fs.isDirectory(RUN_DIR) ? env.ctx.fs.list(RUN_DIR) : [];
}

/** The namespace `/var/run/netns/NAME` (or a path to it, or to `/proc/PID/ns/net`) pins. */
export function namedStack(env: IpEnv, name: string): NetStack | undefined {
  if (name.includes("/")) {
    const proc = /^\/proc\/(\d+)\/ns\/net$/.exec(name);
    if (proc) return pidStack(env, Number(proc[1]));
    const m = /^(?:\/var)?\/run\/netns\/([^/]+)$/.exec(name);
    return m ? namedStack(env, m[1]) : undefined;
  }
  if (!env.ctx.fs.exists(`${RUN_DIR}/${name}`)) return undefined;
  return env.network.stacksOn(env.stack.host).find((s) => s.name === name);
}

/** The network namespace of a process, through `/proc/PID/ns/net`. */
export function pidStack(env: IpEnv, pid: number | "self"): NetStack | undefined {
  if (pid === "self") return env.stack;
  const inode = netInodeOf(env, `/proc/${pid}/ns/net`);
  return inode === undefined ? undefined : env.network.stackOf(env.stack.host, inode);
}

function netInodeOf(env: IpEnv, path: string): number | undefined {
  let target: string;
  try {
    target = env.ctx.fs.readlink(path);
  } catch (error) {
    if (error instanceof FsError) return undefined;
    throw error;
  }
  const m = /^net:\[(\d+)\]$/.exec(target);
  return m ? Number(m[1]) : undefined;
}

/** `ip netns list`: each pinned name, with `(id: N)` when this namespace has given it one. */
function netnsList(env: IpEnv): void {
  for (const name of pinned(env)) {
    const stack = env.network.stacksOn(env.stack.host).find((s) => s.name === name);
    const id = stack && env.stack.nsids.get(stack.id);
    env.out.push(id === undefined ? `${name}\n` : `${name} (id: ${id})\n`);
  }
}

function needName(words: Words): string {
  if (!words.more()) fail("No netns name specified");
  return words.next();
}

/** `ip netns add NAME`: pins a new namespace (only lo, down) at /var/run/netns/NAME. */
function netnsAdd(env: IpEnv, words: Words): void {
  const name = needName(words);
  if (name === "." || name === ".." || name.includes("/") || name === "") fail(`Invalid netns name "${name}"`);
  const fs = env.ctx.fs;
  const path = `${RUN_DIR}/${name}`;
  if (!fs.isDirectory(RUN_DIR)) fs.mkdirp(RUN_DIR, { mode: 0o755 });
  if (fs.exists(path)) fail(`Cannot create namespace file "${path}": File exists`);
  const host = env.stack.host;
  // A namespace whose pin was removed by hand (rm) lives on only while a process holds it.
  const orphan = env.network.stacksOn(host).find((x) => x.name === name);
  if (orphan && heldByProcess(env, orphan)) fail(`Cannot create namespace file "${path}": Device or resource busy`);
  if (orphan) env.network.deleteNamespace(orphan);
  fs.writeFile(path, "", { mode: 0 });
  env.network.createNamespace({ host, inode: env.network.allocateInode(host), name });
}

/** `ip netns set NAME NETNSID`: gives the namespace an id here (`auto`: the lowest free one). */
function netnsSet(env: IpEnv, words: Words): void {
  const name = needName(words);
  if (!words.more()) fail("No nsid specified");
  const arg = words.next();
  const stack = namedStack(env, name) ?? fail(`Cannot open network namespace "${name}": No such file or directory`);
  if (arg === "auto") {
    env.stack.nsidFor(stack.id);
    return;
  }
  if (!/^\d+$/.test(arg)) fail(`Invalid "netnsid" value "${arg}"`);
  const id = Number(arg);
  if (env.stack.nsids.has(stack.id) || [...env.stack.nsids.values()].includes(id)) refused("File exists");
  env.stack.nsids.set(stack.id, id);
}

/** Whether some process still has the namespace (`/proc/*\/ns/net`), so unpinning it does not end it. */
function heldByProcess(env: IpEnv, stack: NetStack): boolean {
  const fs = env.ctx.fs;
  if (!fs.isDirectory("/proc")) return false;
  return fs.list("/proc").some((pid) => /^\d+$/.test(pid) && netInodeOf(env, `/proc/${pid}/ns/net`) === stack.inode);
}

/** `ip [-all] netns delete [NAME]`: unpins; the namespace dies unless a process holds it. */
function netnsDelete(env: IpEnv, words: Words): void {
  const names = env.opts.all ? pinned(env) : [needName(words)];
  for (const name of names) {
    const path = `${RUN_DIR}/${name}`;
    if (!env.ctx.fs.exists(path)) fail(`Cannot remove namespace file "${path}": No such file or directory`);
    const stack = namedStack(env, name);
    env.ctx.fs.unlink(path);
    if (stack && !heldByProcess(env, stack) && stack !== env.stack) env.network.deleteNamespace(stack);
  }
}

/** `ip netns identify [PID]`: the names pinning the process's namespace (this one by default). */
function netnsIdentify(env: IpEnv, words: Words): void {
  const arg = words.more() ? words.next() : "self";
  if (words.more()) fail("extra arguments specified");
  if (arg !== "self" && !/^\d+$/.test(arg)) fail(`Specified string '${arg}' is not a pid`);
  const stack = pidStack(env, arg === "self" ? "self" : Number(arg)) ?? fail("Cannot open network namespace: No such file or directory");
  for (const name of pinned(env)) if (namedStack(env, name) === stack) env.out.push(`${name}\n`);
}

/** `ip netns pids NAME`: the processes in the namespace, by `/proc/PID/ns/net`. */
function netnsPids(env: IpEnv, words: Words): void {
  const name = needName(words);
  if (words.more()) fail("extra arguments specified");
  const stack = namedStack(env, name) ?? fail("Cannot open network namespace: No such file or directory");
  const fs = env.ctx.fs;
  const pids = fs.isDirectory("/proc") ? fs.list("/proc").filter((p) => /^\d+$/.test(p)).map(Number).sort((a, b) => a - b) : [];
  for (const pid of pids) if (netInodeOf(env, `/proc/${pid}/ns/net`) === stack.inode) env.out.push(`${pid}\n`);
}

/** `ip [-all] netns exec NAME CMD…`: the program runs in the namespace, with the shell's files and commands. */
async function netnsExec(env: IpEnv, words: Words): Promise<CommandResult> {
  if (env.opts.all) return execAll(env, words.rest());
  if (!words.more()) fail("No netns name specified");
  const name = words.next();
  const argv = words.rest();
  if (argv.length === 0) fail("No command specified");
  const stack = namedStack(env, name) ?? fail(`Cannot open network namespace "${name}": No such file or directory`, 255);
  return execIn(env, stack, argv);
}

/** Shells that, run with no arguments, stay open in the namespace (`ip netns exec red bash`). */
const SHELLS = new Set(["bash", "sh", "dash", "ash", "zsh"]);

function execIn(env: IpEnv, stack: NetStack, argv: string[]): Promise<CommandResult> | CommandResult {
  const { ctx } = env;
  const program = argv[0].replace(/^.*\//, "");
  if (!ctx.commands.has(program)) return { stdout: "", stderr: `exec of "${argv[0]}" failed: No such file or directory\n`, exitCode: 1 };
  const location = locationIn(ctx, env.network, stack);
  if (argv.length === 1 && SHELLS.has(program)) {
    ctx.session.pushLocation({ ...location, exitMessage: "exit\n" });
    return { stdout: "", stderr: "", exitCode: 0 };
  }
  return ctx.session.runOn(location, shellSource(argv), ctx.stdin);
}

/** `ip -all netns exec CMD…`: once per pinned namespace, each run headed by its name. */
async function execAll(env: IpEnv, argv: string[]): Promise<CommandResult> {
  if (argv.length === 0) fail("No command specified");
  let stdout = "";
  let stderr = "";
  let exitCode = 0;
  for (const name of pinned(env)) {
    const stack = namedStack(env, name);
    if (!stack) continue;
    stdout += `\nnetns: ${name}\n`;
    const r = await execIn(env, stack, argv);
    stdout += r.stdout;
    stderr += r.stderr;
    if (r.exitCode !== 0) exitCode = r.exitCode;
  }
  return { stdout, stderr, exitCode };
}
