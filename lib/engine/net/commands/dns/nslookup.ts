/**
 * `nslookup`: BIND 9.18's on the nodes, the client and netshoot; BusyBox 1.36's applet in busybox
 * and Alpine images. They print differently and walk names differently:
 *
 * - BIND's follows resolv.conf (search list, ndots), prints the first name that answers
 *   (`Non-authoritative answer:` when it came from a recursive server), A then AAAA, and
 *   `** server can't find NAME: NXDOMAIN` when none does.
 * - BusyBox's sends A and AAAA for every search domain at once when the name has no dot (and
 *   only the name as given when it has one, whatever ndots says), and prints every reply:
 *   answers, `** server can't find …: NXDOMAIN`, `*** Can't find …: No answer`.
 *
 * @example
 * nslookup kubernetes            # Name:	kubernetes.default.svc.cluster.local / Address: 10.96.0.1
 * nslookup web.default 10.96.0.10
 * nslookup -type=srv _http._tcp.web.default.svc.cluster.local
 */
import type { Command, CommandContext, CommandResult } from "../../../shell";
import { parseIP } from "../../../util/ipv4";
import { exchangeQuery, readResolvConf, searchList, type QueryResult, type ResolverEnv } from "../../dns/resolver";
import { parseType, query, reverseName, type DnsMessage, type RRType } from "../../dns/message";
import { userland } from "../userland";
import { bare, envOf } from "./common";

interface Options {
  name?: string;
  server?: string;
  type?: RRType;
  port: number;
  timeout: number;
  retry: number;
}

function parse(argv: readonly string[], busybox: boolean): Options | { error: CommandResult } {
  const o: Options = { port: 53, timeout: busybox ? 5 : 2, retry: busybox ? 2 : 3 };
  const operands: string[] = [];
  for (const w of argv) {
    if (!w.startsWith("-")) {
      operands.push(w);
      continue;
    }
    const [key, value] = w.slice(1).split("=");
    if (key === "type" || key === "querytype" || key === "q" || key === "t") {
      const t = parseType(value ?? "");
      if (!t) return { error: { stdout: "", stderr: busybox ? `nslookup: invalid query type "${value ?? ""}"\n` : `unknown query type: ${value ?? ""}\n`, exitCode: 1 } };
      o.type = t;
    } else if (key === "port") o.port = Number(value);
    else if (key === "timeout") o.timeout = Number(value);
    else if (key === "retry") o.retry = Number(value);
    else if (key !== "debug" && key !== "nodebug") return { error: { stdout: "", stderr: busybox ? `nslookup: unrecognized option '${w}'\n` : `*** Invalid option: ${w.slice(1)}\n`, exitCode: 1 } };
  }
  [o.name, o.server] = operands;
  return o;
}

/** One query with the tool's retries; the clock runs for every try that times out. */
function queryWithRetries(ctx: CommandContext, env: ResolverEnv, server: string, q: DnsMessage, o: Options): { result: QueryResult; errors: QueryResult[] } {
  const errors: QueryResult[] = [];
  for (let t = 0; ; t++) {
    const result = exchangeQuery({ ...env, now: ctx.clock.now() }, server, q, o.port);
    if (result.response) {
      ctx.clock.advance(Math.ceil(result.rttMs));
      return { result, errors };
    }
    ctx.clock.advance(result.outcome.kind === "timeout" ? o.timeout * 1000 : Math.ceil(result.rttMs));
    errors.push(result);
    if (t + 1 >= o.retry) return { result, errors };
  }
}

const commsError = (r: QueryResult, port: number) => `;; communications error to ${r.server}#${port}: ${r.outcome.kind === "refused" ? "connection refused" : "timed out"}\n`;

/** The lines BIND's nslookup prints for an answer (A/AAAA as Name/Address pairs, others as `name\ttype = data`). */
function bindAnswerLines(r: DnsMessage): string {
  let out = "";
  for (const rr of r.answer) {
    if (rr.type === "A" || rr.type === "AAAA") out += `Name:\t${bare(rr.name)}\nAddress: ${rr.data}\n`;
    else if (rr.type === "CNAME") out += `${bare(rr.name)}\tcanonical name = ${rr.data}\n`;
    else if (rr.type === "PTR") out += `${bare(rr.name)}\tname = ${rr.data}\n`;
    else if (rr.type === "SRV") out += `${bare(rr.name)}\tservice = ${rr.data}\n`;
    else if (rr.type === "MX") out += `${bare(rr.name)}\tmail exchanger = ${rr.data}\n`;
    else if (rr.type === "TXT") out += `${bare(rr.name)}\ttext = ${rr.data}\n`;
    else if (rr.type === "NS") out += `${bare(rr.name)}\tnameserver = ${rr.data}\n`;
  }
  return out;
}

