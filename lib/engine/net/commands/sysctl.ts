/**
 * `sysctl` (procps-ng 3.3.17): reads and writes kernel parameters. `net.*` keys are the
 * namespace's own (a pod's `sysctl net.ipv4.ip_forward` answers for the pod), everything else
 * comes from `/proc/sys` of the location's file system. `-w KEY=VALUE` (or `KEY=VALUE`) writes,
 * `-n` prints values only, `-a` lists every key, `-p [FILE]` applies a file.
 *
 * @example
 * sysctl -w net.ipv4.ip_forward=1
 */
import { FsError, type Command, type CommandContext, type CommandResult } from "../../shell";
import { readSysctl, sysctlEntries, writeSysctl } from "../kernel/sysctl";
import type { NetStack } from "../kernel/stack";
import { currentStack } from "./context";

/** `net/ipv4/ip_forward` and `net.ipv4.ip_forward` name the same key. */
function keyOf(arg: string): string {
  return arg.includes("/") && !arg.startsWith("net.") ? arg.replace(/^\/?(proc\/sys\/)?/, "").replace(/\./g, "\u0000").replace(/\//g, ".").replace(/\u0000/g, "/") : arg;
}

function procPath(key: string): string {
  return `/proc/sys/${key.replace(/\./g, "/")}`;
}

interface Outcome {
  out: string;
  err: string;
  failed: boolean;
}

function read(ctx: CommandContext, stack: NetStack | undefined, key: string, valuesOnly: boolean): Outcome {
  let value: string | undefined;
  if (key.startsWith("net.") && stack) value = readSysctl(stack, key);
  else if (ctx.fs.isFile(procPath(key))) value = ctx.fs.readFile(procPath(key)).replace(/\n$/, "");
  if (value === undefined) return { out: "", err: `sysctl: cannot stat ${procPath(key)}: No such file or directory\n`, failed: true };
  return { out: valuesOnly ? `${value}\n` : `${key} = ${value}\n`, err: "", failed: false };
}

function write(ctx: CommandContext, stack: NetStack | undefined, setting: string, valuesOnly: boolean, quiet: boolean): Outcome {
  const eq = setting.indexOf("=");
  if (eq <= 0) return { out: "", err: `sysctl: "${setting}" must be of the form name=value\n`, failed: true };
  const key = keyOf(setting.slice(0, eq).trim());
  const value = setting.slice(eq + 1).trim();
  let errno: string | undefined;
  if (key.startsWith("net.") && stack) errno = writeSysctl(stack, key, value);
  else if (!ctx.fs.isFile(procPath(key))) errno = "ENOENT";
  else {
    try {
      ctx.fs.writeFile(procPath(key), `${value}\n`);
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      errno = "EACCES";
    }
  }
  if (errno === "ENOENT") return { out: "", err: `sysctl: cannot stat ${procPath(key)}: No such file or directory\n`, failed: true };
  if (errno === "EINVAL") return { out: "", err: `sysctl: setting key "${key}": Invalid argument\n`, failed: true };
  if (errno) return { out: "", err: `sysctl: permission denied on key "${key}"\n`, failed: true };
  if (quiet) return { out: "", err: "", failed: false };
  const shown = key.startsWith("net.") && stack ? readSysctl(stack, key)! : value;
  return { out: valuesOnly ? `${shown}\n` : `${key} = ${shown}\n`, err: "", failed: false };
}

function run(ctx: CommandContext, argv: readonly string[]): CommandResult {
  const stack = currentStack(ctx);
  let writeMode = false;
  let valuesOnly = false;
  let quiet = false;
  let ignore = false;
  let all = false;
  let load: string | undefined;
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-w" || a === "--write") writeMode = true;
    else if (a === "-n" || a === "--values") valuesOnly = true;
    else if (a === "-q" || a === "--quiet") quiet = true;
    else if (a === "-e" || a === "--ignore") ignore = true;
    else if (a === "-a" || a === "-A" || a === "-X" || a === "--all") all = true;
    else if (a === "-p" || a === "--load") load = argv[i + 1] !== undefined && !argv[i + 1].startsWith("-") ? argv[++i] : "/etc/sysctl.conf";
    else if (a.startsWith("--load=")) load = a.slice(7);
    else if (a === "-V" || a === "--version") return { stdout: "sysctl from procps-ng 3.3.17\n", stderr: "", exitCode: 0 };
    else if (a === "-h" || a === "--help") return { stdout: USAGE, stderr: "", exitCode: 0 };
    else if (a === "--system") return { stdout: "", stderr: "sysctl: --system is not simulated here; use sysctl -p FILE\n", exitCode: 1 };
    else if (a.startsWith("-") && a !== "-") return { stdout: "", stderr: `sysctl: invalid option -- '${a.replace(/^-+/, "")[0]}'\n${USAGE}`, exitCode: 1 };
    else operands.push(a);
  }
  let out = "";
  let err = "";
  // procps sums the failures into its exit status.
  let failures = 0;
  const add = (o: Outcome) => {
    out += o.out;
    if (!(ignore && o.failed)) err += o.err;
    if (o.failed && !ignore) failures++;
  };
  if (all) {
    for (const [key, value] of stack ? sysctlEntries(stack) : []) out += valuesOnly ? `${value}\n` : `${key} = ${value}\n`;
    return { stdout: out, stderr: "", exitCode: 0 };
  }
  if (load !== undefined) {
    if (!ctx.fs.isFile(ctx.resolve(load))) return { stdout: "", stderr: `sysctl: cannot open "${load}": No such file or directory\n`, exitCode: 1 };
    for (const raw of ctx.fs.readFile(ctx.resolve(load)).split("\n")) {
      const line = raw.trim();
      if (!line || line.startsWith("#") || line.startsWith(";")) continue;
      // A leading `-` means: ignore this key's errors.
      const lenient = line.startsWith("-");
      const o = write(ctx, stack, lenient ? line.slice(1) : line, valuesOnly, quiet);
      add(lenient && o.failed ? { ...o, err: "", failed: false } : o);
    }
    return { stdout: out, stderr: err, exitCode: Math.min(failures, 255) };
  }
  if (operands.length === 0) return { stdout: "", stderr: `sysctl: no variables specified\n${USAGE}`, exitCode: 1 };
  for (const arg of operands) {
    if (writeMode || arg.includes("=")) add(write(ctx, stack, arg, valuesOnly, quiet));
    else add(read(ctx, stack, keyOf(arg), valuesOnly));
  }
  return { stdout: out, stderr: err, exitCode: Math.min(failures, 255) };
}

const USAGE = `
Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
`;

export const sysctlCommand: Command = {
  name: "sysctl",
  summary: "configure kernel parameters at runtime",
  usage: "sysctl [options] [variable[=value] ...]",
  path: "/usr/sbin/sysctl",
  spec: { flags: [], raw: true },
  run: (args, ctx) => run(ctx, args.operands),
};
