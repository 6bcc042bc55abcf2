/**
 * `dig`: BIND 9.18's (Ubuntu 22.04's bind9-dnsutils on the nodes and the client; Alpine's
 * bind-tools in netshoot). One query over UDP from the shell's namespace to `@server` or the
 * first resolv.conf nameserver, printed section by section as dig does; no search list unless
 * `+search`. Three tries of 5 s before `;; no servers could be reached` (exit 9).
 *
 * @example
 * dig @10.96.0.10 kubernetes.default.svc.cluster.local
 * dig +short web.default.svc.cluster.local
 * dig -x 10.96.0.1
 * dig _http._tcp.web.default.svc.cluster.local SRV
 */
import type { Command, CommandContext, CommandResult } from "../../../shell";
import { parseIP } from "../../../util/ipv4";
import { exchangeQuery, readResolvConf, searchList, type QueryResult } from "../../dns/resolver";
import { parseType, query, reverseName, wireSize, type DnsMessage, type RRType } from "../../dns/message";
import { userland } from "../userland";
import { digDate, envOf, questionLine, recordLine } from "./common";

interface Options {
  server?: string;
  name?: string;
  type: RRType;
  port: number;
  short: boolean;
  search: boolean;
  sections: { comments: boolean; question: boolean; answer: boolean; authority: boolean; additional: boolean; stats: boolean; cmd: boolean };
  tries: number;
  timeout: number;
  recurse: boolean;
}

const USAGE = "Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n            {global-d-opt} host [@local-server] {local-d-opt}\n            [ host [@local-server] {local-d-opt} [...]]\n\nUse \"dig -h\" (or \"dig -h | more\") for complete list of options\n";

function parse(argv: readonly string[]): Options | { error: CommandResult } {
  const sections = { comments: true, question: true, answer: true, authority: true, additional: true, stats: true, cmd: true };
  const o: Options = { type: "A", port: 53, short: false, search: false, sections, tries: 3, timeout: 5, recurse: true };
  let typed = false;
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i];
    if (w.startsWith("@")) o.server = w.slice(1);
    else if (w.startsWith("+")) {
      const [flag, value] = w.slice(1).split("=");
      const off = flag.startsWith("no");
      const key = off ? flag.slice(2) : flag;
      if (key === "short") o.short = !off;
      else if (key === "search") o.search = !off;
      else if (key === "all") for (const k of Object.keys(sections) as (keyof typeof sections)[]) sections[k] = !off;
      else if (key in sections) sections[key as keyof typeof sections] = !off;
      else if (key === "tries" || key === "retry") o.tries = Math.max(1, Number(value) + (key === "retry" ? 1 : 0));
      else if (key === "time") o.timeout = Math.max(1, Number(value));
      else if (key === "recurse") o.recurse = !off;
      else return { error: { stdout: "", stderr: `Invalid option: ${w}\n${USAGE}`, exitCode: 1 } };
    } else if (w === "-t" || w === "-x" || w === "-p") {
      const value = argv[++i];
      if (value === undefined) return { error: { stdout: "", stderr: `${USAGE}`, exitCode: 1 } };
      if (w === "-t") {
        const t = parseType(value);
        if (!t) return { error: { stdout: "", stderr: `;; Warning, ignoring invalid type ${value}\n`, exitCode: 0 } };
        o.type = t;
        typed = true;
      } else if (w === "-p") o.port = Number(value);
      else {
        if (parseIP(value) === undefined) return { error: { stdout: "", stderr: `dig: '${value}' is not a legal IPv4 address\n`, exitCode: 10 } };
        o.name = reverseName(value);
        o.type = "PTR";
        typed = true;
      }
    } else if (w.startsWith("-")) return { error: { stdout: "", stderr: `Invalid option: ${w}\n${USAGE}`, exitCode: 1 } };
    else if (!typed && o.name !== undefined && parseType(w)) {
      o.type = parseType(w)!;
      typed = true;
    } else if (w.toUpperCase() === "IN") continue;
    else o.name = w;
  }
  return o;
}

function header(version: string, argv: readonly string[], o: Options): string {
  return `\n; <<>> DiG ${version} <<>> ${argv.join(" ")}\n${o.server ? "; (1 server found)\n" : ""};; global options: +cmd\n`;
}

function commsError(r: QueryResult, port: number): string {
  const why = r.outcome.kind === "refused" ? "connection refused" : r.outcome.kind === "error" || r.outcome.kind === "unreachable" ? "host unreachable" : "timed out";
  return `;; communications error to ${r.server}#${port}: ${why}\n`;
}

