/**
 * `ping`: ICMP echo through the packet walker, one probe per interval of virtual time. On the
 * nodes and the client it is iputils 20211215 (Ubuntu 22.04): `PING … 56(84) bytes of data.`,
 * `icmp_seq` from 1, errors the kernel reports as `From ADDR icmp_seq=N Destination Host
 * Unreachable` (a neighbour that never answered) or as the ICMP error a router sent (`Time to
 * live exceeded`, `Destination Net Unreachable`…), the statistics block with `+N errors` and
 * `pipe N`, and `rtt min/avg/max/mdev` computed as iputils computes it. In busybox and Alpine
 * images it is busybox 1.36's applet: `seq` from 0, no error lines, `round-trip min/avg/max`.
 * Options: `-c N -i S -W S -w S -s SIZE -t TTL -I IF|ADDR -q -n -m MARK -D -V -4`.
 *
 * The shell cannot interrupt a running command, so a ping needs an end: `-c` or `-w`.
 *
 * @example
 * ping -c 2 10.244.1.5
 * // PING 10.244.1.5 (10.244.1.5) 56(84) bytes of data.
 * // 64 bytes from 10.244.1.5: icmp_seq=1 ttl=63 time=0.412 ms …
 */
import type { Command, CommandContext, CommandResult } from "../../shell";
import { formatIP, parseIP } from "../../util/ipv4";
import type { Link } from "../kernel/link";
import { lookupRoute } from "../kernel/route";
import type { NetStack } from "../kernel/stack";
import type { ClusterNetwork } from "../network";
import { echo, recordExchange, type Exchange } from "../walker";
import { currentNet } from "./context";
import { hostNameOf, resolveHost, userland } from "./userland";

const IPUTILS_VERSION = "ping from iputils 20211215";

interface Options {
  count?: number;
  intervalMs: number;
  /** -W: how long to wait for a reply (ms). */
  waitMs?: number;
  /** -w: stop after this long (ms). */
  deadlineMs?: number;
  size: number;
  ttl: number;
  iface?: string;
  quiet: boolean;
  numeric: boolean;
  timestamps: boolean;
  mark: number;
  target: string;
}

type Parsed = { ok: Options } | { result: CommandResult };

const fail = (stderr: string, exitCode: number): { result: CommandResult } => ({ result: { stdout: "", stderr, exitCode } });

const USAGE = `
Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -f                 flood ping
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument

For more details see ping(8).
`;

const BUSYBOX_USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: ping [OPTIONS] HOST

Send ICMP ECHO_REQUESTs to HOST

