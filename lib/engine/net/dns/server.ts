/**
 * The cluster's DNS servers: what a CoreDNS pod answers when a query reaches its socket
 * (through the real packet path: kube-proxy's DNAT of 10.96.0.10, the CNI, any policy on the
 * way), and what the public resolvers beside the cluster answer. One object per cluster on
 * `network.dns`; it keeps each CoreDNS container's loaded Corefile, cache and round-robin
 * counter, and writes the `log` plugin's query lines to the container's log.
 *
 * The Corefile is the `coredns` ConfigMap: CoreDNS's `reload` plugin checks it every 30 s from
 * the container's start and reloads when it changed (a broken one is refused and the old one
 * kept, as CoreDNS does). Forwarded queries leave the CoreDNS pod as packets to the upstream in
 * its own resolv.conf (dnsPolicy Default: the node's 8.8.8.8 and 1.1.1.1), through the gateway.
 *
 * @example
 * const dns = new ClusterDns(cluster.store, cluster.clock, agents);
 * cluster.network.dns = dns;
 * dns.serve(network, serverView, query(1, "web.default.svc.cluster.local", "A"), now); // the response
 */
import type { ObjectStore, WatchEvent, WatchListener } from "../../api";
import type { FileSystem } from "../../shell";
import { formatIP, parseIP } from "../../util/ipv4";
import { stableHex } from "../../node/format";
import type { ClusterNetwork } from "../network";
import { sendUdp, type ServerView } from "../walker/exchange";
import { inZone, parseCorefile, rewriteName, serverBlockFor, type Corefile, type ServerBlock } from "./corefile";
import { internetAnswer } from "./internet";
import { kubernetesAnswer, soaRecord } from "./kubernetes";
import { responseTo, wireSize, type DnsMessage, type ResourceRecord } from "./message";

/** What the DNS server needs of the node agents: a container's file system, start, and log. */
export interface DnsRuntimes {
  node(name: string): {
    runtime: { containers: ReadonlyMap<string, DnsContainer>; appendLog(id: string, lines: readonly { stream: "stdout" | "stderr"; text: string }[], at: number): void };
    /** The node's own files (systemd-resolved's upstream servers). */
    host: { fs: DnsContainer["fs"] };
  } | undefined;
}

/** Where systemd-resolved lists the upstream servers it forwards to (what DHCP or netplan gave the node). */
const RESOLVED_UPSTREAMS = "/run/systemd/resolve/resolv.conf";

/** What CoreDNS reads of its container: the Corefile and resolv.conf. */
export interface DnsContainer {
  fs: Pick<FileSystem, "isFile" | "readFile">;
  startedAt?: number;
  createdAt: number;
}

/** CoreDNS's reload plugin: a check every 30 s (its jitter left out, so every pod checks on its own 30 s beat). */
const RELOAD_MS = 30_000;
const COREFILE_PATH = "/etc/coredns/Corefile";
/** How many ExternalName targets CoreDNS follows before it stops (a loop of ExternalNames ends here). */
const MAX_CNAME_CHAIN = 8;

interface CachedAnswer {
  response: DnsMessage;
  storedAt: number;
}

/** One CoreDNS process: its Corefile, its cache, its round-robin turn. */
interface CoreDnsState {
  text: string;
  conf: Corefile;
  cache: Map<string, CachedAnswer>;
  turn: number;
  /** Index of the next Corefile version this process has not considered yet. */
  nextVersion: number;
}

