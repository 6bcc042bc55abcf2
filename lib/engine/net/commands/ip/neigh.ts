/**
 * `ip neigh` (iproute2 5.15 ipneigh.c): the ARP table of the namespace (what the walker learns,
 * the PERMANENT entries flannel and Calico write) and hand-made entries:
 * `ip neigh add 10.0.0.2 lladdr 02:… dev eth0 nud permanent`, `del`, `replace`, `flush`, `get`.
 *
 * @example
 * ip neigh show dev flannel.1
 */
import type { Neighbour, NeighbourState } from "../../kernel/neighbour";
import { formatIP, inCIDR, parseCIDR, parseIP, type CIDR } from "../../../util/ipv4";
import { duparg, duparg2, fail, invarg, matches, needLink, paint, parseMac, refused, Words, type IpEnv } from "./common";

const USAGE = `Usage: ip neigh { add | del | change | replace }
                { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }
                [ dev DEV ] [ router ] [ extern_learn ] [ protocol PROTO ]

       ip neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]
                                 [ vrf NAME ]
       ip neigh get { ADDR | proxy ADDR } dev DEV

STATE := { delay | failed | incomplete | noarp | none |
           permanent | probe | reachable | stale }
`;

const STATES: readonly NeighbourState[] = ["PERMANENT", "NOARP", "REACHABLE", "STALE", "DELAY", "PROBE", "INCOMPLETE", "FAILED"];

export function doNeigh(env: IpEnv, words: Words): void {
  if (!words.more()) return show(env, words, false);
  const cmd = words.next();
  if (matches(cmd, "add")) return modify(env, words, "add");
  if (matches(cmd, "change") || cmd === "chg") return modify(env, words, "change");
  if (matches(cmd, "replace")) return modify(env, words, "replace");
  if (matches(cmd, "delete")) return modify(env, words, "del");
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) return show(env, words, false);
  if (matches(cmd, "flush")) return show(env, words, true);
  if (matches(cmd, "get")) return get(env, words);
  if (matches(cmd, "help")) fail(USAGE, 255);
  fail(`Command "${cmd}" is unknown, try "ip neigh help".`, 255);
}

function stateOf(word: string): NeighbourState | undefined {
  return STATES.find((s) => s === word.toUpperCase());
}

/** One entry as print_neigh prints it (`dev` left out when the selector names it). */
function neighLine(env: IpEnv, n: Neighbour, withDev: boolean): string {
  let s = `${paint(env, "inet", formatIP(n.ip))} `;
  if (withDev) s += `dev ${paint(env, "ifname", env.stack.links.get(n.dev)?.name ?? `if${n.dev}`)} `;
  if (n.mac) s += `lladdr ${paint(env, "mac", n.mac)}`;
  if (n.externLearn) s += " extern_learn ";
  return `${s} ${n.state}\n`;
}

function show(env: IpEnv, words: Words, flush: boolean): void {
  if (flush && !words.more()) fail("Flush requires arguments.", 255);
  let dev: number | undefined;
  let to: CIDR | undefined;
  let states: Set<NeighbourState> | undefined;
  while (words.more()) {
    const w = words.next();
    if (w === "dev") {
      const arg = words.arg();
      if (dev !== undefined) duparg("dev", arg);
      dev = needLink(env.stack, arg).index;
    } else if (w === "nud") {
      const arg = words.arg();
      states ??= new Set();
      if (arg === "all") STATES.forEach((s) => states!.add(s));
      else states.add(stateOf(arg) ?? invarg("nud state is bad", arg));
    } else if (w === "proxy" || w === "vrf" || w === "master") {
      fail(`ip: "ip neigh show ${w}" is not simulated here`);
    } else {
      const arg = w === "to" ? words.arg() : w;
      if (w !== "to" && matches(w, "help")) fail(USAGE, 255);
      if (to) duparg2("to", arg);
      to = parseCIDR(arg.includes("/") ? arg : `${arg}/32`) ?? fail(`Error: any valid prefix is expected rather than "${arg}".`);
    }
  }
  // A flush leaves permanent and noarp entries unless asked for them.
  const wanted = states ?? new Set(flush ? STATES.filter((s) => s !== "PERMANENT" && s !== "NOARP") : STATES);
  const picked = env.stack.neighbours.filter((n) => (dev === undefined || n.dev === dev) && (!to || inCIDR(n.ip, to)) && wanted.has(n.state));
  if (flush) {
    const gone = new Set(picked);
    const kept = env.stack.neighbours.filter((n) => !gone.has(n));
    env.stack.neighbours.splice(0, env.stack.neighbours.length, ...kept);
    if (env.opts.stats > 0) env.out.push(picked.length > 0 ? `\n*** Round 1, deleting ${picked.length} entries ***\n*** Flush is complete after 1 round ***\n` : "Nothing to flush.\n");
    return;
  }
  for (const n of picked) env.out.push(neighLine(env, n, dev === undefined));
}

function modify(env: IpEnv, words: Words, cmd: "add" | "change" | "replace" | "del"): void {
  let lladdr: string | undefined;
  let state: NeighbourState = "PERMANENT";
  let dev: string | undefined;
  let dst: number | undefined;
  let externLearn = false;
  while (words.more()) {
    const w = words.next();
    if (matches(w, "lladdr")) {
      const arg = words.arg();
      if (lladdr !== undefined) duparg("lladdr", arg);
      lladdr = arg;
    } else if (w === "nud") {
      const arg = words.arg();
      state = stateOf(arg) ?? invarg("nud state is bad", arg);
    } else if (matches(w, "extern_learn")) {
      externLearn = true;
    } else if (w === "dev") {
      dev = words.arg();
    } else if (matches(w, "proxy") || w === "router" || matches(w, "protocol")) {
      fail(`ip: "ip neigh ${cmd} ... ${w}" is not simulated here`);
    } else {
      const arg = w === "to" ? words.arg() : w;
      if (dst !== undefined) duparg2("to", arg);
      dst = parseIP(arg) ?? fail(`Error: any valid address is expected rather than "${arg}".`);
    }
  }
  if (dev === undefined || dst === undefined) fail("Device and destination are required arguments.", 255);
  const mac = lladdr === undefined || lladdr === "null" ? "" : parseMac(lladdr);
  const link = needLink(env.stack, dev);
  const list = env.stack.neighbours;
  const i = list.findIndex((n) => n.ip === dst && n.dev === link.index);
  if (cmd === "del") {
    if (i < 0) refused("No such file or directory");
    list.splice(i, 1);
    return;
  }
  if (cmd === "add" && i >= 0) refused("File exists");
  if (cmd === "change" && i < 0) refused("No such file or directory");
  const entry: Neighbour = { ip: dst, dev: link.index, mac, state, ...(externLearn ? { externLearn } : {}) };
  if (i >= 0) list[i] = entry;
  else list.push(entry);
}

/** `ip neigh get ADDR dev DEV`. */
function get(env: IpEnv, words: Words): void {
  let dev: string | undefined;
  let dst: number | undefined;
  while (words.more()) {
    const w = words.next();
    if (w === "dev") dev = words.arg();
    else dst = parseIP(w === "to" ? words.arg() : w) ?? fail(`Error: any valid address is expected rather than "${w}".`);
  }
  if (dev === undefined || dst === undefined) fail("Device and address are required arguments.", 255);
  const link = needLink(env.stack, dev);
  const found = env.stack.neighbours.find((n) => n.ip === dst && n.dev === link.index) ?? refused("No such file or directory");
  env.out.push(neighLine(env, found, true));
}
