/**
 * One connection as `conntrack -L` prints it (conntrack-tools 1.4.6 over libnetfilter_conntrack's
 * default format): protocol name padded to 8 and number, seconds left, the TCP state, the
 * original tuple, `[UNREPLIED]` before any reply, the reply tuple, `[ASSURED]`, mark and use.
 *
 * @example
 * formatEntry(entry, now);
 * // "tcp      6 431999 ESTABLISHED src=10.244.1.5 dst=10.96.0.1 sport=43512 dport=443 src=172.30.1.2 dst=10.244.1.5 sport=6443 dport=43512 [ASSURED] mark=0 use=1"
 */
import { formatIP } from "../../util/ipv4";
import { ctSecondsLeft, icmpReplyType } from "./table";
import type { ConntrackEntry, Tuple } from "./types";

const PROTO_NUMBER = { tcp: 6, udp: 17, icmp: 1 } as const;

/** An ICMP tuple carries the echo id as the original's source port and the reply's destination port. */
function tuple(entry: ConntrackEntry, t: Tuple, type: number | undefined, id: number): string {
  const l4 = entry.protocol === "icmp" ? `type=${type ?? 0} code=${entry.icmpCode ?? 0} id=${id}` : `sport=${t.sport} dport=${t.dport}`;
  return `src=${formatIP(t.src)} dst=${formatIP(t.dst)} ${l4}`;
}

export function formatEntry(entry: ConntrackEntry, now: number): string {
  const words = [`${entry.protocol.padEnd(8)} ${PROTO_NUMBER[entry.protocol]}`, String(ctSecondsLeft(entry, now))];
  if (entry.protocol === "tcp") words.push(entry.tcpState);
  words.push(tuple(entry, entry.original, entry.icmpType, entry.original.sport));
  if (!entry.replied) words.push("[UNREPLIED]");
  words.push(tuple(entry, entry.reply, entry.icmpType === undefined ? undefined : icmpReplyType(entry.icmpType), entry.reply.dport));
  if (entry.assured) words.push("[ASSURED]");
  words.push(`mark=${entry.mark}`, "use=1");
  return words.join(" ");
}
