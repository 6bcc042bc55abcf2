/**
 * The iptables extensions this machine has, by the name `-m`/`-j` loads them with, and the
 * renderer of each compiled kind. A name not here is not installed: `-m cgroup` fails as it would
 * on a system without libxt_cgroup.so.
 */
import type { Match, Target } from "../types";
import type { MatchExtension, TargetExtension } from "../xtables";
import { addrtypeMatch } from "./addrtype";
import { conntrackMatch, stateMatch } from "./conntrack";
import { macMatch, physdevMatch } from "./devices";
import { icmpMatch } from "./icmp";
import { commentMatch, limitMatch, markMatch, nfacctMatch } from "./labels";
import { connmarkTarget, markTarget } from "./mark-targets";
import { multiportMatch } from "./multiport";
import { ownerMatch } from "./owner";
import { dnatTarget, masqueradeTarget, redirectTarget, snatTarget } from "./nat";
import { sctpMatch, tcpMatch, udpMatch } from "./ports";
import { recentMatch } from "./recent";
import { setMatch } from "./set";
import { statisticMatch } from "./statistic";
import { ctTarget, logTarget, notrackTarget, rejectTarget } from "./verdict-targets";

const MATCHES: readonly MatchExtension<never, never>[] = [
  tcpMatch, udpMatch, sctpMatch, multiportMatch, commentMatch, markMatch, nfacctMatch, limitMatch, macMatch, physdevMatch,
  addrtypeMatch, conntrackMatch, stateMatch, statisticMatch, recentMatch, icmpMatch, setMatch, ownerMatch,
] as never;

const TARGETS: readonly TargetExtension<never, never>[] = [
  dnatTarget, snatTarget, masqueradeTarget, redirectTarget, markTarget, connmarkTarget, rejectTarget, logTarget, ctTarget, notrackTarget,
] as never;

const MATCH_BY_NAME = new Map(MATCHES.map((m) => [m.name, m]));
const TARGET_BY_NAME = new Map(TARGETS.map((t) => [t.name, t]));
const MATCH_BY_KIND = new Map(MATCHES.flatMap((m) => m.kinds.map((k) => [k, m] as const)));
const TARGET_BY_KIND = new Map(TARGETS.flatMap((t) => t.kinds.map((k) => [k, t] as const)));

/** The match extension `-m name` loads; undefined when none is installed. */
export function matchExtension(name: string): MatchExtension | undefined {
  return MATCH_BY_NAME.get(name) as MatchExtension | undefined;
}

/** The target extension `-j NAME` loads; undefined for chains and the built-in verdicts. */
export function targetExtension(name: string): TargetExtension | undefined {
  return TARGET_BY_NAME.get(name) as TargetExtension | undefined;
}

/** The extension that renders a compiled match (the IP header fields have none). */
export function matchRenderer(m: Match): MatchExtension | undefined {
  return MATCH_BY_KIND.get(m.kind as never) as MatchExtension | undefined;
}

/** The extension that renders a compiled target (verdicts and chains have none). */
export function targetRenderer(t: Target): TargetExtension | undefined {
  return TARGET_BY_KIND.get(t.kind as never) as TargetExtension | undefined;
}
