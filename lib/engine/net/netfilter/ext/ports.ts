/**
 * `-m tcp`, `-m udp`, `-m sctp` (libxt_tcp.c, libxt_udp.c, libxt_sctp.c): source and destination
 * port ranges, and for tcp the flag and option tests. `-p tcp --dport 80` loads the tcp match
 * implicitly, which is why iptables-save prints `-p tcp -m tcp --dport 80`.
 *
 * @example
 * iptables -A INPUT -p tcp ! --dport 22 --syn -j DROP
 */
import { serviceName, servicePort } from "../services";
import type { PortRange, PortsMatch } from "../types";
import { type MatchExtension, type OptionDef, type ParseCall, parseUint, Seen, x6Check, XtError } from "../xtables";

const TCP_FLAGS: readonly (readonly [string, number])[] = [["FIN", 0x01], ["SYN", 0x02], ["RST", 0x04], ["PSH", 0x08], ["ACK", 0x10], ["URG", 0x20], ["ALL", 0x3f], ["NONE", 0]];

interface State {
  sport?: PortRange;
  dport?: PortRange;
  flags?: PortsMatch["flags"];
  option?: PortsMatch["option"];
  seen: Seen;
}

/** xtables_parse_port: a number 0–65535 or a service name of the protocol. */
export function parsePort(text: string, proto: string, message: (text: string) => string): number {
  const n = parseUint(text, 0, 65535) ?? servicePort(text, proto);
  if (n === undefined) throw new XtError(message(text));
  return n;
}

const invalidPort = (text: string) => `invalid port/service \`${text}' specified`;

/** xtables_getportbyname (x6 port options): getaddrinfo's service lookup, whatever the protocol. */
export function parseAnyPort(text: string): number {
  const n = parseUint(text, 0, 65535) ?? servicePort(text, "tcp") ?? servicePort(text, "udp");
  if (n === undefined) throw new XtError(`Port "${text}" does not resolve to anything.\n`);
  return n;
}

/** `port[:port]` (either side may be empty: `:1024` is 0–1024, `1024:` is 1024–65535). */
function parsePortRange(text: string, proto: string, negate: boolean): PortRange {
  const colon = text.indexOf(":");
  if (colon < 0) {
    const p = parsePort(text, proto, invalidPort);
    return { lo: p, hi: p, negate };
  }
  const lo = colon === 0 ? 0 : parsePort(text.slice(0, colon), proto, invalidPort);
  const hi = colon === text.length - 1 ? 0xffff : parsePort(text.slice(colon + 1), proto, invalidPort);
  if (lo > hi) throw new XtError("invalid portrange (min > max)");
  return { lo, hi, negate };
}

/** xtopt_parse_mport (udp's x6 port ranges): up to two `:`-separated ports, names allowed. */
function parseMport(text: string, ext: string, option: string, negate: boolean): PortRange {
  const parts = text.split(":");
  if (parts.length > 2) throw new XtError(`${ext}: Too many components for option "--${option}" (max: 2)\n`);
  const resolve = (p: string, dflt: number) => (p === "" ? dflt : parseAnyPort(p));
  const lo = resolve(parts[0], 0);
  const hi = parts.length === 1 ? lo : resolve(parts[1], 0xffff);
  if (lo > hi) throw new XtError("invalid portrange (min > max)");
  return { lo, hi, negate };
}

function parseTcpFlags(list: string): number {
  let bits = 0;
  for (const name of list.split(",").filter((n) => n !== "")) {
    const flag = TCP_FLAGS.find(([n]) => n.toLowerCase() === name.toLowerCase());
    if (!flag) throw new XtError(`Unknown TCP flag \`${name}'`);
    bits |= flag[1];
  }
  return bits;
}

function tcpFlagNames(bits: number): string {
  const names: string[] = [];
  let rest = bits;
  while (rest) {
    const flag = TCP_FLAGS.find(([, b]) => (rest & b) !== 0)!;
    names.push(flag[0]);
    rest &= ~flag[1];
  }
  return names.length ? names.join(",") : "NONE";
}

function savePorts(option: string, range: PortRange | undefined): string {
  if (!range || (range.lo === 0 && range.hi === 0xffff)) return "";
  return `${range.negate ? " !" : ""} --${option} ${range.lo === range.hi ? range.lo : `${range.lo}:${range.hi}`}`;
}

function printPorts(label: string, range: PortRange | undefined, proto: string, numeric: boolean): string {
  if (!range || (range.lo === 0 && range.hi === 0xffff && !range.negate)) return "";
  const port = (p: number) => (numeric ? String(p) : (serviceName(p, proto) ?? String(p)));
  const inv = range.negate ? "!" : "";
  return range.lo === range.hi ? ` ${label}:${inv}${port(range.lo)}` : ` ${label}s:${inv}${port(range.lo)}:${port(range.hi)}`;
}

