/**
 * The stub resolver inside every program that looks a name up (curl, ping, wget, nc, getent,
 * host): `/etc/hosts` first, then DNS queries to the resolv.conf nameservers, sent as UDP
 * datagrams from the program's own network namespace (so a policy, a missing DNAT rule or a
 * dead CoreDNS pod breaks resolution as in life). Two C libraries walk the search list:
 *
 * - glibc: a name with at least `ndots` dots is tried as it is first, then with each search
 *   domain; fewer dots: the search domains first, the name as it is last. Nameservers are
 *   asked in order, each `timeout` seconds, `attempts` rounds.
 * - musl (Alpine): a name with at least `ndots` dots is only ever tried as it is; fewer dots:
 *   each search domain in turn, then the name. Every nameserver is asked at once and the first
 *   answer wins; a SERVFAIL or a timeout ends the walk (glibc moves on).
 *
 * @example
 * const conf = readResolvConf(fs);       // { nameservers: ["10.96.0.10"], search: ["default.svc.cluster.local", …], ndots: 5, … }
 * searchList("web", conf, "glibc");      // ["web.default.svc.cluster.local.", "web.svc.cluster.local.", "web.cluster.local.", "web."]
 * lookupAddress(env, "web");             // { ip: 10.96.112.4 as a number, name: "web.default.svc.cluster.local", queries: [...] }
 */
import type { FileSystem } from "../../shell";
import { formatIP, parseIP } from "../../util/ipv4";
import type { NetStack } from "../kernel/stack";
import type { ClusterNetwork } from "../network";
import { sendUdp, type Outcome } from "../walker/exchange";
import { fqdn, query, wireSize, type DnsMessage, type RRType } from "./message";

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  ndots: number;
  /** Seconds per try. */
  timeout: number;
  attempts: number;
}

/** Where a lookup runs: the program's files (hosts, resolv.conf) and network namespace. */
export interface ResolverEnv {
  fs: FileSystem;
  network?: ClusterNetwork;
  stack?: NetStack;
  now: number;
}

export type LibC = "glibc" | "musl";

function readText(fs: FileSystem, path: string): string | undefined {
  try {
    return fs.isFile(path) ? fs.readFile(path) : undefined;
  } catch {
    return undefined;
  }
}

