/**
 * `-m recent` (libxt_recent.c, revision 1): named lists of addresses with the times they were
 * seen. kube-proxy's sessionAffinity ClientIP is built on it: the endpoint chain `--set`s the
 * client, the service chain `--rcheck --seconds 10800 --reap`s it first.
 *
 * @example
 * -A KUBE-SEP-X -m recent --set --name KUBE-SEP-X --mask 255.255.255.255 --rsource -j DNAT …
 */
import type { RecentMatch } from "../types";
import { formatQuad, type MatchExtension, numericToAddr, parseUint, Seen, x6Check, x6Finish, XtError } from "../xtables";

type State = { seen: Seen; op?: RecentMatch["op"] } & { -readonly [K in keyof Omit<RecentMatch, "kind" | "op">]: RecentMatch[K] };

const OPS = ["set", "rcheck", "update", "remove"];

export const recentMatch: MatchExtension<State, RecentMatch> = {
  name: "recent",
  kinds: ["recent"],
  x6: true,
  options: [
    ...OPS.map((name) => ({ name, hasArg: false, invert: true, excl: OPS })),
    { name: "seconds", hasArg: true },
    { name: "reap", hasArg: false, also: ["seconds"] },
    { name: "hitcount", hasArg: true },
    { name: "rttl", hasArg: false, excl: ["set", "remove"] },
    { name: "name", hasArg: true },
    { name: "rsource", hasArg: false },
    { name: "rdest", hasArg: false },
    { name: "mask", hasArg: true },
  ],
  help: `recent match options:
[!] --set                       Add source address to list, always matches.
[!] --rcheck                    Match if source address in list.
[!] --update                    Match if source address in list, also update last-seen time.
[!] --remove                    Match if source address in list, also removes that address from list.
    --seconds seconds           For check and update commands above.
                                Specifies that the match will only occur if source address last seen within
                                the last 'seconds' seconds.
    --reap                      Purge entries older then 'seconds'.
                                Can only be used in conjunction with the seconds option.
    --hitcount hits             For check and update commands above.
                                Specifies that the match will only occur if source address seen hits times.
                                May be used in conjunction with the seconds option.
    --rttl                      For check and update commands above.
                                Specifies that the match will only occur if the source address and the TTL
                                match between this packet and the one which was set.
                                Useful if you have problems with people spoofing their source address in order
                                to DoS you via this module.
    --name name                 Name of the recent list to be used.  DEFAULT used if none given.
    --rsource                   Match/Save the source address of each packet in the recent list table (default).
    --rdest                     Match/Save the destination address of each packet in the recent list table.
    --mask netmask              Netmask that will be applied to this recent list.
xt_recent by: Stephen Frost <sfrost@snowman.net>.
`,
  init: () => ({ seen: new Seen(), negate: false, seconds: 0, reap: false, hitcount: 0, rttl: false, name: "DEFAULT", side: "source", mask: 0xffffffff }),
  parse(s, call) {
    x6Check(recentMatch, s.seen, call);
    switch (call.option) {
      case "set":
      case "rcheck":
      case "update":
      case "remove":
        // Two different operations pass the parse (each is used once); the final check refuses them.
        s.op = call.option;
        if (call.invert) s.negate = true;
        return;
      case "seconds": {
        const n = parseUint(call.arg, 1, 0xffffffff);
        if (n === undefined) throw new XtError(`recent: bad value for option "--seconds", or out of range (1-4294967295).\n`);
        s.seconds = n;
        return;
      }
      case "hitcount": {
        const n = parseUint(call.arg, 0, 0xffffffff);
        if (n === undefined) throw new XtError(`recent: bad value for option "--hitcount", or out of range (0-4294967295).\n`);
        s.hitcount = n;
        return;
      }
      case "reap":
        s.reap = true;
        return;
      case "rttl":
        s.rttl = true;
        return;
      case "name":
        s.name = call.arg.slice(0, 199);
        return;
      case "rsource":
        s.side = "source";
        return;
      case "rdest":
        s.side = "dest";
        return;
      case "mask": {
        const mask = call.arg.split(".").length === 4 ? numericToAddr(call.arg) : undefined;
        if (mask === undefined) throw new XtError("getaddrinfo: Name or service not known\n");
        s.mask = mask;
      }
    }
  },
  finish(s) {
    if (!OPS.some((o) => s.seen.has(o))) throw new XtError("recent: you must specify one of `--set', `--rcheck' `--update' or `--remove'");
    x6Finish(recentMatch, s.seen);
    return Object.freeze({ kind: "recent", op: s.op!, negate: s.negate, seconds: s.seconds, reap: s.reap, hitcount: s.hitcount, rttl: s.rttl, name: s.name, side: s.side, mask: s.mask });
  },
  saveName: () => "recent",
  save(m) {
    let out = `${m.negate ? " !" : ""} --${m.op}`;
    if (m.seconds) out += ` --seconds ${m.seconds}`;
    if (m.reap) out += " --reap";
    if (m.hitcount) out += ` --hitcount ${m.hitcount}`;
    if (m.rttl) out += " --rttl";
    return `${out} --name ${m.name} --mask ${formatQuad(m.mask)} --${m.side === "source" ? "rsource" : "rdest"}`;
  },
  print(m) {
    const op = { set: "SET", rcheck: "CHECK", update: "UPDATE", remove: "REMOVE" }[m.op];
    let out = `${m.negate ? " !" : ""} recent: ${op}`;
    if (m.seconds) out += ` seconds: ${m.seconds}`;
    if (m.reap) out += " reap";
    if (m.hitcount) out += ` hit_count: ${m.hitcount}`;
    if (m.rttl) out += " TTL-Match";
    return `${out} name: ${m.name} side: ${m.side} mask: ${formatQuad(m.mask)}`;
  },
};
