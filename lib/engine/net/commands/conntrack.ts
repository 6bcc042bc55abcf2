/**
 * `conntrack` (conntrack-tools 1.4.6): the namespace's connection tracking table. `-L` lists
 * (libnetfilter_conntrack's default line format, summary on stderr), `-C` counts, `-D` deletes
 * what matches (printing it), `-F` flushes. Filters: `-p`, `-s/--orig-src`, `-d/--orig-dst`,
 * `-r/--reply-src`, `-q/--reply-dst`, `--sport/--orig-port-src`, `--dport/--orig-port-dst`,
 * `--reply-port-src`, `--reply-port-dst` (after `-p tcp|udp`), `--state` (tcp), `-m/--mark`,
 * `-n/--src-nat`, `-g/--dst-nat`; `-o extended` adds the layer-3 columns.
 *
 * @example
 * conntrack -L -p tcp --dport 80
 * // tcp      6 117 TIME_WAIT src=10.244.1.5 dst=10.96.12.34 sport=40312 dport=80 src=10.244.2.7 dst=10.244.1.5 sport=80 dport=40312 [ASSURED] mark=0 use=1
 * // conntrack v1.4.6 (conntrack-tools): 1 flow entries have been shown.
 */
import type { Command, CommandResult } from "../../shell";
import { parseIP } from "../../util/ipv4";
import { formatEntry } from "../conntrack/format";
import { ctExpire } from "../conntrack/table";
import type { ConntrackEntry } from "../conntrack/types";
import { currentStack } from "./context";

const PROGNAME = "conntrack v1.4.6 (conntrack-tools)";
const TRY = "Try `conntrack -h' or 'conntrack --help' for more information.\n";

const USAGE = `Command line interface for the connection tracking system. Version 1.4.6
Usage: conntrack [commands] [options]

Commands:
  -L [table] [options]\t\tList conntrack or expectation table
  -G [table] parameters\t\tGet conntrack or expectation
  -D [table] parameters\t\tDelete conntrack or expectation
  -I [table] parameters\t\tCreate a conntrack or expectation
  -U [table] parameters\t\tUpdate a conntrack
  -E [table] [options]\t\tShow events
  -F [table]\t\t\tFlush table
  -C [table]\t\t\tShow counter
  -S\t\t\t\tShow statistics

Tables: conntrack, expect, dying, unconfirmed

Conntrack parameters and options:
  -n, --src-nat ip\t\t\tsource NAT ip
  -g, --dst-nat ip\t\t\tdestination NAT ip
  -j, --any-nat ip\t\t\tsource or destination NAT ip
  -m, --mark mark\t\t\tSet mark
  -c, --secmark secmark\t\t\tSet selinux secmark
  -e, --event-mask eventmask\t\tEvent mask, eg. NEW,DESTROY
  -z, --zero \t\t\t\tZero counters while listing
  -o, --output type[,...]\t\tOutput format, eg. xml
  -l, --label label[,...]\t\tconntrack labels

Expectation parameters and options:
  --tuple-src ip\tSource address in expect tuple
  --tuple-dst ip\tDestination address in expect tuple

Updating parameters and options:
  --label-add label\tAdd label
  --label-del label\tDelete label

Common parameters and options:
  -s, --src, --orig-src ip\t\tSource address from original direction
  -d, --dst, --orig-dst ip\t\tDestination address from original direction
  -r, --reply-src ip\t\tSource addres from reply direction
  -q, --reply-dst ip\t\tDestination address from reply direction
  -p, --protonum proto\t\tLayer 4 Protocol, eg. 'tcp'
  -f, --family proto\t\tLayer 3 Protocol, eg. 'ipv6'
  -t, --timeout timeout\t\tSet timeout
  -u, --status status\t\tSet status, eg. ASSURED
  -w, --zone value\t\tSet conntrack zone
  --orig-zone value\t\tSet zone for original direction
  --reply-zone value\t\tSet zone for reply direction
  -b, --buffer-size\t\tNetlink socket buffer size
  --mask-src ip\t\t\tSource mask address
  --mask-dst ip\t\t\tDestination mask address

Layer 4 Protocol common parameters and options:
  --sport, --orig-port-src port\t\tSource port in original direction
  --dport, --orig-port-dst port\t\tDestination port in original direction
`;

type Cmd = "list" | "count" | "delete" | "flush";

