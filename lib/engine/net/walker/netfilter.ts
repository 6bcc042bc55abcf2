/**
 * The seam between the walk and netfilter's tables: at each hook the walker asks one table's
 * built-in chain (`traverse`, the netfilter module's evaluation) about the packet as it is
 * there — interfaces, br_netfilter's bridge ports, addresses, ports, mark, and its connection
 * as conntrack sees it — and gets back the verdict with the rule that decided. Marks the
 * tables set (MARK, CONNMARK) are applied to the packet and its connection here.
 *
 * @example
 * const { verdict } = evaluate({ stack, table: "nat", chain: "PREROUTING", packet, inLink: eth0, ct, now }, rng);
 * if (verdict.kind === "DNAT") … // { kind: "DNAT", ip, port, rule: "nat/KUBE-SEP-XYZ rule 1" }
 */
import { hitLabel, traverse, type CtView, type PacketView, type TraverseResult } from "../netfilter";
import { CT_STATUS_BITS, type TableName } from "../netfilter/types";
import type { Rng } from "../../util/rng";
import type { Link } from "../kernel/link";
import type { NetStack } from "../kernel/stack";
import { ctSecondsLeft } from "../conntrack/table";
import type { ConntrackEntry } from "../conntrack/types";
import { IPPROTO, totalLength, type Ipv4Packet } from "./packet";

/** Conntrack's view of the packet (`-m conntrack --ctstate`), UNTRACKED where no conntrack runs. */
export type CtState = "NEW" | "ESTABLISHED" | "RELATED" | "INVALID" | "UNTRACKED";

/** The packet's connection as a hook needs it (the walker's conntrack context). */
export interface HookCt {
  entry: ConntrackEntry;
  dir: "original" | "reply";
  state: CtState;
}

export interface HookInput {
  stack: NetStack;
  table: TableName;
  /** The built-in chain of the hook (PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING). */
  chain: string;
  packet: Ipv4Packet;
  inLink?: Link;
  outLink?: Link;
  /** br_netfilter: the bridge ports a bridged frame came in and goes out by (`-m physdev`). */
  physIn?: Link;
  physOut?: Link;
  /** The connection, or its state alone (INVALID, or UNTRACKED when undefined). */
  ct: HookCt | { state: CtState } | undefined;
  now: number;
}

/** What a chain decided; `rule` names the rule that decided it (`nat/KUBE-SEP-… rule 1`) or the policy. */
export type Verdict =
  | { kind: "ACCEPT"; rule?: string }
  | { kind: "DROP"; rule: string }
  | { kind: "REJECT"; with: string; rule: string }
  | { kind: "DNAT"; ip?: number; port?: number; rule: string }
  | { kind: "SNAT"; ip?: number; port?: number; randomFully: boolean; rule: string }
  | { kind: "MASQUERADE"; ports?: { lo: number; hi: number }; randomFully: boolean; rule: string }
  | { kind: "REDIRECT"; port?: number; rule: string };

/** The verdict, and whether the raw table said not to track the packet (`-j CT --notrack`). */
export interface Evaluation {
  verdict: Verdict;
  notrack: boolean;
}

function ctView(ct: HookInput["ct"], now: number): CtView {
  if (!ct || !("entry" in ct)) return { state: ct?.state ?? "UNTRACKED" };
  const e = ct.entry;
  let status = 0;
  if (e.replied) status |= CT_STATUS_BITS.SEEN_REPLY;
  if (e.assured) status |= CT_STATUS_BITS.ASSURED;
  return {
    state: ct.state,
    dnat: e.reply.src !== e.original.dst || e.reply.sport !== e.original.dport,
    snat: e.reply.dst !== e.original.src || e.reply.dport !== e.original.sport,
    reply: ct.dir === "reply",
    mark: e.mark,
    original: e.original,
    replyTuple: e.reply,
    status,
    expires: ctSecondsLeft(e, now),
  };
}

function packetView(input: HookInput): PacketView {
  const p = input.packet;
  const l4 = p.l4;
  const ports = l4.kind === "tcp" || l4.kind === "udp" ? { sport: l4.sport, dport: l4.dport } : { sport: 0, dport: 0 };
  return {
    src: p.src,
    dst: p.dst,
    protocol: IPPROTO[l4.kind],
    ...ports,
    icmpType: l4.kind === "icmp" ? l4.type : undefined,
    icmpCode: l4.kind === "icmp" ? l4.code : undefined,
    tcpFlags: l4.kind === "tcp" ? l4.flags : undefined,
    length: totalLength(p),
    inIface: input.inLink?.name ?? "",
    outIface: input.outLink?.name ?? "",
    bridged: input.physIn !== undefined || input.physOut !== undefined,
    physIn: input.physIn?.name,
    physOut: input.physOut?.name,
    mark: p.mark,
    ct: ctView(input.ct, input.now),
    // The socket is seen only where the packet was made (the kernel orphans it on the way out).
    sk: p.sk && p.sk.stack === input.stack.id && (input.chain === "OUTPUT" || input.chain === "POSTROUTING") ? p.sk : undefined,
  };
}

/** The rule (or policy) that decided, as a step names it. */
function decidedBy(input: HookInput, r: TraverseResult): string {
  if (r.by) return hitLabel(r.by);
  return `${input.table}/${input.chain} policy ${r.verdict.kind}`;
}

/**
 * One table's chain at a hook. The packet's mark and its connection's mark change as the
 * chain's MARK/CONNMARK rules say.
 */
export function evaluate(input: HookInput, rng: Rng): Evaluation {
  const result = traverse(input.stack, input.table, input.chain, packetView(input), { now: input.now, rng });
  input.packet.mark = result.mark;
  if (input.ct && "entry" in input.ct) input.ct.entry.mark = result.ctMark;
  const rule = decidedBy(input, result);
  const v = result.verdict;
  let verdict: Verdict;
  switch (v.kind) {
    case "ACCEPT":
      verdict = { kind: "ACCEPT", rule: result.by ? rule : undefined };
      break;
    case "DROP":
      verdict = { kind: "DROP", rule };
      break;
    case "REJECT":
      verdict = { kind: "REJECT", with: v.with, rule };
      break;
    default:
      verdict = { ...v, rule };
  }
  return { verdict, notrack: result.notrack };
}

/** Whether the namespace runs connection tracking: Linux registers conntrack's hooks in a namespace only once its ruleset needs them (NAT, state matches, IPVS). */
export function tracksConnections(stack: NetStack): boolean {
  for (const chain of stack.netfilter.nat.chains.values()) if (chain.rules.length > 0) return true;
  if (stack.ipvs.services.length > 0) return true;
  for (const table of [stack.netfilter.filter, stack.netfilter.mangle, stack.netfilter.raw]) {
    for (const chain of table.chains.values()) {
      for (const rule of chain.rules) {
        if (rule.spec.matches.some((m) => m.kind === "conntrack")) return true;
        if (rule.spec.target && CT_TARGETS.has(rule.spec.target.kind)) return true;
      }
    }
  }
  return false;
}

const CT_TARGETS = new Set(["CT", "CONNMARK"]);
