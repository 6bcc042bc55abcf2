/**
 * `ipset` v7.15 (Ubuntu 22.04): create, fill, test, list and destroy the namespace's ipsets,
 * the sets Calico's policy rules and kube-proxy's IPVS mode match packets against with
 * `-m set --match-set`. Commands by name or by their letters (`-N`, `-A`, `-L`…), `-exist` to
 * ignore what already is (or is not) there, `-n`/`-t` for names or headers only, `-o save`.
 *
 * @example
 * ipset create allow hash:net && ipset add allow 10.244.0.0/16 && ipset list allow
 */
import type { Command, CommandContext, CommandResult } from "../../shell";
import type { NetStack } from "../kernel/stack";
import { addEntry, createSet, deleteEntry, destroySet, flushSet, IPSET_REVISIONS, IpSetError, setReferences, testEntry, type IpSet } from "../netfilter/ipset";
import { currentStack } from "./context";

const VERSION = "ipset v7.15";

/** Commands with their short letters, as ipset's command table spells them. */
const COMMANDS: readonly { name: string; letters: readonly string[] }[] = [
  { name: "create", letters: ["n", "N"] },
  { name: "add", letters: ["A"] },
  { name: "del", letters: ["D"] },
  { name: "test", letters: ["T"] },
  { name: "destroy", letters: ["x", "X"] },
  { name: "list", letters: ["L"] },
  { name: "save", letters: ["S"] },
  { name: "flush", letters: ["F"] },
  { name: "help", letters: ["h", "H"] },
  { name: "version", letters: ["v", "V"] },
];

const HELP = `${VERSION}

Usage: ipset [options] COMMAND

Commands:
create SETNAME TYPENAME [type-specific-options]
        Create a new set
add SETNAME ENTRY
        Add entry to the named set
del SETNAME ENTRY
        Delete entry from the named set
test SETNAME ENTRY
        Test entry in the named set
destroy [SETNAME]
        Destroy a named set or all sets
list [SETNAME]
        List the entries of a named set or all sets
save [SETNAME]
        Save the named set or all sets to stdout
flush [SETNAME]
        Flush a named set or all sets
help [TYPENAME]
        Print help, and settype specific help
version
        Print version information

Options:
-o plain|save|xml
       Specify output mode for listing sets.
       Default value for "list" command is mode "plain"
       and for "save" command is mode "save".
-s
        Print elements sorted (if supported by the set type).
-q
        Suppress any notice or warning message.
-r
        Try to resolve IP addresses in the output (slow!)
-! -exist
        Ignore errors when creating or adding sets or
        elements that do exist or when deleting elements
        that don't exist.
-n
        When listing, just list setnames from the kernel.

-t
        When listing, list setnames and set headers
        from kernel only.
-f
        Read from the given file instead of standard
        input (restore) or write to given file (save).
`;

/** A command line ipset refuses before asking the kernel (followed by the `ipset help` hint). */
class UsageError extends Error {}

/** The parameters `create` prints back in `Header:` and `ipset save`. */
function headerOf(set: IpSet): string {
  if (set.type === "bitmap:port") return `range ${set.range!.lo}-${set.range!.hi}`;
  return `family inet hashsize ${set.hashsize} maxelem ${set.maxelem} bucketsize 12 initval 0x${set.initval.toString(16).padStart(8, "0")}`;
}

/** An estimate of the kernel's accounting (ip_set's memsize): the table, plus each element. */
function memsize(set: IpSet): number {
  if (set.type === "bitmap:port") return 88 + Math.ceil((set.range!.hi - set.range!.lo + 1) / 8);
  const elem = set.type === "hash:ip" ? 16 : set.type === "hash:net" || set.type === "hash:ip,port" ? 24 : 32;
  return 200 + set.entries.size * elem;
}

function listSet(stack: NetStack, set: IpSet, mode: "plain" | "terse" | "names"): string {
  if (mode === "names") return `${set.name}\n`;
  let out = `Name: ${set.name}\nType: ${set.type}\nRevision: ${IPSET_REVISIONS[set.type]}\nHeader: ${headerOf(set)}\nSize in memory: ${memsize(set)}\nReferences: ${setReferences(stack, set.name)}\nNumber of entries: ${set.entries.size}\n`;
  if (mode === "terse") return out;
  out += "Members:\n";
  for (const key of set.entries.keys()) out += `${key}\n`;
  return out;
}

function saveSet(set: IpSet): string {
  return `create ${set.name} ${set.type} ${headerOf(set)}\n${[...set.entries.keys()].map((k) => `add ${set.name} ${k}\n`).join("")}`;
}

function need(args: string[], what: string): string {
  const v = args.shift();
  if (v === undefined) throw new UsageError(`Syntax error: ${what}`);
  return v;
}

