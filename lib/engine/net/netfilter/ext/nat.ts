/**
 * The NAT targets of the nat table: DNAT (libipt_DNAT.c), SNAT (libipt_SNAT.c), MASQUERADE
 * (libipt_MASQUERADE.c) and REDIRECT (libipt_REDIRECT.c). A port in a range needs a `-p` of
 * tcp, udp, sctp, dccp or icmp before the target, as iptables checks at parse time.
 *
 * @example
 * -A KUBE-SEP-X -p tcp -m tcp -j DNAT --to-destination 10.244.1.5:80
 * -A KUBE-POSTROUTING -j MASQUERADE --random-fully
 */
import type { NatRange, Target } from "../types";
import {
  formatQuad,
  numericToAddr,
  type OptionDef,
  type ParseCall,
  parseUint,
  Seen,
  strtoul,
  type TargetExtension,
  x6Check,
  x6Finish,
  XtError,
} from "../xtables";

type Dnat = Extract<Target, { kind: "DNAT" }>;
type Snat = Extract<Target, { kind: "SNAT" }>;
type Masquerade = Extract<Target, { kind: "MASQUERADE" }>;
type Redirect = Extract<Target, { kind: "REDIRECT" }>;

const PORT_PROTOS = new Set([6, 17, 132, 33, 1]);

const portOk = (call: ParseCall) => PORT_PROTOS.has(call.proto);

/** parse_to: `ip[-ip][:port[-port]]`, or `:port[-port]` alone. */
function parseTo(text: string, portOk: boolean): NatRange {
  const range: { -readonly [K in keyof NatRange]: NatRange[K] } = {};
  let ipPart = text;
  const colon = text.indexOf(":");
  if (colon >= 0) {
    if (!portOk) throw new XtError("Need TCP, UDP, SCTP or DCCP with port specification");
    const ports = text.slice(colon + 1);
    const port = parseInt(ports, 10);
    if (!(port > 0 && port <= 65535)) throw new XtError(`Port \`${ports}' not valid\n`);
    if (ports.includes(":")) throw new XtError("Invalid port:port syntax - use dash\n");
    const dash = ports.indexOf("-");
    if (dash < 0) {
      range.minPort = range.maxPort = port;
    } else {
      const max = parseInt(ports.slice(dash + 1), 10);
      if (!(max > 0 && max <= 65535)) throw new XtError(`Port \`${ports.slice(dash + 1)}' not valid\n`);
      if (max < port) throw new XtError(`Port range \`${ports}' funky\n`);
      range.minPort = port;
      range.maxPort = max;
    }
    if (colon === 0) return Object.freeze(range);
    ipPart = text.slice(0, colon);
  }
  const dash = ipPart.indexOf("-");
  const first = dash < 0 ? ipPart : ipPart.slice(0, dash);
  const min = numericToAddr(first);
  if (min === undefined) throw new XtError(`Bad IP address "${first}"\n`);
  range.minIp = min;
  if (dash >= 0) {
    const max = numericToAddr(ipPart.slice(dash + 1));
    if (max === undefined) throw new XtError(`Bad IP address "${ipPart.slice(dash + 1)}"\n`);
    range.maxIp = max;
  } else {
    range.maxIp = min;
  }
  return Object.freeze(range);
}

function rangeText(r: NatRange): string {
  let out = "";
  if (r.minIp !== undefined) out += r.maxIp !== r.minIp ? `${formatQuad(r.minIp)}-${formatQuad(r.maxIp!)}` : formatQuad(r.minIp);
  if (r.minPort !== undefined) out += r.maxPort !== r.minPort ? `:${r.minPort}-${r.maxPort}` : `:${r.minPort}`;
  return out;
}

/** parse_ports of MASQUERADE/REDIRECT: `port[-port]`. */
function parsePorts(target: string, text: string): { lo: number; hi: number } {
  const bad = () => new XtError(`${target}: Bad value for "--to-ports" option: "${text}"`);
  const lo = strtoul(text);
  if (!lo || lo.value > 0xffff) throw bad();
  if (lo.end === text.length) return { lo: lo.value, hi: lo.value };
  if (text[lo.end] !== "-") throw bad();
  const hi = parseUint(text.slice(lo.end + 1), 0, 0xffff);
  if (hi === undefined || hi < lo.value) throw bad();
  return { lo: lo.value, hi };
}

interface DnatState {
  seen: Seen;
  ranges: NatRange[];
  random: boolean;
  randomFully: boolean;
  persistent: boolean;
}

const DNAT_OPTIONS: readonly OptionDef[] = [
  { name: "to-destination", hasArg: true, mandatory: true, multi: true },
  { name: "random", hasArg: false },
  { name: "persistent", hasArg: false },
];

export const dnatTarget: TargetExtension<DnatState, Dnat> = {
  name: "DNAT",
  kinds: ["DNAT"],
  x6: true,
  options: DNAT_OPTIONS,
  help: `DNAT target options:
 --to-destination [<ipaddr>[-<ipaddr>]][:port[-port]]
\t\t\t\tAddress to map destination to.
[--random] [--persistent]
`,
  init: () => ({ seen: new Seen(), ranges: [], random: false, randomFully: false, persistent: false }),
  parse(s, call) {
    const again = s.seen.has("to-destination") && call.option === "to-destination";
    x6Check(dnatTarget, s.seen, call);
    if (call.option === "to-destination") {
      if (again) throw new XtError("DNAT: Multiple --to-destination not supported");
      s.ranges.push(parseTo(call.arg, portOk(call)));
    } else if (call.option === "random") s.random = true;
    else s.persistent = true;
  },
  finish(s) {
    x6Finish(dnatTarget, s.seen);
    return Object.freeze({ kind: "DNAT", ranges: Object.freeze(s.ranges.slice()), random: s.random, persistent: s.persistent });
  },
  saveName: () => "DNAT",
  save: (t) => natText(t.ranges, "--to-destination ", t.random, false, t.persistent, "--"),
  print: (t) => ` to:${t.ranges.map(rangeText).join(" ")}${t.random ? " random" : ""}${t.persistent ? " persistent" : ""}`,
};