\t-4,-6\t\tForce IP or IPv6 name resolution
\t-c CNT\t\tSend only CNT pings
\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)
\t-i SECS\t\tInterval
\t-A\t\tPing as soon as reply is received
\t-t TTL\t\tSet TTL
\t-I IFACE/IP\tSource interface or IP address
\t-W SEC\t\tSeconds to wait for the first response (default 10)
\t\t\t(after all -c CNT packets are sent)
\t-w SEC\t\tSeconds until ping exits (default:infinite)
\t\t\t(can exit earlier with -c CNT)
\t-q\t\tQuiet, only display output at start/end
\t-p HEXBYTE\tPayload pattern
`;

/** Options taking a value; the ones simulated, the rest accepted by getopt but refused here. */
const WITH_VALUE = new Set(["c", "i", "I", "s", "t", "W", "w", "m", "F", "l", "M", "N", "p", "Q", "S", "T"]);
const FLAGS = new Set(["4", "6", "a", "A", "b", "B", "d", "D", "f", "h", "L", "n", "O", "q", "r", "R", "U", "v", "V"]);
const SIMULATED = new Set(["c", "i", "I", "s", "t", "W", "w", "m", "4", "D", "h", "n", "q", "v", "V"]);

/** getopt over iputils' option string (bundles like `-qc2`, values attached or separate). */
function parseIputils(argv: readonly string[]): Parsed {
  const opts: Options = { intervalMs: 1000, size: 56, ttl: 64, quiet: false, numeric: false, timestamps: false, mark: 0, target: "" };
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === "--") {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith("-") || word === "-") {
      operands.push(word);
      continue;
    }
    for (let j = 1; j < word.length; j++) {
      const flag = word[j];
      if (!WITH_VALUE.has(flag) && !FLAGS.has(flag)) return fail(`ping: invalid option -- '${flag}'\n${USAGE}`, 2);
      if (!SIMULATED.has(flag)) return fail(`ping: -${flag} is not simulated in this lab\n`, 2);
      let value: string | undefined;
      if (WITH_VALUE.has(flag)) {
        value = word.slice(j + 1) || argv[++i];
        if (value === undefined) return fail(`ping: option requires an argument -- '${flag}'\n${USAGE}`, 2);
        j = word.length;
      }
      const bad = applyOption(opts, flag, value);
      if (bad) return bad;
    }
  }
  if (operands.length === 0) return fail(`ping: usage error: Destination address required\n`, 1);
  opts.target = operands[operands.length - 1];
  return { ok: opts };
}

/** One option's effect (iputils' range checks and messages). */
function applyOption(opts: Options, flag: string, value: string | undefined): { result: CommandResult } | undefined {
  const number = Number(value);
  switch (flag) {
    case "c":
      if (!/^\d+$/.test(value!) || number < 1 || number > 2 ** 63) return fail(`ping: invalid argument: '${value}': out of range: 1 <= value <= 9223372036854775807\n`, 1);
      opts.count = number;
      return undefined;
    case "i":
      if (!Number.isFinite(number) || number < 0) return fail(`ping: bad timing interval: ${value}\n`, 2);
      opts.intervalMs = Math.round(number * 1000);
      return undefined;
    case "W":
      if (!Number.isFinite(number) || number < 0) return fail(`ping: bad linger time: ${value}\n`, 2);
      opts.waitMs = Math.round(number * 1000);
      return undefined;
    case "w":
      if (!/^\d+$/.test(value!)) return fail(`ping: invalid argument: '${value}': out of range: 0 <= value <= 2147483647\n`, 1);
      opts.deadlineMs = number * 1000;
      return undefined;
    case "s":
      if (!/^\d+$/.test(value!) || number > 65507) return fail(`ping: invalid argument: '${value}': out of range: 0 <= value <= 65507\n`, 1);
      opts.size = number;
      return undefined;
    case "t":
      if (!/^\d+$/.test(value!) || number < 1 || number > 255) return fail(`ping: invalid argument: '${value}': out of range: 1 <= value <= 255\n`, 1);
      opts.ttl = number;
      return undefined;
    case "m":
      if (!/^\d+$/.test(value!)) return fail(`ping: invalid argument: '${value}'\n`, 1);
      opts.mark = number >>> 0;
      return undefined;
    case "I":
      opts.iface = value;
      return undefined;
    case "q":
      opts.quiet = true;
      return undefined;
    case "n":
      opts.numeric = true;
      return undefined;
    case "D":
      opts.timestamps = true;
      return undefined;
    case "V":
      return { result: { stdout: `${IPUTILS_VERSION}\n`, stderr: "", exitCode: 0 } };
    case "h":
      return fail(USAGE, 2);
    default:
      return undefined;
  }
}

/** busybox's getopt: `-c N -s N -i S -t N -I IF -W S -w S -q -4`. */
function parseBusybox(argv: readonly string[]): Parsed {
  const opts: Options = { intervalMs: 1000, size: 56, ttl: 64, quiet: false, numeric: true, timestamps: false, mark: 0, target: "" };
  const operands: string[] = [];
  const values = new Set(["c", "s", "i", "t", "I", "W", "w", "p"]);
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith("-") || word === "-") {
      operands.push(word);
      continue;
    }
    for (let j = 1; j < word.length; j++) {
      const flag = word[j];
      if (!values.has(flag) && !"46qA".includes(flag)) return fail(`ping: invalid option -- '${flag}'\n${BUSYBOX_USAGE}`, 1);
      if (flag === "A") return fail("ping: -A is not simulated in this lab\n", 1);
      if (!values.has(flag)) {
        if (flag === "q") opts.quiet = true;
        continue;
      }
      const value = word.slice(j + 1) || argv[++i];
      if (value === undefined) return fail(`ping: option requires an argument -- '${flag}'\n${BUSYBOX_USAGE}`, 1);
      j = word.length;
      const n = Number(value);
      if (flag !== "I" && flag !== "p" && (!Number.isFinite(n) || n < 0)) return fail(`ping: invalid number '${value}'\n`, 1);
      if (flag === "c") opts.count = n;
      else if (flag === "s") opts.size = n;
      else if (flag === "i") opts.intervalMs = Math.round(n * 1000);
      else if (flag === "t") opts.ttl = n;
      else if (flag === "I") opts.iface = value;
      else if (flag === "W") opts.waitMs = n * 1000;
      else if (flag === "w") opts.deadlineMs = n * 1000;
    }
  }
  if (operands.length !== 1) return fail(BUSYBOX_USAGE, 1);
  opts.target = operands[0];
  return { ok: opts };
}

/** iputils' time field: 3 significant digits (`0.412`, `1.23`, `12.3`, `123`). */
function formatRtt(us: number): string {
  if (us >= 100000 - 50) return `${Math.floor((us + 500) / 1000)}`;
  if (us >= 10000 - 5) return `${Math.floor((us + 50) / 1000)}.${Math.floor(((us + 50) % 1000) / 100)}`;
  if (us >= 1000) return `${Math.floor((us + 5) / 1000)}.${String(Math.floor(((us + 5) % 1000) / 10)).padStart(2, "0")}`;
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, "0")}`;
}