function render(kind: PortsMatch["kind"]): Pick<MatchExtension<State, PortsMatch>, "save" | "print" | "saveName" | "finish"> {
  return {
    saveName: () => kind,
    save(m) {
      let out = savePorts("sport", m.sport) + savePorts("dport", m.dport);
      if (m.option) out += `${m.option.negate ? " !" : ""} --tcp-option ${m.option.value}`;
      if (m.flags) out += `${m.flags.negate ? " !" : ""} --tcp-flags ${tcpFlagNames(m.flags.mask)} ${tcpFlagNames(m.flags.comp)}`;
      return out;
    },
    print(m, { numeric }) {
      let out = ` ${kind}${printPorts("spt", m.sport, kind, numeric)}${printPorts("dpt", m.dport, kind, numeric)}`;
      if (m.option) out += ` option=${m.option.negate ? "!" : ""}${m.option.value}`;
      if (m.flags) {
        const f = (b: number) => (numeric ? `0x${b.toString(16).toUpperCase().padStart(2, "0")}` : tcpFlagNames(b));
        out += ` flags:${m.flags.negate ? "!" : ""}${f(m.flags.mask)}/${f(m.flags.comp)}`;
      }
      return out;
    },
    finish(s) {
      return Object.freeze({ kind, sport: s.sport, dport: s.dport, flags: s.flags, option: s.option });
    },
  };
}

const TCP_OPTIONS: readonly OptionDef[] = [
  { name: "source-port", hasArg: true },
  { name: "sport", hasArg: true, alias: "source-port" },
  { name: "destination-port", hasArg: true },
  { name: "dport", hasArg: true, alias: "destination-port" },
  { name: "syn", hasArg: false },
  { name: "tcp-flags", hasArg: true },
  { name: "tcp-option", hasArg: true },
];

export const tcpMatch: MatchExtension<State, PortsMatch> = {
  name: "tcp",
  kinds: ["tcp"],
  x6: false,
  options: TCP_OPTIONS,
  help: `tcp match options:
[!] --tcp-flags mask comp\tmatch when TCP flags & mask == comp
\t\t\t\t(Flags: SYN ACK FIN RST URG PSH ALL NONE)
[!] --syn\t\t\tmatch when only SYN flag set
\t\t\t\t(equivalent to --tcp-flags SYN,RST,ACK,FIN SYN)
[!] --source-port port[:port]
 --sport ...
\t\t\t\tmatch source port(s)
[!] --destination-port port[:port]
 --dport ...
\t\t\t\tmatch destination port(s)
[!] --tcp-option number        match if TCP option set
`,
  init: () => ({ seen: new Seen() }),
  parse(s, call: ParseCall) {
    switch (call.option) {
      case "source-port":
        if (s.sport) throw new XtError("Only one `--source-port' allowed");
        s.sport = parsePortRange(call.arg, "tcp", call.invert);
        return;
      case "destination-port":
        if (s.dport) throw new XtError("Only one `--destination-port' allowed");
        s.dport = parsePortRange(call.arg, "tcp", call.invert);
        return;
      case "syn":
        if (s.flags) throw new XtError("Only one of `--syn' or `--tcp-flags'  allowed");
        s.flags = { mask: 0x17, comp: 0x02, negate: call.invert };
        return;
      case "tcp-flags": {
        if (s.flags) throw new XtError("Only one of `--syn' or `--tcp-flags'  allowed");
        const comp = call.next();
        if (comp === undefined || comp.startsWith("-") || comp.startsWith("!")) throw new XtError("--tcp-flags requires two args.");
        s.flags = { mask: parseTcpFlags(call.arg), comp: parseTcpFlags(comp), negate: call.invert };
        return;
      }
      case "tcp-option": {
        if (s.option) throw new XtError("Only one `--tcp-option' allowed");
        const value = parseUint(call.arg, 1, 255);
        if (value === undefined) throw new XtError(`Bad TCP option "${call.arg}"`);
        s.option = { value, negate: call.invert };
        return;
      }
    }
  },
  ...render("tcp"),
};

const UDP_OPTIONS: readonly OptionDef[] = [
  { name: "source-port", hasArg: true, invert: true },
  { name: "sport", hasArg: true, invert: true, alias: "source-port" },
  { name: "destination-port", hasArg: true, invert: true },
  { name: "dport", hasArg: true, invert: true, alias: "destination-port" },
];

export const udpMatch: MatchExtension<State, PortsMatch> = {
  name: "udp",
  kinds: ["udp"],
  x6: true,
  options: UDP_OPTIONS,
  help: `udp match options:
[!] --source-port port[:port]
 --sport ...
\t\t\t\tmatch source port(s)
[!] --destination-port port[:port]
 --dport ...
\t\t\t\tmatch destination port(s)
`,
  init: () => ({ seen: new Seen() }),
  parse(s, call) {
    x6Check(udpMatch, s.seen, call);
    const source = call.option === "source-port";
    const range = parseMport(call.arg, "udp", call.option, call.invert);
    if (source) s.sport = range;
    else s.dport = range;
  },
  ...render("udp"),
};

export const sctpMatch: MatchExtension<State, PortsMatch> = {
  name: "sctp",
  kinds: ["sctp"],
  x6: false,
  options: TCP_OPTIONS.slice(0, 4),
  help: `sctp match options
[!] --source-port port[:port]                          match source port(s)
 --sport ...
[!] --destination-port port[:port]                     match destination port(s)
 --dport ...
`,
  init: () => ({ seen: new Seen() }),
  parse(s, call) {
    const source = call.option === "source-port";
    if (source ? s.sport : s.dport) throw new XtError(`Only one \`--${source ? "source" : "destination"}-port' allowed`);
    const range = parsePortRange(call.arg, "sctp", call.invert);
    if (source) s.sport = range;
    else s.dport = range;
  },
  ...render("sctp"),
};
