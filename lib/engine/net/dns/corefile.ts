/**
 * The Corefile, as CoreDNS 1.11 reads it: server blocks by zone, and in each the plugins a
 * learner meets (kubernetes, forward, cache, rewrite, hosts, log, errors, loadbalance…). The
 * order plugins run in is CoreDNS's compiled-in order (plugin.cfg), not the order of the file:
 * log → loadbalance → cache → rewrite → hosts → kubernetes → forward. An unknown directive
 * fails the load as CoreDNS fails it (`Corefile:3 - Error during parsing: Unknown directive 'x'`).
 *
 * @example
 * const conf = parseCorefile(text);
 * if ("error" in conf) log(`[ERROR] Restart failed: ${conf.error}`);
 * serverBlockFor(conf, "web.default.svc.cluster.local.")?.kubernetes?.zones; // ["cluster.local.", …]
 */
import { fqdn } from "./message";

export interface KubernetesPlugin {
  zones: string[];
  pods: "disabled" | "insecure" | "verified";
  /** Zones whose misses go on to the next plugin (all the plugin's zones when given bare). */
  fallthrough: string[] | undefined;
  ttl: number;
}

export interface HostsPlugin {
  entries: { ip: string; names: string[] }[];
  zones: string[];
  fallthrough: boolean;
  ttl: number;
}

export interface RewriteRule {
  match: "exact" | "prefix" | "suffix" | "substring" | "regex";
  from: string;
  to: string;
}

export interface ServerBlock {
  zones: string[];
  port: number;
  kubernetes?: KubernetesPlugin;
  /** `forward . 8.8.8.8 1.1.1.1` or `forward . /etc/resolv.conf`: the zone, and upstreams as written. */
  forward?: { from: string; to: string[] };
  cache?: { ttl: number; disabled: { success: string[]; denial: string[] } };
  rewrites: RewriteRule[];
  hosts?: HostsPlugin;
  log: boolean;
  errors: boolean;
  loadbalance: boolean;
}

export interface Corefile {
  text: string;
  blocks: ServerBlock[];
}

const PASSIVE = new Set(["errors", "health", "ready", "prometheus", "loop", "reload", "loadbalance", "log", "debug", "whoami", "bind", "bufsize", "any", "minimal", "nsid", "chaos"]);
const KNOWN = new Set([...PASSIVE, "kubernetes", "forward", "cache", "rewrite", "hosts"]);

interface Token {
  word: string;
  line: number;
}

