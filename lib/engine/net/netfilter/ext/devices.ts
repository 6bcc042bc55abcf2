/**
 * Matches on where a frame came from below IP: `-m mac --mac-source` (libxt_mac.c) and
 * `-m physdev` (libxt_physdev.c: the bridge ports of bridged traffic, with br_netfilter on).
 *
 * @example
 * -A FORWARD -m physdev --physdev-is-bridged -j ACCEPT
 */
import type { MacMatch, PhysdevMatch } from "../types";
import { type MatchExtension, Seen, x6Check, x6Finish, XtError } from "../xtables";

/** xtopt_parse_ethermac: six hex bytes of one or two digits, separated by colons. */
function parseMac(text: string): string | undefined {
  const parts = text.split(":");
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
  return parts.map((p) => p.toLowerCase().padStart(2, "0")).join(":");
}

export const macMatch: MatchExtension<{ seen: Seen; mac: string; negate: boolean }, MacMatch> = {
  name: "mac",
  kinds: ["mac"],
  x6: true,
  options: [{ name: "mac-source", hasArg: true, invert: true, mandatory: true }],
  help: "mac match options:\n[!] --mac-source XX:XX:XX:XX:XX:XX\n\t\t\t\tMatch source MAC address\n",
  init: () => ({ seen: new Seen(), mac: "", negate: false }),
  parse(s, call) {
    x6Check(macMatch, s.seen, call);
    const mac = parseMac(call.arg);
    if (!mac) throw new XtError("ether");
    s.mac = mac;
    s.negate = call.invert;
  },
  finish(s) {
    x6Finish(macMatch, s.seen);
    return Object.freeze({ kind: "mac", mac: s.mac, negate: s.negate });
  },
  saveName: () => "mac",
  save: (m) => `${m.negate ? " !" : ""} --mac-source ${m.mac.toUpperCase()}`,
  print: (m) => ` MAC${m.negate ? " !" : ""} ${m.mac.toUpperCase()}`,
};

type PhysdevState = { seen: Seen } & { -readonly [K in keyof Omit<PhysdevMatch, "kind">]: PhysdevMatch[K] };

const IFNAMSIZ = 16;

function parseIface(text: string): { name: string; wildcard: boolean } {
  if (text.length + 1 > IFNAMSIZ) throw new XtError(`interface name \`${text}' must be shorter than IFNAMSIZ (${IFNAMSIZ - 1})`);
  return text.endsWith("+") ? { name: text.slice(0, -1), wildcard: true } : { name: text, wildcard: false };
}

export const physdevMatch: MatchExtension<PhysdevState, PhysdevMatch> = {
  name: "physdev",
  kinds: ["physdev"],
  x6: true,
  options: [
    { name: "physdev-in", hasArg: true, invert: true },
    { name: "physdev-out", hasArg: true, invert: true },
    { name: "physdev-is-in", hasArg: false, invert: true },
    { name: "physdev-is-out", hasArg: false, invert: true },
    { name: "physdev-is-bridged", hasArg: false, invert: true },
  ],
  help: `physdev match options:
 [!] --physdev-in inputname[+]\t\tbridge port name ([+] for wildcard)
 [!] --physdev-out outputname[+]\tbridge port name ([+] for wildcard)
 [!] --physdev-is-in\t\t\tarrived on a bridge device
 [!] --physdev-is-out\t\t\twill leave on a bridge device
 [!] --physdev-is-bridged\t\tit's a bridged packet
`,
  init: () => ({ seen: new Seen() }),
  parse(s, call) {
    x6Check(physdevMatch, s.seen, call);
    const negate = call.invert;
    if (call.option === "physdev-in") s.in = { ...parseIface(call.arg), negate };
    else if (call.option === "physdev-out") s.out = { ...parseIface(call.arg), negate };
    else if (call.option === "physdev-is-in") s.isIn = { negate };
    else if (call.option === "physdev-is-out") s.isOut = { negate };
    else s.isBridged = { negate };
  },
  finish(s) {
    if (s.seen.size === 0) throw new XtError("PHYSDEV: no physdev option specified");
    x6Finish(physdevMatch, s.seen);
    return Object.freeze({ kind: "physdev", in: s.in, out: s.out, isIn: s.isIn, isOut: s.isOut, isBridged: s.isBridged });
  },
  saveName: () => "physdev",
  save: physdevText,
  print: (m) => ` PHYSDEV match${physdevText(m)}`,
};

function physdevText(m: PhysdevMatch): string {
  const not = (x?: { negate: boolean }) => (x?.negate ? " !" : "");
  const name = (x: { name: string; wildcard: boolean }) => `${x.name}${x.wildcard ? "+" : ""}`;
  let out = "";
  if (m.isIn) out += `${not(m.isIn)} --physdev-is-in`;
  if (m.in) out += `${not(m.in)} --physdev-in ${name(m.in)}`;
  if (m.isOut) out += `${not(m.isOut)} --physdev-is-out`;
  if (m.out) out += `${not(m.out)} --physdev-out ${name(m.out)}`;
  if (m.isBridged) out += `${not(m.isBridged)} --physdev-is-bridged`;
  return out;
}
