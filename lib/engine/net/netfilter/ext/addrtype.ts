/**
 * `-m addrtype` (libxt_addrtype.c, revision 1): whether the source or destination address is of
 * a route type in the namespace, LOCAL above all (kube-proxy's `--dst-type LOCAL` sends every
 * packet for one of the node's own addresses to KUBE-NODEPORTS).
 *
 * @example
 * -A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
 */
import { RTN_TYPES } from "../names";
import type { AddrtypeMatch } from "../types";
import { type MatchExtension, Seen, x6Check, x6Finish, XtError } from "../xtables";

type State = { seen: Seen } & { -readonly [K in keyof Omit<AddrtypeMatch, "kind">]: AddrtypeMatch[K] };

/** parse_types: a comma list; each name matches a type by case-insensitive prefix. */
function parseTypes(text: string): number {
  let mask = 0;
  const items = text.split(",");
  items.forEach((item, i) => {
    const last = i === items.length - 1;
    const index = item === "" ? -1 : RTN_TYPES.findIndex((t) => t.toLowerCase().startsWith(item.toLowerCase()));
    if (index < 0) {
      const rest = items.slice(i).join(",");
      throw new XtError(last ? `addrtype: bad type "${rest}"` : `addrtype: bad type \`${rest}'`);
    }
    mask |= 1 << index;
  });
  return mask;
}

function typeNames(mask: number): string {
  return RTN_TYPES.filter((_, i) => mask & (1 << i)).join(",");
}

export const addrtypeMatch: MatchExtension<State, AddrtypeMatch> = {
  name: "addrtype",
  kinds: ["addrtype"],
  x6: true,
  options: [
    { name: "src-type", hasArg: true, invert: true },
    { name: "dst-type", hasArg: true, invert: true },
    { name: "limit-iface-in", hasArg: false, excl: ["limit-iface-out"] },
    { name: "limit-iface-out", hasArg: false, excl: ["limit-iface-in"] },
  ],
  help: `Address type match options:
 [!] --src-type type[,...]      Match source address type
 [!] --dst-type type[,...]      Match destination address type
     --limit-iface-in           Match only on the packet's incoming device
     --limit-iface-out          Match only on the packet's outgoing device

Valid types:           
${RTN_TYPES.map((t) => `                                ${t}\n`).join("")}`,
  init: () => ({ seen: new Seen(), src: 0, srcNegate: false, dst: 0, dstNegate: false, limitIn: false, limitOut: false }),
  parse(s, call) {
    x6Check(addrtypeMatch, s.seen, call);
    if (call.option === "src-type") {
      s.src = parseTypes(call.arg);
      s.srcNegate = call.invert;
    } else if (call.option === "dst-type") {
      s.dst = parseTypes(call.arg);
      s.dstNegate = call.invert;
    } else if (call.option === "limit-iface-in") s.limitIn = true;
    else s.limitOut = true;
  },
  finish(s) {
    if (!s.seen.has("src-type") && !s.seen.has("dst-type")) throw new XtError("addrtype: you must specify --src-type or --dst-type");
    x6Finish(addrtypeMatch, s.seen);
    return Object.freeze({ kind: "addrtype", src: s.src, srcNegate: s.srcNegate, dst: s.dst, dstNegate: s.dstNegate, limitIn: s.limitIn, limitOut: s.limitOut });
  },
  saveName: () => "addrtype",
  save(m) {
    let out = "";
    if (m.src) out += `${m.srcNegate ? " !" : ""} --src-type ${typeNames(m.src)}`;
    if (m.dst) out += `${m.dstNegate ? " !" : ""} --dst-type ${typeNames(m.dst)}`;
    if (m.limitIn) out += " --limit-iface-in";
    if (m.limitOut) out += " --limit-iface-out";
    return out;
  },
  print(m) {
    let out = " ADDRTYPE match";
    if (m.src) out += ` src-type ${m.srcNegate ? "!" : ""}${typeNames(m.src)}`;
    if (m.dst) out += ` dst-type ${m.dstNegate ? "!" : ""}${typeNames(m.dst)}`;
    if (m.limitIn) out += " limit-in";
    if (m.limitOut) out += " limit-out";
    return out;
  },
};
