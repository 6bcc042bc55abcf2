/**
 * `-m multiport` (libxt_multiport.c, revision 1): up to 15 ports or `lo:hi` ranges on the
 * source, the destination, or either side, after a `-p` of tcp, udp, udplite, sctp or dccp.
 *
 * @example
 * iptables -A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT
 */
import { serviceName } from "../services";
import type { MultiportMatch } from "../types";
import { type MatchExtension, type OptionDef, Seen, x6Check, x6Finish, XtError } from "../xtables";
import { parsePort } from "./ports";

const PROTO_NAMES: Readonly<Record<number, string>> = { 6: "tcp", 17: "udp", 136: "udplite", 132: "sctp", 33: "dccp" };
const SIDES: Readonly<Record<string, MultiportMatch["side"]>> = { "source-ports": "src", "destination-ports": "dst", ports: "either" };
const ALL = ["source-ports", "destination-ports", "ports"];

const OPTIONS: readonly OptionDef[] = [
  { name: "source-ports", hasArg: true, invert: true, excl: ALL },
  { name: "sports", hasArg: true, invert: true, excl: ALL, alias: "source-ports" },
  { name: "destination-ports", hasArg: true, invert: true, excl: ALL },
  { name: "dports", hasArg: true, invert: true, excl: ALL, alias: "destination-ports" },
  { name: "ports", hasArg: true, invert: true, excl: ALL },
];

interface State {
  seen: Seen;
  side?: MultiportMatch["side"];
  ports: [number, number][];
  negate: boolean;
}

function checkProto(proto: number, protoInvert: boolean): string {
  if (protoInvert) throw new XtError("multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP");
  const name = PROTO_NAMES[proto];
  if (name) return name;
  if (proto === 0) throw new XtError("multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
  throw new XtError("multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP");
}

const invalid = (text: string) => `invalid port/service \`${text}' specified`;

export const multiportMatch: MatchExtension<State, MultiportMatch> = {
  name: "multiport",
  kinds: ["multiport"],
  x6: true,
  options: OPTIONS,
  help: `multiport match options:
[!] --source-ports port[,port:port,port...]
 --sports ...
\t\t\t\tmatch source port(s)
[!] --destination-ports port[,port:port,port...]
 --dports ...
\t\t\t\tmatch destination port(s)
[!] --ports port[,port:port,port]
\t\t\t\tmatch both source and destination port(s)
`,
  init: () => ({ seen: new Seen(), ports: [], negate: false }),
  parse(s, call) {
    x6Check(multiportMatch, s.seen, call);
    const proto = checkProto(call.proto, call.protoInvert);
    const items = call.arg.split(",");
    const ports: [number, number][] = [];
    let count = 0;
    for (const item of items) {
      if (count >= 15) throw new XtError("too many ports specified");
      const colon = item.indexOf(":");
      if (colon >= 0) {
        if (count === 14) throw new XtError("too many ports specified");
        const lo = parsePort(item.slice(0, colon), proto, invalid);
        const hi = parsePort(item.slice(colon + 1), proto, invalid);
        if (lo >= hi) throw new XtError("invalid portrange specified");
        ports.push([lo, hi]);
        count += 2;
      } else {
        const p = parsePort(item, proto, invalid);
        ports.push([p, p]);
        count++;
      }
    }
    s.side = SIDES[call.option];
    s.ports = ports;
    s.negate = call.invert;
  },
  finish(s) {
    if (!s.side) throw new XtError("no ports specified");
    x6Finish(multiportMatch, s.seen);
    return Object.freeze({ kind: "multiport", side: s.side, ports: Object.freeze(s.ports.map((p) => Object.freeze(p) as readonly [number, number])), negate: s.negate });
  },
  saveName: () => "multiport",
  save(m) {
    const option = m.side === "src" ? "sports" : m.side === "dst" ? "dports" : "ports";
    return `${m.negate ? " !" : ""} --${option} ${m.ports.map(([lo, hi]) => (lo === hi ? lo : `${lo}:${hi}`)).join(",")}`;
  },
  print(m, ctx) {
    const proto = PROTO_NAMES[ctx.proto] ?? "";
    const port = (p: number) => (ctx.numeric ? String(p) : (serviceName(p, proto) ?? String(p)));
    const side = m.side === "src" ? "sports" : m.side === "dst" ? "dports" : "ports";
    return ` multiport ${side} ${m.negate ? " !" : ""}${m.ports.map(([lo, hi]) => (lo === hi ? port(lo) : `${port(lo)}:${port(hi)}`)).join(",")}`;
  },
};
