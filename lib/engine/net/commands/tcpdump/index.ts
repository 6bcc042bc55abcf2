/**
 * `tcpdump` (4.99.1): a capture on one interface of the shell's namespace (`-i any`: all of
 * them), printed in tcpdump's format. This terminal is one terminal, so a capture cannot run
 * in the foreground beside the command whose packets it should show: `tcpdump -i cni0 -n`
 * prints tcpdump's banner and arms the capture; the NEXT command line runs, and after its
 * output come the packets its traffic put on that interface (those matching the filter, the
 * first N with `-c N`) and tcpdump's closing counts, as if a second terminal had run tcpdump
 * and been stopped after it. Filters are pcap-filter's (`host`, `net`, `port`, `src`/`dst`,
 * `tcp`/`udp`/`icmp`/`arp`, `and`/`or`/`not`). `-w`/`-r` (pcap files) are not part of the lab.
 *
 * @example
 * tcpdump -i eth0 -n udp port 8472     # banner; the capture is armed
 * kubectl exec client -- curl -s 10.244.2.3   # its output, then the VXLAN packets and "N packets captured"
 */
import type { Command, CommandContext, CommandFollower, CommandResult } from "../../../shell";
import { currentNet } from "../context";
import { compileFilter } from "./filter";
import { PacketFormatter } from "./format";

interface Options {
  iface?: string;
  count?: number;
  link: boolean;
  verbose: boolean;
  numeric: boolean;
  snaplen: number;
  list: boolean;
  filter: string;
}

const VERSION = "tcpdump version 4.99.1\nlibpcap version 1.10.1 (with TPACKET_V3)\nOpenSSL 3.0.2 15 Mar 2022\n";
const USAGE = `${VERSION}Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]
`;

type Parsed = { ok: Options } | { result: CommandResult };

const fail = (stderr: string, exitCode = 1): { result: CommandResult } => ({ result: { stdout: "", stderr, exitCode } });

function parse(argv: readonly string[]): Parsed {
  const opts: Options = { link: false, verbose: false, numeric: false, snaplen: 262144, list: false, filter: "" };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === "--version") return { result: { stdout: VERSION, stderr: "", exitCode: 0 } };
    if (word === "--help") return { result: { stdout: USAGE, stderr: "", exitCode: 0 } };
    if (!word.startsWith("-") || word === "-") {
      rest.push(word);
      continue;
    }
    for (let j = 1; j < word.length; j++) {
      const flag = word[j];
      if ("icswrCFGWEMTVyzjBQZ".includes(flag)) {
        const value = word.slice(j + 1) || argv[++i];
        if (value === undefined) return fail(`tcpdump: option requires an argument -- '${flag}'\n${USAGE}`);
        if (flag === "i") opts.iface = value;
        else if (flag === "c") {
          if (!/^\d+$/.test(value) || Number(value) < 1) return fail(`tcpdump: invalid packet count ${value}\n`);
          opts.count = Number(value);
        } else if (flag === "s") opts.snaplen = Number(value) || 262144;
        else if (flag === "w" || flag === "r") return fail(`tcpdump: -${flag} (pcap files) is out of scope in this lab: captures print in the terminal after the next command\n`);
        else return fail(`tcpdump: -${flag} is not simulated in this lab\n`);
        break;
      }
      if (flag === "n") opts.numeric = true;
      else if (flag === "e") opts.link = true;
      else if (flag === "v") opts.verbose = true;
      else if (flag === "D") opts.list = true;
      else if (flag === "h") return { result: { stdout: USAGE, stderr: "", exitCode: 0 } };
      else if ("lpSt".includes(flag)) continue;
      else if ("AXxqNOKLUHIJ#".includes(flag)) return fail(`tcpdump: -${flag} is not simulated in this lab\n`);
      else return fail(`tcpdump: invalid option -- '${flag}'\n${USAGE}`);
    }
  }
  opts.filter = rest.join(" ");
  return { ok: opts };
}

/** Ports /etc/services names (tcpdump prints them without -n). */
const SERVICES: Record<number, string> = { 22: "ssh", 53: "domain", 80: "http", 179: "bgp", 443: "https", 8080: "http-alt", 8472: "otv" };

/** What tcpdump prints once the next command line has run: its packets and its counts. Data only (kept between inputs). */
export class CaptureReport implements CommandFollower {
  constructor(
    private readonly captureId: number,
    private readonly opts: Options,
    private readonly any: boolean,
  ) {}