const ms3 = (us: number) => `${Math.floor(us / 1000)}.${String(Math.floor(us) % 1000).padStart(3, "0")}`;

/** Newton's integer square root, as iputils' llsqrt. */
function llsqrt(a: bigint): bigint {
  if (a <= 0n) return 0n;
  let prev = a + 1n;
  let x = a;
  while (x < prev) {
    prev = x;
    x = (x + a / x) / 2n;
  }
  return x;
}

/** What an ICMP error says, in iputils' words (pr_icmph). */
function errorText(type: number, code: number): string {
  if (type === 11) return code === 1 ? "Frag reassembly time exceeded" : "Time to live exceeded";
  const texts = ["Destination Net Unreachable", "Destination Host Unreachable", "Destination Protocol Unreachable", "Destination Port Unreachable", "Frag needed and DF set", "Source Route Failed",
    "Destination Net Unknown", "Destination Host Unknown", "Source Host Isolated", "Destination Net Prohibited", "Destination Host Prohibited", "Destination Net Unreachable for Type of Service",
    "Destination Host Unreachable for Type of Service", "Packet filtered", "Precedence Violation", "Precedence Cutoff"];
  return texts[code] ?? `Dest Unreachable, Bad Code: ${code}`;
}

/** The interface or source address `-I` names. */
function bindTo(stack: NetStack, iface: string | undefined): { oif?: Link; src?: number } | { error: string } {
  if (iface === undefined) return {};
  const address = parseIP(iface);
  if (address !== undefined) {
    if (!stack.isLocal(address)) return { error: `ping: bind: Cannot assign requested address\n` };
    return { src: address };
  }
  const link = stack.link(iface);
  if (!link) return { error: `ping: SO_BINDTODEVICE ${iface}: No such device\n` };
  return { oif: link };
}

/** The errno `connect()` of iputils' probe socket gets before any packet is sent. */
function connectError(stack: NetStack, dst: number, oif: Link | undefined, mark: number): string | undefined {
  if (oif) return oif.up || stack.isLocal(dst) ? undefined : "Network is unreachable";
  const route = lookupRoute(stack.routing, dst, { mark });
  if (!route) return "Network is unreachable";
  if (route.type === "unreachable") return "No route to host";
  if (route.type === "blackhole") return "Invalid argument";
  if (route.type === "prohibit") return "prohibit";
  return undefined;
}