/** resolv.conf as the resolver reads it (the last `search` line wins; no nameserver means 127.0.0.1). */
export function readResolvConf(fs: FileSystem): ResolvConf {
  const conf: ResolvConf = { nameservers: [], search: [], ndots: 1, timeout: 5, attempts: 2 };
  for (const line of (readText(fs, "/etc/resolv.conf") ?? "").split("\n")) {
    const [key, ...words] = line.replace(/[#;].*/, "").trim().split(/\s+/);
    if (key === "nameserver" && words[0] && conf.nameservers.length < 3) conf.nameservers.push(words[0]);
    else if (key === "search" || key === "domain") conf.search = words.filter((w) => w && w !== ".").slice(0, 32);
    else if (key === "options") {
      for (const o of words) {
        const [name, value] = o.split(":");
        const n = Number(value);
        if (name === "ndots" && Number.isInteger(n)) conf.ndots = Math.min(Math.max(n, 0), 15);
        if (name === "timeout" && Number.isInteger(n)) conf.timeout = Math.min(Math.max(n, 1), 30);
        if (name === "attempts" && Number.isInteger(n)) conf.attempts = Math.min(Math.max(n, 1), 5);
      }
    }
  }
  if (conf.nameservers.length === 0) conf.nameservers.push("127.0.0.1");
  return conf;
}

/** The names a library tries for `name`, in order. */
export function searchList(name: string, conf: ResolvConf, libc: LibC): string[] {
  if (name.endsWith(".")) return [fqdn(name)];
  const dots = name.split(".").length - 1;
  const searched = conf.search.map((d) => fqdn(`${name}.${d}`));
  if (dots >= conf.ndots) return libc === "musl" ? [fqdn(name)] : [fqdn(name), ...searched];
  return [...searched, fqdn(name)];
}

/** One query to one server over UDP, and what came back. */
export interface QueryResult {
  server: string;
  question: DnsMessage;
  response?: DnsMessage;
  outcome: Outcome;
  rttMs: number;
  /** The local port the query left from (CoreDNS logs it). */
  sport: number;
}

/** Sends one query from the environment's namespace to `server`:53 and waits for the answer. */
export function exchangeQuery(env: ResolverEnv, server: string, q: DnsMessage, port = 53): QueryResult {
  const ip = parseIP(server);
  if (!env.network || !env.stack || ip === undefined) return { server, question: q, outcome: { kind: "error", errno: "ENETUNREACH" }, rttMs: 0, sport: 0 };
  const network = env.network;
  let response: DnsMessage | undefined;
  const exchange = sendUdp(network, {
    from: env.stack, dst: ip, dport: port, now: env.now, payload: wireSize(q),
    respond: (view, at) => {
      response = network.dns?.serve(network, view, q, at);
      return response ? wireSize(response) : undefined;
    },
  });
  const delivered = exchange.outcome.kind === "delivered" && response !== undefined;
  return { server, question: q, response: delivered ? response : undefined, outcome: delivered ? exchange.outcome : exchange.outcome.kind === "delivered" ? { kind: "timeout" } : exchange.outcome, rttMs: exchange.rttMs, sport: exchange.client.port };
}

/** The answer to a question from the configured nameservers, as the library asks them. */
export function ask(env: ResolverEnv, conf: ResolvConf, q: DnsMessage, libc: LibC): QueryResult[] {
  const tries: QueryResult[] = [];
  for (let round = 0; round < conf.attempts; round++) {
    if (libc === "musl") {
      // Every nameserver at once; the first answer wins.
      const all = conf.nameservers.map((s) => exchangeQuery(env, s, q));
      const answered = all.filter((r) => r.response).sort((a, b) => a.rttMs - b.rttMs)[0];
      tries.push(answered ?? all[0]);
      if (answered) return tries;
      continue;
    }
    for (const server of conf.nameservers) {
      const r = exchangeQuery(env, server, q);
      tries.push(r);
      if (r.response) return tries;
    }
  }
  return tries;
}

export interface Lookup {
  /** The name that answered (after the search list), without the trailing dot. */
  name?: string;
  addresses: string[];
  /** Aliases met on the way (CNAME owners). */
  aliases: string[];
  /** Every query sent, in order (tools and tests read them). */
  queries: QueryResult[];
  /** How it failed: no such name, no address for it, or no server answered. */
  error?: "NXDOMAIN" | "NODATA" | "TIMEOUT" | "SERVFAIL";
}

/** The C library the environment's programs link: Alpine's musl, glibc elsewhere. */
export function libcOf(fs: FileSystem): LibC {
  return /^ID=alpine$/m.test(readText(fs, "/etc/os-release") ?? "") ? "musl" : "glibc";
}

/** `/etc/hosts` entries: address, then names. */
export function hostsEntries(fs: FileSystem): { ip: string; names: string[] }[] {
  const out: { ip: string; names: string[] }[] = [];
  for (const line of (readText(fs, "/etc/hosts") ?? "").split("\n")) {
    const words = line.replace(/#.*/, "").trim().split(/\s+/);
    if (words.length > 1 && parseIP(words[0]) !== undefined) out.push({ ip: words[0], names: words.slice(1) });
  }
  return out;
}

/** An address lookup (getaddrinfo for IPv4): /etc/hosts, then DNS through the search list. */
export function lookupHost(env: ResolverEnv, name: string, type: RRType = "A", libc: LibC = libcOf(env.fs)): Lookup {
  const lower = name.toLowerCase().replace(/\.$/, "");
  const hosts = hostsEntries(env.fs).filter((e) => e.names.some((n) => n.toLowerCase() === lower));
  if (hosts.length > 0 && type === "A") return { name: hosts[0].names[0], addresses: hosts.map((h) => h.ip), aliases: hosts[0].names.slice(1), queries: [] };
  const conf = readResolvConf(env.fs);
  const queries: QueryResult[] = [];
  let sawNoData = false;
  let id = env.network ? env.network.traffic.int(65536) : 0;
  for (const candidate of searchList(name, conf, libc)) {
    const tries = ask(env, conf, query(id++ & 0xffff, candidate, type), libc);
    queries.push(...tries);
    const last = tries[tries.length - 1];
    const r = last?.response;
    // No server answered: both libraries give up (EAI_AGAIN).
    if (!r) return { addresses: [], aliases: [], queries, error: "TIMEOUT" };
    if (r.rcode === "SERVFAIL" || r.rcode === "REFUSED") {
      if (libc === "musl") return { addresses: [], aliases: [], queries, error: "SERVFAIL" };
      continue;
    }
    if (r.rcode === "NXDOMAIN") continue;
    const addresses = r.answer.filter((a) => a.type === type).map((a) => a.data);
    if (addresses.length === 0) {
      sawNoData = true;
      continue;
    }
    const aliases = r.answer.filter((a) => a.type === "CNAME").map((a) => a.name.replace(/\.$/, ""));
    const owner = r.answer.find((a) => a.type === type)!.name.replace(/\.$/, "");
    return { name: owner, addresses, aliases, queries };
  }
  return { addresses: [], aliases: [], queries, error: sawNoData ? "NODATA" : "NXDOMAIN" };
}

/** The first IPv4 address of a name (a dotted quad is itself), as a number; undefined: it does not resolve. */
export function resolveAddress(env: ResolverEnv, name: string): number | undefined {
  const literal = parseIP(name);
  if (literal !== undefined) return literal;
  const found = lookupHost(env, name);
  return found.addresses.length > 0 ? parseIP(found.addresses[0]) : undefined;
}

/** The name /etc/hosts, then a PTR query, gives an address (a reverse lookup). */
export function reverseLookup(env: ResolverEnv, ip: number): string | undefined {
  const text = formatIP(ip);
  const entry = hostsEntries(env.fs).find((e) => e.ip === text);
  if (entry) return entry.names[0];
  if (!env.network || !env.stack) return undefined;
  const conf = readResolvConf(env.fs);
  const tries = ask(env, conf, query(env.network.traffic.int(65536), `${text.split(".").reverse().join(".")}.in-addr.arpa`, "PTR"), libcOf(env.fs));
  const ptr = tries[tries.length - 1]?.response?.answer.find((a) => a.type === "PTR");
  return ptr?.data.replace(/\.$/, "");
}