export class ClusterDns implements WatchListener {
  /** Every text the `coredns` ConfigMap's Corefile had, with when it changed. */
  private readonly versions: { at: number; text: string }[] = [];
  private readonly processes = new Map<string, CoreDnsState>();
  /** When Services, EndpointSlices or Namespaces last changed (the SOA serial). */
  private modifiedAt: number;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: { now(): number },
    private readonly runtimes: DnsRuntimes,
  ) {
    this.modifiedAt = clock.now();
    store.watch(this);
  }

  onWatchEvent(event: WatchEvent): void {
    const kind = event.object.kind;
    if (kind === "Service" || kind === "EndpointSlice" || kind === "Namespace") this.modifiedAt = this.clock.now();
    if (kind === "ConfigMap" && event.object.metadata.namespace === "kube-system" && event.object.metadata.name === "coredns") {
      const text = event.type === "DELETED" ? "" : ((event.object as { data?: Record<string, string> }).data?.Corefile ?? "");
      this.versions.push({ at: this.clock.now(), text });
    }
  }

  /** The answer of whatever program holds the UDP/TCP 53 socket the query reached, or undefined (no answer). */
  serve(network: ClusterNetwork, server: ServerView, q: DnsMessage, at: number): DnsMessage | undefined {
    if (server.socket.program === "named") return internetAnswer(q);
    if (server.socket.program === "systemd-resolved") return this.stubResolver(network, server, q, at);
    if (server.socket.program !== "coredns" || server.socket.container === undefined) return undefined;
    const container = this.runtimes.node(server.host)?.runtime.containers.get(server.socket.container);
    if (!container) return undefined;
    const state = this.process(server.host, server.socket.container, container, at);
    const started = at;
    const response = this.answer(network, server, container, state, q, at);
    const block = serverBlockFor(state.conf, q.question.name);
    if (block?.log) {
      const seconds = (network.traffic.int(150_000) + 40_000 + Math.max(0, at - started) * 1e6) / 1e9;
      const line = `[INFO] ${formatIP(server.peer.ip)}:${server.peer.port} - ${q.id} "${q.question.type} IN ${q.question.name} udp ${wireSize(q)} false ${q.edns?.udpSize ?? 512}" ${response.rcode} ${flagList(response)} ${wireSize(response)} ${seconds}s`;
      this.runtimes.node(server.host)?.runtime.appendLog(server.socket.container, [{ stream: "stdout", text: line }], at);
    }
    return response;
  }

  /** The container's CoreDNS with the Corefile its reload plugin has loaded by `at`. */
  private process(host: string, id: string, container: DnsContainer, at: number): CoreDnsState {
    const key = `${host}/${id}`;
    let state = this.processes.get(key);
    const started = container.startedAt ?? container.createdAt;
    if (!state) {
      // The process read the Corefile of its start; later versions arrive through reload.
      let next = 0;
      while (next < this.versions.length && this.versions[next].at <= started) next++;
      const text = next > 0 ? this.versions[next - 1].text : (readFile(container.fs, COREFILE_PATH) ?? "");
      const parsed = parseCorefile(text);
      state = { text, conf: "error" in parsed ? { text, blocks: [] } : parsed, cache: new Map(), turn: 0, nextVersion: next };
      this.processes.set(key, state);
    }
    while (state.nextVersion < this.versions.length) {
      const version = this.versions[state.nextVersion];
      const check = started + Math.ceil((version.at - started) / RELOAD_MS) * RELOAD_MS;
      if (check > at) break;
      state.nextVersion++;
      // The check sees the newest text written by then.
      let latest = version;
      while (state.nextVersion < this.versions.length && this.versions[state.nextVersion].at <= check) latest = this.versions[state.nextVersion++];
      if (latest.text === state.text) continue;
      const parsed = parseCorefile(latest.text);
      const runtime = this.runtimes.node(host)?.runtime;
      if ("error" in parsed) {
        runtime?.appendLog(id, [{ stream: "stdout", text: `[ERROR] Restart failed: ${parsed.error}` }], check);
        state.text = latest.text;
        continue;
      }
      const lameduck = /lameduck\s+(\S+)/.exec(state.text)?.[1];
      runtime?.appendLog(id, [
        { stream: "stdout", text: "[INFO] Reloading" },
        ...(lameduck ? [{ stream: "stdout" as const, text: `[INFO] plugin/health: Going into lameduck mode for ${lameduck}` }] : []),
        { stream: "stdout", text: `[INFO] plugin/reload: Running configuration SHA512 = ${stableHex(latest.text, 128)}` },
        { stream: "stdout", text: "[INFO] Reloading complete" },
      ], check);
      state.text = latest.text;
      state.conf = parsed;
      state.cache.clear();
    }
    return state;
  }

  private answer(network: ClusterNetwork, server: ServerView, container: DnsContainer, state: CoreDnsState, q: DnsMessage, at: number): DnsMessage {
    const name = q.question.name;
    const block = serverBlockFor(state.conf, name);
    if (!block) return responseTo(q, "REFUSED", {});
    const cacheKey = `${name}/${q.question.type}`;
    const cached = block.cache ? state.cache.get(cacheKey) : undefined;
    if (cached) {
      const age = Math.floor((at - cached.storedAt) / 1000);
      const ttls = [...cached.response.answer, ...cached.response.authority].map((r) => r.ttl);
      if (ttls.length > 0 && age < Math.min(...ttls)) return aged(cached.response, q, age);
      state.cache.delete(cacheKey);
    }
    const rewritten = rewriteName(block, name);
    const inner: DnsMessage = { ...q, question: { ...q.question, name: rewritten } };
    let response = this.resolve(network, server, container, state.conf, block, inner, at);
    if (rewritten !== name) response = restoreName(response, q, rewritten);
    if (block.loadbalance) response = rotate(response, state.turn++);
    if (block.cache && cacheable(block, name, response)) {
      // The cache serves no record longer than its own TTL, the first answer included.
      response = clampTtl(response, block.cache.ttl);
      state.cache.set(cacheKey, { response, storedAt: at });
    }
    return response;
  }

  /** The plugin chain after rewrite: hosts, kubernetes, forward. */
  private resolve(network: ClusterNetwork, server: ServerView, container: DnsContainer, conf: Corefile, block: ServerBlock, q: DnsMessage, at: number, depth = 0): DnsMessage {
    const name = q.question.name;
    const hosts = block.hosts;
    if (hosts && hosts.zones.some((z) => inZone(name, z))) {
      const entries = hosts.entries.filter((e) => e.names.includes(name));
      if (entries.length > 0) {
        const reply = responseTo(q, "NOERROR", { aa: true });
        if (q.question.type === "A") reply.answer.push(...entries.map((e) => ({ name, ttl: hosts.ttl, type: "A" as const, data: e.ip })));
        return reply;
      }
      if (!hosts.fallthrough) return responseTo(q, "NXDOMAIN", { aa: true });
    }
    const k8s = block.kubernetes ? kubernetesAnswer(this.store, block.kubernetes, q.question) : undefined;
    if (k8s && block.kubernetes) {
      const reply = responseTo(q, k8s.rcode, { aa: true });
      reply.answer.push(...k8s.answer);
      reply.additional.push(...k8s.additional);
      if (k8s.chase && (q.question.type === "A" || q.question.type === "AAAA") && depth < MAX_CNAME_CHAIN) {
        // CoreDNS resolves an ExternalName's target by asking itself: a cluster name from its own
        // records, any other through its upstream.
        const target = serverBlockFor(conf, k8s.chase);
        const chased = target ? this.resolve(network, server, container, conf, target, { ...q, question: { name: k8s.chase, type: q.question.type } }, at, depth + 1) : undefined;
        if (chased) reply.answer.push(...chased.answer);
      }
      if (reply.answer.length === 0) reply.authority.push(soaRecord(k8s.zone, block.kubernetes.ttl, Math.floor(this.modifiedAt / 1000)));
      return reply;
    }
    return this.forward(network, server, container, block, q, at) ?? responseTo(q, "SERVFAIL", {});
  }

  /** The forward plugin: the query leaves the CoreDNS pod for each upstream in turn until one answers. */
  private forward(network: ClusterNetwork, server: ServerView, container: DnsContainer, block: ServerBlock, q: DnsMessage, at: number): DnsMessage | undefined {
    const fwd = block.forward;
    if (!fwd || !inZone(q.question.name, fwd.from)) return undefined;
    const upstreams = fwd.to.flatMap((to) => (to.startsWith("/") ? nameservers(readFile(container.fs, to) ?? "") : [to.replace(/^dns:\/\//, "")]));
    const { answer, errors } = this.relay(network, server, upstreams, q, at);
    if (block.errors && errors.length > 0 && server.socket.container) {
      this.runtimes.node(server.host)?.runtime.appendLog(server.socket.container, [{ stream: "stdout", text: `[ERROR] plugin/errors: 2 ${q.question.name} ${q.question.type}: ${errors[errors.length - 1]}` }], at);
    }
    return answer;
  }

  /**
   * A node's systemd-resolved on 127.0.0.53: the stub every program on an Ubuntu node asks (the
   * nodes' /etc/resolv.conf), relaying to the node's upstream servers — which know the
   * internet's names, never the cluster's (`*.svc.cluster.local` gets the root's NXDOMAIN).
   * No answer from any upstream: SERVFAIL, as resolved gives.
   */
  private stubResolver(network: ClusterNetwork, server: ServerView, q: DnsMessage, at: number): DnsMessage {
    const fs = this.runtimes.node(server.host)?.host.fs;
    const upstreams = fs ? nameservers(readFile(fs, RESOLVED_UPSTREAMS) ?? "") : [];
    const { answer } = this.relay(network, server, upstreams, q, at);
    return answer ? { ...answer, flags: { ...answer.flags, ra: true } } : responseTo(q, "SERVFAIL", { ra: true });
  }

  /** Real datagrams from the server's namespace to each upstream in turn until one answers; the errors of those that did not. */
  private relay(network: ClusterNetwork, server: ServerView, upstreams: readonly string[], q: DnsMessage, at: number): { answer?: DnsMessage; errors: string[] } {
    const from = network.stack(server.stack);
    const errors: string[] = [];
    if (!from) return { errors };
    for (const upstream of upstreams) {
      const [host, port] = upstream.split(":");
      const ip = parseIP(host);
      if (ip === undefined) continue;
      let answer: DnsMessage | undefined;
      const out = { ...q, id: network.traffic.int(65536), flags: { ...q.flags, rd: true } };
      const exchange = sendUdp(network, {
        from, dst: ip, dport: port ? Number(port) : 53, now: at, payload: wireSize(out),
        respond: (view, t) => {
          answer = this.serve(network, view, out, t);
          return answer ? wireSize(answer) : undefined;
        },
      });
      if (exchange.outcome.kind === "delivered" && answer) return { answer: { ...answer, id: q.id, flags: { ...answer.flags, rd: q.flags.rd } }, errors };
      errors.push(`read udp ${formatIP(exchange.client.ip)}:${exchange.client.port}->${formatIP(ip)}:${port ?? 53}: ${exchange.outcome.kind === "refused" ? "read: connection refused" : "i/o timeout"}`);
    }
    return { errors };
  }
}

function readFile(fs: DnsContainer["fs"], path: string): string | undefined {
  try {
    return fs.isFile(path) ? fs.readFile(path) : undefined;
  } catch {
    return undefined;
  }
}

function nameservers(resolv: string): string[] {
  return [...resolv.matchAll(/^nameserver\s+(\S+)/gm)].map((m) => m[1]);
}

/** The header flags as CoreDNS's log writes them (`qr,aa,rd`). */
function flagList(m: DnsMessage): string {
  const names = (["qr", "aa", "tc", "rd", "ra"] as const).filter((f) => m.flags[f]);
  return names.join(",");
}

/** A cached response for this query: its id and RD, TTLs less the time it spent in the cache. */
function aged(r: DnsMessage, q: DnsMessage, age: number): DnsMessage {
  const older = (rr: ResourceRecord) => ({ ...rr, ttl: rr.ttl - age });
  return { ...r, id: q.id, flags: { ...r.flags, aa: false, rd: q.flags.rd }, answer: r.answer.map(older), authority: r.authority.map(older), additional: r.additional.map(older) };
}

function clampTtl(r: DnsMessage, max: number): DnsMessage {
  const clamp = (rr: ResourceRecord) => (rr.ttl > max ? { ...rr, ttl: max } : rr);
  return { ...r, answer: r.answer.map(clamp), authority: r.authority.map(clamp), additional: r.additional.map(clamp) };
}

/** Whether the cache plugin keeps this answer (its zones, and the success/denial exceptions). */
function cacheable(block: ServerBlock, name: string, r: DnsMessage): boolean {
  if (r.rcode !== "NOERROR" && r.rcode !== "NXDOMAIN") return false;
  const denial = r.rcode === "NXDOMAIN" || r.answer.length === 0;
  const disabled = denial ? block.cache!.disabled.denial : block.cache!.disabled.success;
  return !disabled.some((z) => inZone(name, z));
}

/** After a rewrite, the client gets its own question back and answers under the name it asked. */
function restoreName(r: DnsMessage, q: DnsMessage, rewritten: string): DnsMessage {
  const back = (rr: ResourceRecord) => (rr.name === rewritten ? { ...rr, name: q.question.name } : rr);
  return { ...r, question: q.question, answer: r.answer.map(back) };
}

/** The loadbalance plugin: A records rotated each answer (round robin). */
function rotate(r: DnsMessage, turn: number): DnsMessage {
  const a = r.answer.filter((rr) => rr.type === "A");
  if (a.length < 2) return r;
  const shift = turn % a.length;
  const rotated = [...a.slice(shift), ...a.slice(0, shift)];
  let i = 0;
  return { ...r, answer: r.answer.map((rr) => (rr.type === "A" ? rotated[i++] : rr)) };
}