interface Probe {
  seq: number;
  sentUs: number;
  exchange: Exchange;
}

export const pingCommand: Command = {
  name: "ping",
  summary: "send ICMP ECHO_REQUEST to network hosts",
  usage: "ping [options] <destination>",
  path: "/usr/bin/ping",
  spec: { flags: [], raw: true },
  run(args, ctx) {
    const busybox = userland(ctx) === "busybox";
    const parsed = busybox ? parseBusybox(args.argv) : parseIputils(args.argv);
    if ("result" in parsed) return parsed.result;
    const opts = parsed.ok;
    const here = currentNet(ctx);
    if (!here) return { stdout: "", stderr: "ping: socket: Operation not permitted\n", exitCode: 2 };
    const dst = resolveHost(ctx, opts.target);
    if (dst === undefined) return busybox ? { stdout: "", stderr: `ping: bad address '${opts.target}'\n`, exitCode: 1 } : { stdout: "", stderr: `ping: ${opts.target}: Name or service not known\n`, exitCode: 2 };
    if (opts.count === undefined && opts.deadlineMs === undefined) {
      return { stdout: "", stderr: "ping: this terminal cannot interrupt a running ping (no Ctrl-C here): give it an end with -c COUNT or -w DEADLINE\n", exitCode: 2 };
    }
    const bound = bindTo(here.stack, opts.iface);
    if ("error" in bound) return { stdout: "", stderr: bound.error, exitCode: 2 };
    return busybox ? runBusybox(ctx, here.network, here.stack, dst, opts, bound) : runIputils(ctx, here.network, here.stack, dst, opts, bound);
  },
};

/** Sends the probes at their interval on the virtual clock; each is walked when it is sent. */
function sendProbes(ctx: CommandContext, network: ClusterNetwork, stack: NetStack, dst: number, opts: Options, bound: { oif?: Link; src?: number }, firstSeq: number): { probes: Probe[]; startUs: number; lastSendUs: number } {
  const id = network.traffic.int(0x10000);
  const count = opts.count ?? Math.max(1, Math.ceil((opts.deadlineMs ?? 0) / Math.max(opts.intervalMs, 1)));
  const probes: Probe[] = [];
  const startUs = ctx.clock.now() * 1000;
  let lastSendUs = startUs;
  for (let i = 0; i < count; i++) {
    if (i > 0) {
      // The next probe leaves an interval later (plus the scheduler's lateness); time passes in the cluster too.
      const waitUs = opts.intervalMs * 1000 + 150 + network.traffic.int(900);
      ctx.clock.advance(Math.floor((lastSendUs + waitUs) / 1000) - ctx.clock.now());
      lastSendUs += waitUs;
    }
    if (opts.deadlineMs !== undefined && lastSendUs - startUs >= opts.deadlineMs * 1000) break;
    const exchange = echo(network, { from: stack, dst, now: lastSendUs / 1000, id, seq: firstSeq + i, size: opts.size, ttl: opts.ttl, oif: bound.oif, src: bound.src });
    probes.push({ seq: firstSeq + i, sentUs: lastSendUs, exchange });
  }
  const last = probes.at(-1);
  if (last) recordExchange(network, last.exchange, { host: opts.target, port: 0 });
  return { probes, startUs, lastSendUs };
}

/** How long after its send the answer came (a reply, an ICMP error, or the kernel's own report of a neighbour that never answered). */
const answeredUs = (p: Probe) => Math.max(1, Math.round((p.exchange.rttMs || p.exchange.elapsedMs) * 1000));

/**
 * When each probe's answer arrives. Probes sent while a neighbour is still being resolved wait
 * in its queue and fail together when resolution fails, as the kernel reports them all at once.
 */