function render(o: Options, version: string, argv: readonly string[], q: DnsMessage, r: DnsMessage, result: QueryResult, cookie: string, now: number): string {
  if (o.short) return r.answer.map((a) => `${a.data}\n`).join("");
  const s = o.sections;
  let out = s.cmd ? header(version, argv, o) : "";
  if (s.comments) {
    const flags = (["qr", "aa", "tc", "rd", "ra"] as const).filter((f) => r.flags[f]).join(" ");
    out += ";; Got answer:\n";
    out += `;; ->>HEADER<<- opcode: QUERY, status: ${r.rcode}, id: ${r.id}\n`;
    out += `;; flags: ${flags}; QUERY: 1, ANSWER: ${r.answer.length}, AUTHORITY: ${r.authority.length}, ADDITIONAL: ${r.additional.length + (r.edns ? 1 : 0)}\n`;
    if (q.flags.rd && !r.flags.ra) out += ";; WARNING: recursion requested but not available\n";
    out += "\n";
    if (r.edns) out += `;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: ${r.edns.udpSize}\n; COOKIE: ${cookie} (echoed)\n`;
  }
  // Without comments dig prints the records bare, with no blank line between sections.
  const gap = s.comments ? "\n" : "";
  if (s.question) out += `${s.comments ? ";; QUESTION SECTION:\n" : ""}${questionLine(q.question.name, q.question.type)}\n${gap}`;
  const section = (title: string, on: boolean, records: DnsMessage["answer"]) => {
    if (!on || records.length === 0) return "";
    return `${s.comments ? `;; ${title} SECTION:\n` : ""}${records.map((rr) => `${recordLine(rr)}\n`).join("")}${gap}`;
  };
  out += section("ANSWER", s.answer, r.answer);
  out += section("AUTHORITY", s.authority, r.authority);
  out += section("ADDITIONAL", s.additional, r.additional);
  if (s.stats) {
    out += `;; Query time: ${Math.floor(result.rttMs)} msec\n`;
    out += `;; SERVER: ${result.server}#${o.port}(${result.server}) (UDP)\n`;
    out += `;; WHEN: ${digDate(now)}\n`;
    out += `;; MSG SIZE  rcvd: ${wireSize(r)}\n\n`;
  }
  return out;
}

export const digCommand: Command = {
  name: "dig",
  summary: "DNS lookup utility",
  usage: "dig [@server] [-t type] [-x addr] [-p port] [name] [type] [+queryopt...]",
  path: "/usr/bin/dig",
  spec: { flags: [], raw: true },
  run(args, ctx: CommandContext) {
    const o = parse(args.argv);
    if ("error" in o) return o.error;
    const version = userland(ctx) === "ubuntu" ? "9.18.30-0ubuntu0.22.04.2-Ubuntu" : "9.18.27";
    const env = envOf(ctx);
    const conf = readResolvConf(ctx.fs);
    const server = o.server ?? conf.nameservers[0];
    if (parseIP(server) === undefined) return { stdout: "", stderr: `dig: couldn't get address for '${server}': not found\n`, exitCode: 10 };
    const name = o.name ?? ".";
    const type = o.name === undefined ? "NS" : o.type;
    const candidates = o.search ? searchList(name, conf, "glibc") : [name];
    const network = env.network;
    const cookie = network ? Array.from({ length: 8 }, () => network.traffic.int(256).toString(16).padStart(2, "0")).join("") : "0000000000000000";
    let out = "";
    let last: { q: DnsMessage; r: DnsMessage; result: QueryResult } | undefined;
    for (const candidate of candidates) {
      const q = query(network ? network.traffic.int(65536) : 0, candidate, type, { edns: true, rd: o.recurse });
      let answered: QueryResult | undefined;
      for (let t = 0; t < o.tries && !answered; t++) {
        const result = exchangeQuery({ ...env, now: ctx.clock.now() }, server, q, o.port);
        if (result.response) answered = result;
        else {
          ctx.clock.advance(result.outcome.kind === "timeout" ? o.timeout * 1000 : Math.ceil(result.rttMs));
          out += commsError(result, o.port);
        }
      }
      if (!answered) {
        out += `${o.sections.cmd ? header(version, args.argv, o) : ""};; no servers could be reached\n\n`;
        return { stdout: o.short ? "" : out, stderr: o.short ? out : "", exitCode: 9 };
      }
      ctx.clock.advance(Math.ceil(answered.rttMs));
      last = { q, r: answered.response!, result: answered };
      if (last.r.rcode !== "NXDOMAIN") break;
    }
    return { stdout: out + render(o, version, args.argv, last!.q, last!.r, last!.result, cookie, ctx.clock.now()), stderr: "", exitCode: 0 };
  },
};