interface Filter {
  protocol?: "tcp" | "udp" | "icmp";
  origSrc?: number;
  origDst?: number;
  replySrc?: number;
  replyDst?: number;
  sport?: number;
  dport?: number;
  replySport?: number;
  replyDport?: number;
  state?: string;
  mark?: number;
  /** -n/-g without an address: any SNAT/DNAT; with one: translated to it. */
  snat?: number | true;
  dnat?: number | true;
}

const problem = (message: string): CommandResult => ({ stdout: "", stderr: `${PROGNAME}: ${message}\n${TRY}`, exitCode: 2 });

const COMMANDS: Record<string, Cmd> = { "-L": "list", "--dump": "list", "-C": "count", "--count": "count", "-D": "delete", "--delete": "delete", "-F": "flush", "--flush": "flush" };
const ADDRESS_OPTIONS: Record<string, "origSrc" | "origDst" | "replySrc" | "replyDst"> = {
  "-s": "origSrc", "--src": "origSrc", "--orig-src": "origSrc", "-d": "origDst", "--dst": "origDst", "--orig-dst": "origDst",
  "-r": "replySrc", "--reply-src": "replySrc", "-q": "replyDst", "--reply-dst": "replyDst",
};
const PORT_OPTIONS: Record<string, "sport" | "dport" | "replySport" | "replyDport"> = {
  "--sport": "sport", "--orig-port-src": "sport", "--dport": "dport", "--orig-port-dst": "dport", "--reply-port-src": "replySport", "--reply-port-dst": "replyDport",
};
const TCP_STATES = new Set(["NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "LISTEN"]);

function matches(e: ConntrackEntry, f: Filter): boolean {
  if (f.protocol && e.protocol !== f.protocol) return false;
  if (f.origSrc !== undefined && e.original.src !== f.origSrc) return false;
  if (f.origDst !== undefined && e.original.dst !== f.origDst) return false;
  if (f.replySrc !== undefined && e.reply.src !== f.replySrc) return false;
  if (f.replyDst !== undefined && e.reply.dst !== f.replyDst) return false;
  if (f.sport !== undefined && e.original.sport !== f.sport) return false;
  if (f.dport !== undefined && e.original.dport !== f.dport) return false;
  if (f.replySport !== undefined && e.reply.sport !== f.replySport) return false;
  if (f.replyDport !== undefined && e.reply.dport !== f.replyDport) return false;
  if (f.state && e.tcpState !== f.state) return false;
  if (f.mark !== undefined && e.mark !== f.mark) return false;
  const snatted = e.reply.dst !== e.original.src;
  const dnatted = e.reply.src !== e.original.dst;
  if (f.snat === true ? !snatted : f.snat !== undefined && !(snatted && e.reply.dst === f.snat)) return false;
  if (f.dnat === true ? !dnatted : f.dnat !== undefined && !(dnatted && e.reply.src === f.dnat)) return false;
  return true;
}

export const conntrackCommand: Command = {
  name: "conntrack",
  summary: "command line interface for netfilter connection tracking",
  usage: "conntrack [commands] [options]",
  path: "/usr/sbin/conntrack",
  spec: { flags: [], raw: true },
  run(args, ctx) {
    const argv = args.argv;
    let command: Cmd | undefined;
    const filter: Filter = {};
    let extended = false;
    for (let i = 0; i < argv.length; i++) {
      const word = argv[i];
      const eq = word.indexOf("=");
      const [name, attached] = word.startsWith("--") && eq > 0 ? [word.slice(0, eq), word.slice(eq + 1)] : [word, undefined];
      const value = () => attached ?? argv[++i];
      if (name === "-h" || name === "--help") return { stdout: USAGE, stderr: "", exitCode: 0 };
      if (name === "-V" || name === "--version") return { stdout: `${PROGNAME}\n`, stderr: "", exitCode: 0 };
      if (COMMANDS[name]) {
        if (command) return problem("Invalid commands combination");
        command = COMMANDS[name];
        // An optional table name follows the command (`-L conntrack`).
        const table = argv[i + 1];
        if (table !== undefined && !table.startsWith("-")) {
          if (!["conntrack", "expect", "dying", "unconfirmed"].some((t) => t.startsWith(table))) return problem(`unknown type \`${table}'`);
          if (!"conntrack".startsWith(table)) return problem(`the ${table} table is not simulated in this lab`);
          i++;
        }
        continue;
      }
      if (ADDRESS_OPTIONS[name]) {
        const text = value();
        const ip = text === undefined ? undefined : parseIP(text);
        if (ip === undefined) return problem(`Invalid IP address \`${text ?? ""}'.`);
        filter[ADDRESS_OPTIONS[name]] = ip;
        continue;
      }
      if (name === "-p" || name === "--protonum" || name === "--proto") {
        const proto = (value() ?? "").toLowerCase();
        const known = { tcp: "tcp", "6": "tcp", udp: "udp", "17": "udp", icmp: "icmp", "1": "icmp" } as const;
        if (!(proto in known)) return problem(`\`${proto}' unsupported protocol`);
        filter.protocol = known[proto as keyof typeof known];
        continue;
      }
      if (PORT_OPTIONS[name]) {
        if (filter.protocol !== "tcp" && filter.protocol !== "udp") return { stdout: "", stderr: `conntrack: unrecognized option '${name}'\n${TRY}`, exitCode: 2 };
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65535) return problem(`invalid port \`${argv[i]}'`);
        filter[PORT_OPTIONS[name]] = port;
        continue;
      }
      if (name === "--state") {
        const state = (value() ?? "").toUpperCase();
        if (filter.protocol !== "tcp") return { stdout: "", stderr: `conntrack: unrecognized option '--state'\n${TRY}`, exitCode: 2 };
        if (!TCP_STATES.has(state)) return problem(`unknown state \`${state}'`);
        filter.state = state;
        continue;
      }
      if (name === "-m" || name === "--mark") {
        const mark = Number(value());
        if (!Number.isInteger(mark) || mark < 0) return problem(`Bad parameter \`${argv[i]}'`);
        filter.mark = mark;
        continue;
      }
      if (name === "-n" || name === "--src-nat" || name === "-g" || name === "--dst-nat") {
        const key = name === "-n" || name === "--src-nat" ? "snat" : "dnat";
        const next = attached ?? (argv[i + 1] !== undefined && !argv[i + 1].startsWith("-") ? argv[++i] : undefined);
        const ip = next === undefined ? true : parseIP(next);
        if (ip === undefined) return problem(`Invalid IP address \`${next}'.`);
        filter[key] = ip;
        continue;
      }
      if (name === "-o" || name === "--output") {
        const formats = (value() ?? "").split(",");
        for (const f of formats) if (!["extended", "xml", "timestamp", "id", "ktimestamp", "labels", "userspace"].includes(f)) return problem(`Bad parameter \`${f}'`);
        if (formats.some((f) => f !== "extended")) return problem(`output format \`${formats.join(",")}' is not simulated in this lab`);
        extended = true;
        continue;
      }
      if (name === "-f" || name === "--family") {
        const family = value();
        if (family !== "ipv4") return problem(family === "ipv6" ? "IPv6 is not simulated in this lab" : `Unknown protocol family \`${family}'`);
        continue;
      }
      if (name.startsWith("-")) return { stdout: "", stderr: `conntrack: ${name.startsWith("--") ? `unrecognized option '${name}'` : `invalid option -- '${name.slice(1, 2)}'`}\n${TRY}`, exitCode: 2 };
      return problem(`Bad argument \`${word}'`);
    }
    if (!command) return problem("no command specified");
    const stack = currentStack(ctx);
    if (!stack) return { stdout: "", stderr: `${PROGNAME}: Operation failed: Operation not permitted\n`, exitCode: 1 };
    const table = stack.conntrack;
    const now = ctx.clock.now();
    ctExpire(table, now);
    const line = (e: ConntrackEntry) => `${extended ? "ipv4     2 " : ""}${formatEntry(e, now)}\n`;
    switch (command) {
      case "count":
        return { stdout: `${table.entries.length}\n`, stderr: "", exitCode: 0 };
      case "flush":
        table.entries = [];
        return { stdout: "", stderr: `${PROGNAME}: connection tracking table has been emptied.\n`, exitCode: 0 };
      case "list": {
        const shown = table.entries.filter((e) => matches(e, filter));
        return { stdout: shown.map(line).join(""), stderr: `${PROGNAME}: ${shown.length} flow entries have been shown.\n`, exitCode: 0 };
      }
      case "delete": {
        const gone = table.entries.filter((e) => matches(e, filter));
        table.entries = table.entries.filter((e) => !gone.includes(e));
        return { stdout: gone.map(line).join(""), stderr: `${PROGNAME}: ${gone.length} flow entries have been deleted.\n`, exitCode: gone.length === 0 ? 1 : 0 };
      }
    }
  },
};