function arrivals(probes: readonly Probe[]): number[] {
  const out: number[] = [];
  let batchEnd = -Infinity;
  for (const p of probes) {
    const local = p.exchange.outcome.kind === "error" && p.exchange.outcome.errno === "EHOSTUNREACH";
    if (local && p.sentUs <= batchEnd) {
      out.push(batchEnd);
      continue;
    }
    const at = p.sentUs + answeredUs(p);
    if (local) batchEnd = at;
    out.push(at);
  }
  return out;
}

/** A reply counts only if it came within -W (the kernel has it, but ping stopped waiting). */
function inTime(p: Probe, opts: Options): boolean {
  return opts.waitMs === undefined || answeredUs(p) <= opts.waitMs * 1000;
}

function runIputils(ctx: CommandContext, network: ClusterNetwork, stack: NetStack, dst: number, opts: Options, bound: { oif?: Link; src?: number }): CommandResult {
  const refused = connectError(stack, dst, bound.oif, opts.mark);
  if (refused === "prohibit") return { stdout: "", stderr: "ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n", exitCode: 2 };
  if (refused) return { stdout: "", stderr: `ping: connect: ${refused}\n`, exitCode: 2 };
  const named = parseIP(opts.target) === undefined;
  const who = (ip: number) => {
    const name = named && !opts.numeric ? hostNameOf(ctx, ip) : undefined;
    return name ? `${name} (${formatIP(ip)})` : formatIP(ip);
  };
  let out = `PING ${opts.target} (${formatIP(dst)}) ${opts.size}(${opts.size + 28}) bytes of data.\n`;
  let err = "";
  const { probes, startUs, lastSendUs } = sendProbes(ctx, network, stack, dst, opts, bound, 1);
  const rtts: number[] = [];
  let errors = 0;
  let pipe = 0;
  let lastEventUs = lastSendUs;
  const stamp = (atUs: number) => (opts.timestamps ? `[${Math.floor(atUs / 1e6)}.${String(Math.floor(atUs % 1e6)).padStart(6, "0")}] ` : "");
  const arrived = arrivals(probes);
  for (const [index, probe] of probes.entries()) {
    const o = probe.exchange.outcome;
    const at = arrived[index];
    const acknowledged = () => {
      // iputils' pipesize: probes in flight when this one was answered.
      pipe = Math.max(pipe, probes.filter((p) => p.sentUs <= at).length - (probe.seq - 1));
      lastEventUs = Math.max(lastEventUs, at);
    };
    if (o.kind === "delivered" && inTime(probe, opts)) {
      rtts.push(answeredUs(probe));
      acknowledged();
      if (!opts.quiet) out += `${stamp(at)}${opts.size + 8} bytes from ${who(dst)}: icmp_seq=${probe.seq} ttl=${probe.exchange.replyTtl} time=${formatRtt(answeredUs(probe))} ms\n`;
    } else if (o.kind === "unreachable" || o.kind === "refused" || (o.kind === "error" && o.errno === "EHOSTUNREACH")) {
      errors++;
      acknowledged();
      const from = o.kind === "error" ? probe.exchange.client.ip : o.from;
      const text = o.kind === "unreachable" ? errorText(o.icmpType, o.icmpCode) : o.kind === "refused" ? "Destination Port Unreachable" : "Destination Host Unreachable";
      if (!opts.quiet) out += `${stamp(at)}From ${who(from)} icmp_seq=${probe.seq} ${text}\n`;
    } else if (o.kind === "error") {
      if (!opts.quiet) err += `ping: sendmsg: ${o.errno === "EPERM" ? "Operation not permitted" : o.errno === "ENETUNREACH" ? "Network is unreachable" : "Invalid argument"}\n`;
    }
  }
  const received = rtts.length;
  const transmitted = probes.length;
  // Without a reply for every probe ping lingers: -W, or 10 s with nothing received, else twice the slowest reply.
  const lingerUs = received + errors >= transmitted ? 0 : received > 0 ? Math.max(2 * Math.max(...rtts), opts.intervalMs * 1000) : (opts.waitMs ?? 10_000) * 1000;
  const endUs = Math.max(lastEventUs, lastSendUs + lingerUs);
  ctx.clock.advance(Math.max(0, Math.floor(endUs / 1000) - ctx.clock.now()));
  const loss = transmitted ? ((transmitted - received) * 100) / transmitted : 0;
  const timeMs = Math.floor((lastSendUs - startUs + 500) / 1000);
  out += `\n--- ${opts.target} ping statistics ---\n`;
  out += `${transmitted} packets transmitted, ${received} received${errors ? `, +${errors} errors` : ""}, ${formatLoss(loss)}% packet loss, time ${timeMs}ms\n`;
  const tail: string[] = [];
  if (received > 0) {
    const total = BigInt(received);
    const tsum = rtts.reduce((a, b) => a + BigInt(b), 0n);
    const tsum2 = rtts.reduce((a, b) => a + BigInt(b) * BigInt(b), 0n);
    const mdev = Number(llsqrt((tsum2 - (tsum * tsum) / total) / total));
    const avg = Number(tsum / total);
    tail.push(`rtt min/avg/max/mdev = ${ms3(Math.min(...rtts))}/${ms3(avg)}/${ms3(Math.max(...rtts))}/${ms3(mdev)} ms`);
  }
  if (pipe > 1) tail.push(`pipe ${pipe}`);
  out += `${tail.join(", ")}\n`;
  const exitCode = received === 0 || (opts.deadlineMs !== undefined && opts.count !== undefined && received < opts.count) ? 1 : 0;
  return { stdout: out, stderr: err, exitCode };
}

