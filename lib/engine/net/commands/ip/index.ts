/**
 * `ip` from iproute2 5.15 (Ubuntu 22.04), on the namespace the shell location is in: global
 * options (`-d`, `-s`, `-br`, `-c`, `-4`/`-6`/`-0`, `-o`, `-n NETNS`, `-a`, `-V`), then an
 * object matched by prefix as iproute2 matches it (`ip a`, `ip r`, `ip n`, `ip l`, `ip ru`)
 * and its command. Errors and exit statuses are iproute2's: 1 for its own checks, 2 when the
 * kernel refuses, 255 for a usage error.
 *
 * @example
 * ip -br -c a
 * ip -n red link set lo up
 */
import type { Command, CommandContext, CommandResult } from "../../../shell";
import { currentNet, isBusyboxApplet } from "../context";
import { busyboxIp } from "./busybox";
import { doAddress } from "./addr";
import { fail, IpExit, matches, Words, type IpEnv, type IpOptions } from "./common";
import { doLink } from "./link";
import { doNeigh } from "./neigh";
import { doNetns, namedStack } from "./netns";
import { doRoute } from "./route";
import { doRule } from "./rule";

const USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | fou | help | ila | ioam | l2tp | link |
                   macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -I | -D | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
`;

type ObjectHandler = (env: IpEnv, words: Words) => void | Promise<CommandResult | void>;

/** The object table in iproute2's order: the first keyword a word is a prefix of wins. */
const OBJECTS: readonly [string, ObjectHandler | undefined][] = [
  ["address", doAddress], ["addrlabel", undefined], ["maddress", undefined], ["route", doRoute], ["rule", doRule],
  ["neighbor", doNeigh], ["neighbour", doNeigh], ["ntable", undefined], ["ntbl", undefined], ["link", doLink], ["l2tp", undefined],
  ["fou", undefined], ["ila", undefined], ["macsec", undefined], ["tunnel", undefined], ["tunl", undefined], ["tuntap", undefined],
  ["tap", undefined], ["token", undefined], ["tcpmetrics", undefined], ["tcp_metrics", undefined], ["monitor", undefined],
  ["xfrm", undefined], ["mroute", undefined], ["mrule", undefined], ["netns", doNetns], ["netconf", undefined], ["vrf", undefined],
  ["sr", undefined], ["nexthop", undefined], ["mptcp", undefined], ["ioam", undefined], ["help", undefined],
];

export const VERSION = "ip utility, iproute2-5.15.0, libbpf 0.5.0";

/** Reads the global options off the front; returns the options and the namespace to work in (`-n`). */
function parseOptions(argv: string[]): { opts: IpOptions; color: "always" | "auto" | "never"; netns?: string; rest: string[] } | { version: true } {
  const opts: IpOptions = { details: 0, stats: 0, brief: false, color: false, oneline: false, json: false, pretty: false, all: false };
  let netns: string | undefined;
  let color: "always" | "auto" | "never" = "never";
  let i = 0;
  for (; i < argv.length && argv[i].startsWith("-"); i++) {
    if (argv[i] === "--") {
      i++;
      break;
    }
    const opt = argv[i].startsWith("--") ? argv[i].slice(1) : argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail('Command line is not complete. Try option "help"', 255);
      return argv[++i];
    };
    if (matches(opt, "-loops")) value();
    else if (matches(opt, "-family")) {
      const f = value();
      if (f === "inet") opts.family = "inet";
      else if (f === "inet6") opts.family = "inet6";
      else if (f === "link") opts.family = "link";
      else if (f === "help") fail(USAGE, 255);
      else fail(`Error: argument "${f}" is wrong: invalid protocol family`, 255);
    } else if (opt === "-4") opts.family = "inet";
    else if (opt === "-6") opts.family = "inet6";
    else if (opt === "-0") opts.family = "link";
    else if (matches(opt, "-human") || matches(opt, "-human-readable") || matches(opt, "-iec") || matches(opt, "-resolve") || matches(opt, "-Numeric") || matches(opt, "-timestamp") || matches(opt, "-tshort")) continue;
    else if (matches(opt, "-stats") || matches(opt, "-statistics")) opts.stats++;
    else if (matches(opt, "-details")) opts.details++;
    else if (matches(opt, "-oneline")) opts.oneline = true;
    else if (matches(opt, "-Version")) return { version: true };
    else if (matches(opt, "-force") || matches(opt, "-batch")) fail(`ip: the option "${opt}" is not simulated here`);
    else if (matches(opt, "-brief")) opts.brief = true;
    else if (matches(opt, "-json")) opts.json = true;
    else if (matches(opt, "-pretty")) opts.pretty = true;
    else if (/^-c(o(l(o(r)?)?)?)?(=(always|auto|never))?$/.test(opt)) color = opt.endsWith("=never") ? "never" : opt.endsWith("=auto") ? "auto" : "always";
    else if (matches(opt, "-help")) fail(USAGE, 255);
    else if (matches(opt, "-netns")) netns = value();
    else if (matches(opt, "-all")) opts.all = true;
    else if (matches(opt, "-rcvbuf") || opt === "-I" || opt === "-D" || opt === "-M" || opt === "-B") fail(`ip: the option "${opt}" is not simulated here`);
    else fail(`Option "${opt}" is unknown, try "ip -help".`, 255);
  }
  return { opts, color, netns, rest: argv.slice(i) };
}

async function runIp(argv: string[], ctx: CommandContext): Promise<CommandResult> {
  const out: string[] = [];
  const err: string[] = [];
  try {
    const parsed = parseOptions(argv);
    if ("version" in parsed) return { stdout: `${VERSION}\n`, stderr: "", exitCode: 0 };
    const here = currentNet(ctx);
    if (!here) fail("Cannot open netlink socket: Operation not permitted");
    // `-c=auto` colours only a terminal.
    const opts = { ...parsed.opts, color: parsed.color === "always" || (parsed.color === "auto" && ctx.terminal.isTerminal) };
    const env: IpEnv = { ctx, network: here.network, stack: here.stack, opts, out, err };
    if (parsed.netns !== undefined) env.stack = namedStack(env, parsed.netns) ?? fail(`Cannot open network namespace "${parsed.netns}": No such file or directory`, 255);
    if (parsed.opts.json) fail("ip: JSON output (-j) is not simulated here");
    if (parsed.rest.length === 0) fail(USAGE, 255);
    const [object, ...rest] = parsed.rest;
    const entry = OBJECTS.find(([name]) => matches(object, name));
    if (!entry) fail(`Object "${object}" is unknown, try "ip help".`);
    const [name, handler] = entry;
    if (name === "help") fail(USAGE, 255);
    if (!handler) fail(`ip: the "${name}" object is not simulated here; this lab's ip knows address, link, route, rule, neighbour and netns`);
    const result = await handler(env, new Words(rest));
    if (result) return { ...result, stdout: out.join("") + result.stdout, stderr: err.join("") + result.stderr };
    return { stdout: out.join(""), stderr: err.join(""), exitCode: 0 };
  } catch (error) {
    if (error instanceof IpExit) return { stdout: out.join(""), stderr: err.join("") + error.stderr, exitCode: error.code };
    throw error;
  }
}

export const ipCommand: Command = {
  name: "ip",
  summary: "show / manipulate routing, network devices, interfaces and tunnels",
  usage: "ip [ OPTIONS ] OBJECT { COMMAND | help }",
  path: "/usr/sbin/ip",
  spec: { flags: [], raw: true },
  // In busybox and Alpine images `ip` is BusyBox's applet, with its own formats.
  run: (args, ctx) => (isBusyboxApplet(ctx, "ip") ? busyboxIp(args.operands, ctx) : runIp([...args.operands], ctx)),
  complete: (words) => (words.length === 0 ? ["address", "link", "neighbour", "netns", "route", "rule"] : undefined),
};