/** `create NAME TYPE [family inet] [hashsize N] [maxelem N] [range lo-hi]`. */
function create(stack: NetStack, args: string[], exist: boolean): void {
  const name = need(args, "Missing setname");
  const type = need(args, "Missing settype");
  let hashsize: number | undefined;
  let maxelem: number | undefined;
  let range: { lo: number; hi: number } | undefined;
  while (args.length) {
    const opt = args.shift()!;
    const value = () => need(args, `Missing mandatory argument of option '${opt}'`);
    if (opt === "family") {
      const family = value();
      if (family !== "inet" && family !== "ipv4") throw new UsageError(`Syntax error: Unknown family ${family}`);
    } else if (opt === "hashsize" || opt === "maxelem") {
      const v = value();
      const n = /^\d+$/.test(v) ? Number(v) : NaN;
      if (!(n > 0 && n <= 0xffffffff)) throw new UsageError(`Syntax error: '${v}' is invalid as number`);
      if (opt === "hashsize") hashsize = n;
      else maxelem = n;
    } else if (opt === "range" && type === "bitmap:port") {
      const m = /^(\d+)[-:](\d+)$/.exec(value());
      if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) > 65535) throw new UsageError("Syntax error: Invalid port range");
      range = { lo: Number(m[1]), hi: Number(m[2]) };
    } else {
      throw new UsageError(`Syntax error: Unknown argument: \`${opt}'`);
    }
  }
  createSet(stack, { name, type, hashsize, maxelem, range, exist });
}

function run(argv: readonly string[], ctx: CommandContext): CommandResult {
  const stack = currentStack(ctx);
  const args: string[] = [];
  let exist = false;
  let quiet = false;
  let mode: "plain" | "terse" | "names" | "save" = "plain";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-exist" || a === "-!" || a === "--exist") exist = true;
    else if (a === "-q" || a === "-quiet" || a === "--quiet") quiet = true;
    else if (a === "-n" || a === "-name" || a === "--name") mode = "names";
    else if (a === "-t" || a === "-terse" || a === "--terse") mode = "terse";
    else if (a === "-s" || a === "-sorted" || a === "-r" || a === "-resolve") continue;
    else if (a === "-o" || a === "-output" || a === "--output") {
      const out = argv[++i];
      if (out === "save") mode = "save";
      else if (out !== "plain") return syntax(`Syntax error: Unknown output mode '${out ?? ""}'`);
    } else if (/^-[A-Za-z]$/.test(a) && COMMANDS.some((c) => c.letters.includes(a[1])) && args.length === 0) args.push(COMMANDS.find((c) => c.letters.includes(a[1]))!.name);
    else args.push(a);
  }
  const word = args.shift();
  if (word === undefined) return syntax("No command specified.");
  const found = COMMANDS.filter((c) => c.name.startsWith(word));
  if (found.length !== 1) return syntax(`No command specified: unknown argument ${word}`);
  const command = found[0].name;
  if (command === "help") return { stdout: HELP, stderr: "", exitCode: 0 };
  if (command === "version") return { stdout: `${VERSION}, protocol version: 7\n`, stderr: "", exitCode: 0 };
  if (!stack || ctx.host.uid !== 0) return { stdout: "", stderr: `${VERSION}: Kernel error received: Operation not permitted\n`, exitCode: 1 };
  try {
    switch (command) {
      case "create":
        create(stack, args, exist);
        break;
      case "add":
      case "del":
      case "test": {
        const name = need(args, "Missing setname");
        const entry = need(args, `Missing mandatory argument to command ${command}`);
        if (command === "add") addEntry(stack, name, entry, exist);
        else if (command === "del") deleteEntry(stack, name, entry, exist);
        else if (testEntry(stack, name, entry)) return { stdout: "", stderr: quiet ? "" : `Warning: ${entry} is in set ${name}.\n`, exitCode: 0 };
        else return { stdout: "", stderr: quiet ? "" : `${entry} is NOT in set ${name}.\n`, exitCode: 1 };
        break;
      }
      case "destroy":
        destroySet(stack, args.shift());
        break;
      case "flush":
        flushSet(stack, args.shift());
        break;
      case "list":
      case "save": {
        const name = args.shift();
        const sets = name === undefined ? [...stack.ipsets.values()] : [stack.ipsets.get(name)];
        if (sets.some((s) => !s)) throw new IpSetError("The set with the given name does not exist");
        const out = (command === "save" || mode === "save")
          ? (sets as IpSet[]).map(saveSet).join("")
          : (sets as IpSet[]).map((s) => listSet(stack, s, mode as "plain" | "terse" | "names")).join(mode === "names" ? "" : "\n");
        return { stdout: out, stderr: "", exitCode: 0 };
      }
    }
    if (args.length) return syntax(`Syntax error: Unknown argument: \`${args[0]}'`);
    return { stdout: "", stderr: "", exitCode: 0 };
  } catch (error) {
    if (error instanceof UsageError) return syntax(error.message);
    if (error instanceof IpSetError) {
      const syntaxError = error.message.startsWith("Syntax error");
      return { stdout: "", stderr: `${VERSION}: ${error.message}\n${syntaxError ? "Try `ipset help' for more information.\n" : ""}`, exitCode: 1 };
    }
    throw error;
  }
}

function syntax(message: string): CommandResult {
  return { stdout: "", stderr: `${VERSION}: ${message}\nTry \`ipset help' for more information.\n`, exitCode: 1 };
}

export const ipsetCommand: Command = {
  name: "ipset",
  summary: "administration tool for IP sets",
  usage: "ipset [ OPTIONS ] COMMAND [ COMMAND-OPTIONS ]",
  description: "Set up, maintain and inspect the IP sets of the namespace (hash:ip, hash:net, hash:ip,port and kin, bitmap:port).",
  path: "/usr/sbin/ipset",
  spec: { raw: true, flags: [] },
  run: (args, ctx) => run(args.operands, ctx),
};