/** printf's %g for a loss percentage (`0`, `25`, `33.3333`, `100`). */
function formatLoss(loss: number): string {
  return Number.isInteger(loss) ? String(loss) : String(Number(loss.toPrecision(6)));
}

function runBusybox(ctx: CommandContext, network: ClusterNetwork, stack: NetStack, dst: number, opts: Options, bound: { oif?: Link; src?: number }): CommandResult {
  if (connectError(stack, dst, bound.oif, 0)) return { stdout: "", stderr: `ping: sendto: Network is unreachable\n`, exitCode: 1 };
  let out = `PING ${opts.target} (${formatIP(dst)}): ${opts.size} data bytes\n`;
  const { probes, lastSendUs } = sendProbes(ctx, network, stack, dst, opts, bound, 0);
  const rtts: number[] = [];
  let lastEventUs = lastSendUs;
  for (const probe of probes) {
    if (probe.exchange.outcome.kind !== "delivered" || !inTime(probe, opts)) continue;
    const us = answeredUs(probe);
    rtts.push(us);
    lastEventUs = Math.max(lastEventUs, probe.sentUs + us);
    if (!opts.quiet) out += `${opts.size + 8} bytes from ${formatIP(dst)}: seq=${probe.seq} ttl=${probe.exchange.replyTtl} time=${ms3(us)} ms\n`;
  }
  const transmitted = probes.length;
  const received = rtts.length;
  const endUs = received === transmitted ? lastEventUs : lastSendUs + (opts.waitMs ?? 10_000) * 1000;
  ctx.clock.advance(Math.max(0, Math.floor(endUs / 1000) - ctx.clock.now()));
  out += `\n--- ${opts.target} ping statistics ---\n`;
  out += `${transmitted} packets transmitted, ${received} packets received, ${Math.floor(((transmitted - received) * 100) / Math.max(transmitted, 1))}% packet loss\n`;
  if (received > 0) {
    const avg = Math.floor(rtts.reduce((a, b) => a + b, 0) / received);
    out += `round-trip min/avg/max = ${ms3(Math.min(...rtts))}/${ms3(avg)}/${ms3(Math.max(...rtts))} ms\n`;
  }
  return { stdout: out, stderr: "", exitCode: received === 0 ? 1 : 0 };
}
