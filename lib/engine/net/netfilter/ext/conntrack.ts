/**
 * `-m conntrack` (libxt_conntrack.c, revision 3) and `-m state`, which iptables 1.8.7 loads as
 * an alias of conntrack and saves under its own name: the connection's state (NEW,
 * ESTABLISHED, …, and whether it was DNATed or SNATed), its original and reply tuples, status,
 * remaining lifetime and the packet's direction.
 *
 * @example
 * -A KUBE-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
 * -A INPUT -m state --state NEW -j LOG
 */
import { parseProtocol } from "../names";
import { CT_STATE_BITS, CT_STATUS_BITS, type ConntrackMatch, type CtAddr, type PortRange } from "../types";
import {
  formatQuad,
  maskSuffix,
  type MatchExtension,
  numericToAddr,
  type OptionDef,
  parseUint,
  type PrintContext,
  Seen,
  x6Check,
  x6Finish,
  XtError,
} from "../xtables";
import { parseAnyPort } from "./ports";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type State = { seen: Seen } & Mutable<Omit<ConntrackMatch, "kind" | "alias">>;

/** The order xt_conntrack's parser tries names in (a prefix of one selects it). */
const CT_STATES = ["INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED", "SNAT", "DNAT"] as const;
/** The order print_state lists them in. */
const CT_STATE_PRINT = ["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT"] as const;
const CT_STATUSES = ["NONE", "EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED"] as const;

/**
 * A comma list of names, each matching by case-insensitive prefix; the error quotes the text
 * from the first bad item on. `emptyLast` is the message for a list ending in a comma (`-m state`).
 */
function parseList<T extends string>(text: string, names: readonly T[], bits: (name: T) => number, error: (item: string) => string, emptyLast?: string): number {
  let mask = 0;
  const items = text.split(",");
  items.forEach((item, i) => {
    if (item === "" && i === items.length - 1 && emptyLast) throw new XtError(emptyLast);
    const name = item === "" ? undefined : names.find((n) => n.toLowerCase().startsWith(item.toLowerCase()));
    if (!name) throw new XtError(error(items.slice(i).join(",")));
    mask |= bits(name);
  });
  return mask;
}

const stateBit = (n: keyof typeof CT_STATE_BITS) => CT_STATE_BITS[n];
const statusBit = (n: (typeof CT_STATUSES)[number]) => (n === "NONE" ? 0 : CT_STATUS_BITS[n]);

/** xtopt_parse_hostmask: an address, optionally `/prefixlen`. */
function parseHostMask(text: string, option: string, negate: boolean): CtAddr {
  const slash = text.indexOf("/");
  const addr = numericToAddr(slash < 0 ? text : text.slice(0, slash));
  if (addr === undefined || (slash < 0 ? text : text.slice(0, slash)).split(".").length !== 4) throw new XtError("getaddrinfo: Name or service not known\n");
  let mask = 0xffffffff;
  if (slash >= 0) {
    const len = parseUint(text.slice(slash + 1), 0, 32);
    if (len === undefined) throw new XtError(`conntrack: bad value for option "--${option}", or out of range (0-32).\n`);
    mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  }
  return { addr, mask, negate };
}

/** xtopt_parse_mport / UINT32RC: `a[:b]`. */
function parseRange(text: string, option: string, negate: boolean, port: boolean): PortRange {
  const parts = text.split(":");
  if (parts.length > 2) throw new XtError(`conntrack: Too many components for option "--${option}" (max: 2)\n`);
  const max = port ? 0xffff : 0xffffffff;
  const one = (p: string, dflt: number) => {
    if (p === "") return dflt;
    if (port) return parseAnyPort(p);
    const n = parseUint(p, 0, max);
    if (n === undefined) throw new XtError(`conntrack: bad value for option "--${option}" near "${p}", or out of range (0-${max}).\n`);
    return n;
  };
  const lo = one(parts[0], 0);
  const hi = parts.length === 1 ? lo : one(parts[1], max);
  return { lo, hi, negate };
}

const ADDR_OPTIONS = ["ctorigsrc", "ctorigdst", "ctreplsrc", "ctrepldst"] as const;
const PORT_OPTIONS = ["ctorigsrcport", "ctorigdstport", "ctreplsrcport", "ctrepldstport"] as const;

const OPTIONS: readonly OptionDef[] = [
  { name: "ctstate", hasArg: true, invert: true },
  { name: "ctproto", hasArg: true, invert: true },
  ...ADDR_OPTIONS.map((name) => ({ name, hasArg: true, invert: true })),
  { name: "ctstatus", hasArg: true, invert: true },
  { name: "ctexpire", hasArg: true, invert: true },
  ...PORT_OPTIONS.map((name) => ({ name, hasArg: true, invert: true })),
  { name: "ctdir", hasArg: true },
];

const HELP = `conntrack match options:
[!] --ctstate {INVALID|ESTABLISHED|NEW|RELATED|UNTRACKED|SNAT|DNAT}[,...]
                               State(s) to match
[!] --ctproto proto            Protocol to match; by number or name, e.g. "tcp"
[!] --ctorigsrc address[/mask]
[!] --ctorigdst address[/mask]
[!] --ctreplsrc address[/mask]
[!] --ctrepldst address[/mask]
                               Original/Reply source/destination address
[!] --ctorigsrcport port
[!] --ctorigdstport port
[!] --ctreplsrcport port
[!] --ctrepldstport port
                               TCP/UDP/SCTP orig./reply source/destination port
[!] --ctstatus {NONE|EXPECTED|SEEN_REPLY|ASSURED|CONFIRMED}[,...]
                               Status(es) to match
[!] --ctexpire time[:time]     Match remaining lifetime in seconds against
                               value or range of values (inclusive)
    --ctdir {ORIGINAL|REPLY}   Flow direction of packet
`;