function tokenize(text: string): Token[][] {
  // One entry per logical line; `{` and `}` are their own words.
  const lines: Token[][] = [];
  text.split("\n").forEach((raw, i) => {
    const words = raw.replace(/#.*/, "").replace(/([{}])/g, " $1 ").trim().split(/\s+/).filter(Boolean);
    if (words.length) lines.push(words.map((word) => ({ word, line: i + 1 })));
  });
  return lines;
}

class ParseError extends Error {}

function zoneOf(word: string): { zone: string; port: number } {
  const m = /^(?:dns:\/\/)?([^:]*)(?::(\d+))?$/.exec(word);
  if (!m) throw new ParseError(`invalid zone '${word}'`);
  return { zone: fqdn(m[1] || "."), port: m[2] ? Number(m[2]) : 53 };
}

/** Parses a Corefile; an error reads as CoreDNS prints it. */
export function parseCorefile(text: string): Corefile | { error: string } {
  const lines = tokenize(text);
  const blocks: ServerBlock[] = [];
  let i = 0;
  const at = (t: Token, message: string) => new ParseError(`Corefile:${t.line} - Error during parsing: ${message}`);
  try {
    while (i < lines.length) {
      const head = lines[i++];
      if (head[head.length - 1].word !== "{") throw at(head[0], `Unexpected token '${head[head.length - 1].word}', expecting '{'`);
      const keys = head.slice(0, -1).map((t) => zoneOf(t.word));
      const block: ServerBlock = { zones: keys.map((k) => k.zone), port: keys[0]?.port ?? 53, rewrites: [], log: false, errors: false, loadbalance: false };
      for (;;) {
        const line = lines[i++];
        if (!line) throw at(head[0], "Unexpected EOF");
        if (line[0].word === "}") break;
        const name = line[0].word;
        if (!KNOWN.has(name)) throw at(line[0], `Unknown directive '${name}'`);
        const args = line.slice(1).map((t) => t.word);
        const opens = args[args.length - 1] === "{";
        if (opens) args.pop();
        const body: string[][] = [];
        if (opens) {
          for (;;) {
            const inner = lines[i++];
            if (!inner) throw at(line[0], "Unexpected EOF");
            if (inner[0].word === "}") break;
            body.push(inner.map((t) => t.word));
          }
        }
        applyPlugin(block, name, args, body, (m) => at(line[0], m));
      }
      blocks.push(block);
    }
  } catch (e) {
    if (e instanceof ParseError) return { error: e.message };
    throw e;
  }
  return { text, blocks };
}

function applyPlugin(block: ServerBlock, name: string, args: string[], body: string[][], fail: (m: string) => ParseError): void {
  switch (name) {
    case "log":
      block.log = true;
      return;
    case "errors":
      block.errors = true;
      return;
    case "loadbalance":
      block.loadbalance = true;
      return;
    case "kubernetes": {
      const zones = args.length ? args.map(fqdn) : block.zones;
      const k: KubernetesPlugin = { zones, pods: "disabled", fallthrough: undefined, ttl: 5 };
      for (const [key, ...rest] of body) {
        if (key === "pods") {
          if (rest[0] !== "disabled" && rest[0] !== "insecure" && rest[0] !== "verified") throw fail(`plugin/kubernetes: wrong value for pods: ${rest[0] ?? ""},  must be one of: disabled, verified, insecure`);
          k.pods = rest[0];
        } else if (key === "fallthrough") k.fallthrough = rest.length ? rest.map(fqdn) : ["."];
        else if (key === "ttl") {
          const ttl = Number(rest[0]);
          if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) throw fail(`plugin/kubernetes: ttl must be in range [0, 3600]: ${rest[0] ?? ""}`);
          k.ttl = ttl;
        }
      }
      block.kubernetes = k;
      return;
    }
    case "forward":
      if (args.length < 2) throw fail("plugin/forward: Wrong argument count or unexpected line ending after '" + (args[0] ?? "forward") + "'");
      block.forward = { from: fqdn(args[0]), to: args.slice(1) };
      return;
    case "cache": {
      const ttl = args[0] && /^\d+$/.test(args[0]) ? Number(args[0]) : 3600;
      const disabled = { success: [] as string[], denial: [] as string[] };
      for (const [key, kind, ...zones] of body) if (key === "disable" && (kind === "success" || kind === "denial")) disabled[kind].push(...(zones.length ? zones.map(fqdn) : ["."]));
      block.cache = { ttl, disabled };
      return;
    }
    case "rewrite": {
      const words = args[0] === "continue" || args[0] === "stop" ? args.slice(1) : args;
      if (words[0] !== "name") throw fail(`plugin/rewrite: invalid rule type "${words[0] ?? ""}"`);
      const explicit = ["exact", "prefix", "suffix", "substring", "regex"].includes(words[1]);
      const [match, from, to] = explicit ? [words[1] as RewriteRule["match"], words[2], words[3]] : ["exact" as const, words[1], words[2]];
      if (!from || !to) throw fail("plugin/rewrite: wrong argument count");
      block.rewrites.push({ match, from: match === "exact" ? fqdn(from) : from.toLowerCase(), to: match === "exact" ? fqdn(to) : to.toLowerCase() });
      return;
    }
    case "hosts": {
      const zones = args.length > 1 ? args.slice(1).map(fqdn) : block.zones;
      const h: HostsPlugin = { entries: [], zones, fallthrough: false, ttl: 3600 };
      for (const [first, ...rest] of body) {
        if (first === "fallthrough") h.fallthrough = true;
        else if (first === "ttl") h.ttl = Number(rest[0]);
        else if (/^\d+\.\d+\.\d+\.\d+$/.test(first)) h.entries.push({ ip: first, names: rest.map(fqdn) });
      }
      block.hosts = h;
      return;
    }
    default:
      return;
  }
}

/** Whether `name` is `zone` or below it. */
export function inZone(name: string, zone: string): boolean {
  return zone === "." || name === zone || name.endsWith(`.${zone}`);
}

/** The server block that answers a name: the one with the longest matching zone. */
export function serverBlockFor(conf: Corefile, name: string): ServerBlock | undefined {
  let best: ServerBlock | undefined;
  let bestLength = -1;
  for (const block of conf.blocks) {
    if (block.port !== 53) continue;
    for (const zone of block.zones) {
      if (inZone(name, zone) && zone.length > bestLength) {
        best = block;
        bestLength = zone.length;
      }
    }
  }
  return best;
}

/** A name after the block's rewrite rules (the first that matches applies). */
export function rewriteName(block: ServerBlock, name: string): string {
  for (const r of block.rewrites) {
    const bare = name.replace(/\.$/, "");
    let out: string | undefined;
    if (r.match === "exact" && name === r.from) out = r.to;
    else if (r.match === "prefix" && bare.startsWith(r.from)) out = r.to + bare.slice(r.from.length);
    else if (r.match === "suffix" && bare.endsWith(r.from.replace(/\.$/, ""))) out = bare.slice(0, bare.length - r.from.replace(/\.$/, "").length) + r.to.replace(/\.$/, "");
    else if (r.match === "substring" && bare.includes(r.from)) out = bare.replace(r.from, r.to);
    else if (r.match === "regex") {
      const re = new RegExp(r.from);
      if (re.test(bare)) out = bare.replace(re, r.to.replace(/\{(\d)\}/g, "$$$1"));
    }
    if (out !== undefined) return fqdn(out);
  }
  return name;
}