  follow(ctx: CommandContext): CommandResult {
    const network = ctx.host.netns?.network;
    const capture = network?.captures.byId(this.captureId);
    if (!network || !capture) return { stdout: "", stderr: "", exitCode: 0 };
    network.captures.disarm(capture);
    const filter = compileFilter(this.opts.filter);
    const matched = "error" in filter ? [] : capture.frames.filter((f) => filter.match(f.frame));
    const shown = this.opts.count === undefined ? matched : matched.slice(0, this.opts.count);
    const fmt = new PacketFormatter({ link: this.opts.link, verbose: this.opts.verbose, any: this.any });
    let stdout = shown.map((f) => `${fmt.line(f)}\n`).join("");
    // Without -n, well-known ports are printed by name (addresses stay numeric: the lab has no reverse DNS).
    if (!this.opts.numeric) stdout = stdout.replace(/(\d+\.\d+\.\d+\.\d+)\.(\d+)(?=[ :])/g, (m, ip: string, port: string) => (SERVICES[Number(port)] ? `${ip}.${SERVICES[Number(port)]}` : m));
    const plural = (n: number, what: string) => `${n} packet${n === 1 ? "" : "s"} ${what}\n`;
    return { stdout, stderr: plural(shown.length, "captured") + plural(matched.length, "received by filter") + "0 packets dropped by kernel\n", exitCode: 0 };
  }
}

export const tcpdumpCommand: Command = {
  name: "tcpdump",
  summary: "dump traffic on a network",
  usage: "tcpdump [-eDnv] [-c count] [-i interface] [expression]",
  description:
    "Captures the packets on an interface of this network namespace and prints them. This lab has one terminal: tcpdump prints its banner and arms the capture, the next command line runs, and after its output come the packets that command's traffic put on the interface (matching the expression; the first COUNT with -c) and tcpdump's counts, as a tcpdump in a second terminal would have shown them before Ctrl-C. -w/-r (pcap files) are not part of the lab.",
  path: "/usr/bin/tcpdump",
  spec: { flags: [], raw: true },
  run(args, ctx) {
    const parsed = parse(args.argv);
    if ("result" in parsed) return parsed.result;
    const opts = parsed.ok;
    const here = currentNet(ctx);
    if (!here) return { stdout: "", stderr: "tcpdump: socket: Operation not permitted\n", exitCode: 1 };
    const links = [...here.stack.links.values()].sort((a, b) => a.index - b.index);
    if (opts.list) {
      const out = links.map((l, i) => `${i + 1}.${l.name} [${l.kind === "loopback" ? "Up, Running, Loopback" : l.up ? "Up, Running, Connected" : "none"}]`);
      out.push(`${links.length + 1}.any (Pseudo-device that captures on all interfaces) [Up, Running]`);
      return { stdout: `${out.join("\n")}\n`, stderr: "", exitCode: 0 };
    }
    if (ctx.host.uid !== 0) return { stdout: "", stderr: `tcpdump: ${opts.iface ?? "eth0"}: You don't have permission to perform this capture on that device\n(socket: Operation not permitted)\n`, exitCode: 1 };
    const any = opts.iface === "any";
    const link = any ? undefined : opts.iface === undefined ? links.find((l) => l.up && l.kind !== "loopback") : here.stack.link(opts.iface);
    if (!any && !link) return { stdout: "", stderr: `tcpdump: ${opts.iface}: No such device exists\n(SIOCGIFHWADDR: No such device)\n`, exitCode: 1 };
    if (link && !link.up) return { stdout: "", stderr: `tcpdump: ${link.name}: That device is not up\n`, exitCode: 1 };
    const filter = compileFilter(opts.filter);
    if ("error" in filter) return { stdout: "", stderr: `tcpdump: ${filter.error === "syntax error" ? "syntax error in filter expression: syntax error" : filter.error}\n`, exitCode: 1 };
    const capture = here.network.captures.arm(here.stack.id, link?.index);
    ctx.session.afterNextCommand(new CaptureReport(capture.id, opts, any));
    const linkType = any ? "LINUX_SLL2 (Linux cooked v2)" : link!.kind === "ipip" || link!.kind === "wireguard" ? "RAW (Raw IP)" : "EN10MB (Ethernet)";
    const banner = `${any ? "tcpdump: data link type LINUX_SLL2\n" : ""}${opts.verbose ? "tcpdump: " : "tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n"}listening on ${any ? "any" : link!.name}, link-type ${linkType}, snapshot length ${opts.snaplen} bytes\n`;
    return { stdout: "", stderr: banner, exitCode: 0 };
  },
};