function natText(ranges: readonly NatRange[], option: string, random: boolean, randomFully: boolean, persistent: boolean, prefix: string): string {
  let out = ranges.map((r) => ` ${option}${rangeText(r)}`).join("");
  if (random) out += ` ${prefix}random`;
  if (randomFully) out += ` ${prefix}random-fully`;
  if (persistent) out += ` ${prefix}persistent`;
  return out;
}

export const snatTarget: TargetExtension<DnatState, Snat> = {
  name: "SNAT",
  kinds: ["SNAT"],
  x6: true,
  options: [
    { name: "to-source", hasArg: true, mandatory: true, multi: true },
    { name: "random", hasArg: false },
    { name: "random-fully", hasArg: false },
    { name: "persistent", hasArg: false },
  ],
  help: `SNAT target options:
 --to-source [<ipaddr>[-<ipaddr>]][:port[-port]]
\t\t\t\tAddress to map source to.
[--random] [--random-fully] [--persistent]
`,
  init: () => ({ seen: new Seen(), ranges: [], random: false, randomFully: false, persistent: false }),
  parse(s, call) {
    const again = s.seen.has("to-source") && call.option === "to-source";
    x6Check(snatTarget, s.seen, call);
    if (call.option === "to-source") {
      if (again) throw new XtError("SNAT: Multiple --to-source not supported");
      s.ranges.push(parseTo(call.arg, portOk(call)));
    } else if (call.option === "random") s.random = true;
    else if (call.option === "random-fully") s.randomFully = true;
    else s.persistent = true;
  },
  finish(s) {
    x6Finish(snatTarget, s.seen);
    return Object.freeze({ kind: "SNAT", ranges: Object.freeze(s.ranges.slice()), random: s.random, randomFully: s.randomFully, persistent: s.persistent });
  },
  saveName: () => "SNAT",
  save: (t) => natText(t.ranges, "--to-source ", t.random, t.randomFully, t.persistent, "--"),
  print: (t) => ` to:${t.ranges.map(rangeText).join(" ")}${t.random ? " random" : ""}${t.randomFully ? " random-fully" : ""}${t.persistent ? " persistent" : ""}`,
};

interface PortsState {
  seen: Seen;
  ports?: { lo: number; hi: number };
  random: boolean;
  randomFully: boolean;
}

function portsText(ports: { lo: number; hi: number }): string {
  return ports.lo === ports.hi ? String(ports.lo) : `${ports.lo}-${ports.hi}`;
}

export const masqueradeTarget: TargetExtension<PortsState, Masquerade> = {
  name: "MASQUERADE",
  kinds: ["MASQUERADE"],
  x6: true,
  options: [
    { name: "to-ports", hasArg: true },
    { name: "random", hasArg: false },
    { name: "random-fully", hasArg: false },
  ],
  help: `MASQUERADE target options:
 --to-ports <port>[-<port>]
\t\t\t\tPort (range) to map to.
 --random
\t\t\t\tRandomize source port.
 --random-fully
\t\t\t\tFully randomize source port.
`,
  init: () => ({ seen: new Seen(), random: false, randomFully: false }),
  parse(s, call) {
    x6Check(masqueradeTarget, s.seen, call);
    if (call.option === "to-ports") {
      if (!portOk(call)) throw new XtError("Need TCP, UDP, SCTP or DCCP with port specification");
      s.ports = parsePorts("MASQUERADE", call.arg);
    } else if (call.option === "random") s.random = true;
    else s.randomFully = true;
  },
  finish: (s) => Object.freeze({ kind: "MASQUERADE", ports: s.ports && Object.freeze(s.ports), random: s.random, randomFully: s.randomFully }),
  saveName: () => "MASQUERADE",
  save: (t) => `${t.ports ? ` --to-ports ${portsText(t.ports)}` : ""}${t.random ? " --random" : ""}${t.randomFully ? " --random-fully" : ""}`,
  print: (t) => `${t.ports ? ` masq ports: ${portsText(t.ports)}` : ""}${t.random ? " random" : ""}${t.randomFully ? " random-fully" : ""}`,
};

export const redirectTarget: TargetExtension<PortsState, Redirect> = {
  name: "REDIRECT",
  kinds: ["REDIRECT"],
  x6: true,
  options: [
    { name: "to-ports", hasArg: true },
    { name: "random", hasArg: false },
  ],
  help: `REDIRECT target options:
 --to-ports <port>[-<port>]
\t\t\t\tPort (range) to map to.
 [--random]
`,
  init: () => ({ seen: new Seen(), random: false, randomFully: false }),
  parse(s, call) {
    x6Check(redirectTarget, s.seen, call);
    if (call.option === "to-ports") {
      if (!portOk(call)) throw new XtError("Need TCP, UDP, SCTP or DCCP with port specification");
      s.ports = parsePorts("REDIRECT", call.arg);
    } else s.random = true;
  },
  finish: (s) => Object.freeze({ kind: "REDIRECT", ports: s.ports && Object.freeze(s.ports), random: s.random }),
  saveName: () => "REDIRECT",
  save: (t) => `${t.ports ? ` --to-ports ${portsText(t.ports)}` : ""}${t.random ? " --random" : ""}`,
  print: (t) => `${t.ports ? ` redir ports ${portsText(t.ports)}` : ""}${t.random ? " random" : ""}`,
};