export const conntrackMatch: MatchExtension<State, ConntrackMatch> = {
  name: "conntrack",
  kinds: ["conntrack"],
  x6: true,
  options: OPTIONS,
  help: HELP,
  init: () => ({ seen: new Seen() }),
  parse(s, call) {
    x6Check(conntrackMatch, s.seen, call);
    const negate = call.invert;
    switch (call.option) {
      case "ctstate":
        s.state = { mask: parseList(call.arg, CT_STATES, stateBit, (i) => `Bad ctstate "${i}"`), negate };
        return;
      case "ctproto": {
        const proto = parseProtocol(call.arg.toLowerCase());
        if (proto === undefined) throw new XtError(`unknown protocol "${call.arg}" specified`);
        if (proto === 0 && negate) throw new XtError("conntrack: rule would never match protocol");
        s.proto = { proto, negate };
        return;
      }
      case "ctstatus":
        s.status = { mask: parseList(call.arg, CT_STATUSES, statusBit, (i) => `Bad ctstatus "${i}"`), negate };
        return;
      case "ctexpire":
        s.expire = parseRange(call.arg, call.option, negate, false);
        return;
      case "ctdir": {
        const dir = call.arg.toUpperCase();
        if (dir !== "ORIGINAL" && dir !== "REPLY") throw new XtError(`conntrack: Bad value for "--ctdir" option: "${call.arg}"`);
        s.dir = dir;
        return;
      }
    }
    if ((ADDR_OPTIONS as readonly string[]).includes(call.option)) {
      const key = call.option.slice(2) as "origsrc" | "origdst" | "replsrc" | "repldst";
      s[key] = parseHostMask(call.arg, call.option, negate);
    } else {
      const key = call.option.slice(2) as "origsrcport" | "origdstport" | "replsrcport" | "repldstport";
      s[key] = parseRange(call.arg, call.option, negate, true);
    }
  },
  finish(s) {
    if (s.seen.size === 0) throw new XtError("conntrack: At least one option is required");
    x6Finish(conntrackMatch, s.seen);
    const fields: Omit<State, "seen"> & { seen?: Seen } = { ...s };
    delete fields.seen;
    return Object.freeze({ kind: "conntrack", alias: "conntrack", ...fields });
  },
  saveName: (m) => m.alias,
  save: (m) => dump(m, "--", true, NO_NAMES),
  print: (m, ctx) => dump(m, "", ctx.numeric, ctx),
};

const NO_NAMES: Pick<PrintContext, "host"> = { host: () => undefined };

/** conntrack_dump: every field in the kernel's order, with `--` (save) or without (listing). */
function dump(m: ConntrackMatch, prefix: string, numeric: boolean, names: Pick<PrintContext, "host">): string {
  const not = (x?: { negate: boolean }) => (x?.negate ? " !" : "");
  let out = "";
  if (m.state) out += `${not(m.state)} ${prefix}${m.alias === "state" ? "state" : "ctstate"} ${CT_STATE_PRINT.filter((n) => m.state!.mask & CT_STATE_BITS[n]).join(",")}`;
  if (m.proto) out += `${not(m.proto)} ${prefix}ctproto ${m.proto.proto}`;
  for (const key of ["origsrc", "origdst", "replsrc", "repldst"] as const) {
    const a = m[key];
    if (!a) continue;
    const host = !numeric && a.addr === 0 ? "anywhere" : `${(!numeric && names.host(a.addr)) || formatQuad(a.addr)}${maskSuffix(a.mask)}`;
    out += `${not(a)} ${prefix}ct${key} ${host}`;
  }
  for (const key of ["origsrcport", "origdstport", "replsrcport", "repldstport"] as const) {
    const p = m[key];
    if (p) out += `${not(p)} ${prefix}ct${key} ${p.lo === p.hi ? p.lo : `${p.lo}:${p.hi}`}`;
  }
  if (m.status) {
    const names = CT_STATUSES.filter((n) => n !== "NONE" && m.status!.mask & statusBit(n));
    out += `${not(m.status)} ${prefix}ctstatus ${names.length ? names.join(",") : "NONE"}`;
  }
  if (m.expire) out += `${not(m.expire)} ${prefix}ctexpire ${m.expire.lo === m.expire.hi ? m.expire.lo : `${m.expire.lo}:${m.expire.hi}`}`;
  if (m.dir) out += ` ${prefix}ctdir ${m.dir}`;
  return out;
}

const STATE_NAMES = ["INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED"] as const;

export const stateMatch: MatchExtension<{ seen: Seen; state?: { mask: number; negate: boolean } }, ConntrackMatch> = {
  name: "state",
  kinds: [],
  x6: true,
  options: [{ name: "state", hasArg: true, invert: true, mandatory: true }],
  help: "state match options:\n [!] --state [INVALID|ESTABLISHED|NEW|RELATED|UNTRACKED][,...]\n\t\t\t\tState(s) to match\n",
  init: () => ({ seen: new Seen() }),
  parse(s, call) {
    x6Check(stateMatch, s.seen, call);
    const emptyLast = '"--state" requires a list of states with no spaces, e.g. ESTABLISHED,RELATED';
    s.state = { mask: parseList(call.arg, STATE_NAMES, stateBit, (i) => `Bad state "${i}"`, emptyLast), negate: call.invert };
  },
  finish(s) {
    x6Finish(stateMatch, s.seen);
    return Object.freeze({ kind: "conntrack", alias: "state", state: s.state });
  },
  saveName: () => "state",
  save: (m) => conntrackMatch.save(m),
  print: (m, ctx) => conntrackMatch.print(m, ctx),
};
