/**
 * `iptables-restore` (iptables-nft-restore v1.8.7): applies a dump from standard input or a
 * file, one table per transaction; an error reports its line and applies nothing of that table.
 * `-n`/`--noflush` keeps what is there, `-c` takes counters, `-t` only checks, `-T` restores one
 * table; `-w`/`-W` are accepted and ignored, as iptables-nft ignores them.
 *
 * @example
 * iptables-save > /tmp/rules && iptables-restore < /tmp/rules
 */
import { FsError, type Command, type CommandContext, type CommandResult } from "../../../shell";
import { restoreTables } from "../../netfilter/restore";
import { currentStack } from "../context";
import { resolveHost } from "../userland";
import { getopt, type GetoptOption } from "./getopt";

const OPTIONS: readonly GetoptOption[] = [
  { short: "b", arg: 0, key: "binary" },
  { short: "c", long: "counters", arg: 0, key: "counters" },
  { short: "v", long: "verbose", arg: 0, key: "verbose" },
  { short: "V", long: "version", arg: 0, key: "version" },
  { short: "t", long: "test", arg: 0, key: "test" },
  { short: "h", long: "help", arg: 0, key: "help" },
  { short: "n", long: "noflush", arg: 0, key: "noflush" },
  { short: "M", long: "modprobe", arg: 1, key: "modprobe" },
  { short: "T", long: "table", arg: 1, key: "table" },
  { short: "4", long: "ipv4", arg: 0, key: "ipv4" },
  { short: "6", long: "ipv6", arg: 0, key: "ipv6" },
  { short: "w", long: "wait", arg: 2, key: "wait" },
  { short: "W", long: "wait-interval", arg: 2, key: "wait-interval" },
];

const USAGE = `Usage: iptables-restore [-c] [-v] [-V] [-t] [-h] [-n] [-w secs] [-W usecs] [-T table] [-M command] [-4] [-6] [file]
\t   [ --counters ]
\t   [ --verbose ]
\t   [ --version]
\t   [ --test ]
\t   [ --help ]
\t   [ --noflush ]
\t   [ --wait=<seconds>
\t   [ --wait-interval=<usecs>
\t   [ --table=<TABLE> ]
\t   [ --modprobe=<command> ]
\t   [ --ipv4 ]
\t   [ --ipv6 ]
`;

function run(argv: readonly string[], ctx: CommandContext): CommandResult {
  const parsed = getopt("iptables-restore", argv, OPTIONS);
  if ("error" in parsed) return { stdout: "", stderr: `${parsed.error}Try \`iptables-restore -h' for more information.\n`, exitCode: 1 };
  let stderr = "";
  const flags = new Set<string>();
  let table: string | undefined;
  for (const [key, value] of parsed.options) {
    if (key === "binary") stderr += "-b/--binary option is not implemented\n";
    else if (key === "version") return { stdout: "iptables-restore v1.8.7 (nf_tables)\n", stderr, exitCode: 0 };
    else if (key === "help") return { stdout: "", stderr: stderr + USAGE, exitCode: 0 };
    else if (key === "table") table = value;
    else flags.add(key);
  }
  let input = ctx.stdin;
  if (parsed.operands.length > 1) return { stdout: "", stderr: `${stderr}Unknown arguments found on commandline\n`, exitCode: 1 };
  if (parsed.operands.length === 1) {
    try {
      input = ctx.fs.readFile(ctx.resolve(parsed.operands[0]));
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      return { stdout: "", stderr: `${stderr}Can't open ${parsed.operands[0]}: ${error.reason}\n`, exitCode: 1 };
    }
  }
  const stack = currentStack(ctx);
  if (!stack || ctx.host.uid !== 0) {
    return { stdout: "", stderr: `${stderr}iptables-restore v1.8.7 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n\n`, exitCode: 4 };
  }
  // IPv6 (-6) is ip6tables-restore's: this one has nothing to apply it to.
  if (flags.has("ipv6")) return { stdout: "", stderr, exitCode: 0 };
  const result = restoreTables(stack, input, {
    noflush: flags.has("noflush"),
    counters: flags.has("counters"),
    test: flags.has("test"),
    table,
    resolveHost: (name) => resolveHost(ctx, name),
  });
  const comments = flags.has("verbose") ? input.split("\n").filter((l) => l.startsWith("#")).map((l) => `${l}\n`).join("") : "";
  if (result.error) return { stdout: comments + result.output, stderr: stderr + result.error.message, exitCode: result.error.status };
  return { stdout: comments + result.output, stderr, exitCode: 0 };
}

export const iptablesRestoreCommand: Command = {
  name: "iptables-restore",
  summary: "restore iptables rules",
  usage: "iptables-restore [-chntvV] [-w secs] [-W usecs] [-M modprobe] [-T name] [file]",
  description: "Restore IP tables from data read from standard input or a file, one table at a time.",
  path: "/usr/sbin/iptables-restore",
  spec: { raw: true, flags: [] },
  run: (args, ctx) => run(args.operands, ctx),
};