function bindNslookup(ctx: CommandContext, o: Options): CommandResult {
  const env = envOf(ctx);
  const conf = readResolvConf(ctx.fs);
  const server = o.server ?? conf.nameservers[0];
  if (parseIP(server) === undefined) return { stdout: "", stderr: `;; Got SERVFAIL reply from ${server}\n** server can't find ${o.name}: SERVFAIL\n`, exitCode: 1 };
  const network = env.network;
  const id = () => (network ? network.traffic.int(65536) : 0);
  const reverse = parseIP(o.name!) !== undefined && !o.type;
  const types: RRType[] = reverse ? ["PTR"] : o.type ? [o.type] : ["A", "AAAA"];
  const names = reverse ? [reverseName(o.name!)] : searchList(o.name!, conf, "glibc");
  let out = "";
  let head = `Server:\t\t${server}\nAddress:\t${server}#${o.port}\n\n`;
  for (const name of names) {
    const first = queryWithRetries(ctx, env, server, query(id(), name, types[0]), o);
    out += first.errors.map((e) => commsError(e, o.port)).join("");
    if (!first.result.response) return { stdout: `${out};; no servers could be reached\n\n`, stderr: "", exitCode: 1 };
    const r = first.result.response;
    if (r.rcode === "NXDOMAIN") continue;
    if (r.rcode !== "NOERROR") {
      return { stdout: `${head}** server can't find ${bare(name)}: ${r.rcode}\n\n`, stderr: "", exitCode: 1 };
    }
    if (!r.flags.aa) head += "Non-authoritative answer:\n";
    out = head + bindAnswerLines(r);
    let answers = r.answer.length;
    for (const extra of types.slice(1)) {
      const more = queryWithRetries(ctx, env, server, query(id(), name, extra), o).result.response;
      if (more) out += bindAnswerLines(more);
      answers += more?.answer.length ?? 0;
    }
    if (answers === 0) out += `*** Can't find ${bare(name)}: No answer\n`;
    return { stdout: `${out}\n`, stderr: "", exitCode: 0 };
  }
  return { stdout: `${head}** server can't find ${o.name}: NXDOMAIN\n\n`, stderr: "", exitCode: 1 };
}

function busyboxNslookup(ctx: CommandContext, o: Options): CommandResult {
  const env = envOf(ctx);
  const conf = readResolvConf(ctx.fs);
  const server = o.server ?? conf.nameservers[0];
  if (parseIP(server) === undefined) return { stdout: "", stderr: `nslookup: bad address '${server}'\n`, exitCode: 1 };
  const network = env.network;
  const reverse = parseIP(o.name!) !== undefined;
  const types: RRType[] = reverse ? ["PTR"] : o.type ? [o.type] : ["A", "AAAA"];
  // BusyBox appends the search domains only to a name without a dot.
  const names = reverse ? [reverseName(o.name!)] : o.name!.includes(".") || conf.search.length === 0 ? [o.name!.replace(/\.$/, "")] : searchList(o.name!, { ...conf, ndots: 1 }, "musl").slice(0, -1);
  let out = `Server:\t\t${server}\nAddress:\t${server}:${o.port}\n\n`;
  let found = false;
  for (const type of types) {
    for (const name of names) {
      const { result } = queryWithRetries(ctx, env, server, query(network ? network.traffic.int(65536) : 0, name, type), { ...o, retry: 1 });
      const r = result.response;
      if (!r) return { stdout: "", stderr: ";; connection timed out; no servers could be reached\n", exitCode: 1 };
      const shown = bare(name);
      if (r.rcode !== "NOERROR") {
        out += `** server can't find ${shown}: ${r.rcode}\n\n`;
        continue;
      }
      const records = r.answer.filter((a) => a.type === type || a.type === "CNAME");
      if (records.length === 0) {
        out += `*** Can't find ${shown}: No answer\n\n`;
        continue;
      }
      found = true;
      for (const rr of records) {
        if (rr.type === "A" || rr.type === "AAAA") out += `Name:\t${bare(rr.name)}\nAddress: ${rr.data}\n`;
        else if (rr.type === "CNAME") out += `${bare(rr.name)}\tcanonical name = ${bare(rr.data)}\n`;
        else if (rr.type === "PTR") out += `${bare(rr.name)}\tname = ${bare(rr.data)}\n`;
        else if (rr.type === "SRV") out += `${bare(rr.name)}\tservice = ${rr.data.replace(/\.$/, "")}\n`;
        else out += `${bare(rr.name)}\t${rr.type.toLowerCase()} = ${rr.data}\n`;
      }
      out += "\n";
    }
  }
  return { stdout: out, stderr: "", exitCode: found ? 0 : 1 };
}

export const nslookupCommand: Command = {
  name: "nslookup",
  summary: "query Internet name servers",
  usage: "nslookup [-option] [name | -] [server]",
  path: "/usr/bin/nslookup",
  spec: { flags: [], raw: true },
  run(args, ctx) {
    const busybox = userland(ctx) === "busybox";
    const o = parse(args.argv, busybox);
    if ("error" in o) return o.error;
    if (!o.name) {
      return busybox
        ? { stdout: "", stderr: "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n", exitCode: 1 }
        : { stdout: "", stderr: "nslookup: interactive mode needs a terminal that stays open; give the name to look up: nslookup NAME [SERVER]\n", exitCode: 1 };
    }
    return busybox ? busyboxNslookup(ctx, o) : bindNslookup(ctx, o);
  },
};
