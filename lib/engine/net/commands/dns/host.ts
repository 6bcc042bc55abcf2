/**
 * `host`: BIND 9.18's simple lookup. It walks resolv.conf's search list, then prints the
 * name's addresses (A, AAAA) and mail exchangers, a reverse lookup for an address, or the
 * records of `-t TYPE`; `Host NAME not found: 3(NXDOMAIN)` (exit 1) when nothing answers.
 *
 * @example
 * host web                  # web.default.svc.cluster.local has address 10.96.112.4
 * host 10.96.0.10           # 10.0.96.10.in-addr.arpa domain name pointer kube-dns.kube-system.svc.cluster.local.
 * host -t SRV _dns._udp.kube-dns.kube-system.svc.cluster.local
 */
import type { Command, CommandContext, CommandResult } from "../../../shell";
import { parseIP } from "../../../util/ipv4";
import { exchangeQuery, readResolvConf, searchList, type QueryResult } from "../../dns/resolver";
import { parseType, query, reverseName, RCODE_NUMBERS, type DnsMessage, type RRType } from "../../dns/message";
import { bare, envOf, recordLine } from "./common";

const USAGE = "Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]\n";

/** How host words each record type. */
function describeRecord(rr: DnsMessage["answer"][number]): string {
  const owner = bare(rr.name);
  switch (rr.type) {
    case "A":
      return `${owner} has address ${rr.data}`;
    case "AAAA":
      return `${owner} has IPv6 address ${rr.data}`;
    case "CNAME":
      return `${owner} is an alias for ${rr.data}`;
    case "PTR":
      return `${owner} domain name pointer ${rr.data}`;
    case "MX":
      return `${owner} mail is handled by ${rr.data}`;
    case "SRV":
      return `${owner} has SRV record ${rr.data}`;
    case "NS":
      return `${owner} name server ${rr.data}`;
    case "TXT":
      return `${owner} descriptive text ${rr.data}`;
    case "SOA":
      return `${owner} has SOA record ${rr.data}`;
  }
}

export const hostCommand: Command = {
  name: "host",
  summary: "DNS lookup utility",
  usage: "host [-aCdilrTvVw] [-t type] [-W time] hostname [server]",
  path: "/usr/bin/host",
  spec: { flags: [], raw: true },
  run(args, ctx: CommandContext): CommandResult {
    let type: RRType | undefined;
    let verbose = false;
    let wait = 5;
    const operands: string[] = [];
    for (let i = 0; i < args.argv.length; i++) {
      const w = args.argv[i];
      if (w === "-t") {
        type = parseType(args.argv[++i] ?? "");
        if (!type) return { stdout: "", stderr: `host: invalid type: ${args.argv[i] ?? ""}\n`, exitCode: 1 };
      } else if (w === "-W") wait = Number(args.argv[++i]);
      else if (w === "-v" || w === "-a") verbose = true;
      else if (w.startsWith("-")) return { stdout: "", stderr: USAGE, exitCode: 1 };
      else operands.push(w);
    }
    const [name, serverArg] = operands;
    if (!name) return { stdout: "", stderr: USAGE, exitCode: 1 };
    const env = envOf(ctx);
    const conf = readResolvConf(ctx.fs);
    const server = serverArg ?? conf.nameservers[0];
    if (parseIP(server) === undefined) return { stdout: "", stderr: `host: couldn't get address for '${server}': not found\n`, exitCode: 1 };
    const prefix = serverArg ? `Using domain server:\nName: ${server}\nAddress: ${server}#53\nAliases: \n\n` : "";
    const reverse = parseIP(name) !== undefined;
    const types: RRType[] = reverse ? ["PTR"] : type ? [type] : ["A", "AAAA", "MX"];
    const names = reverse ? [reverseName(name)] : searchList(name, conf, "glibc");
    const network = env.network;
    const ask = (qname: string, t: RRType): QueryResult | string => {
      let errors = "";
      for (let attempt = 0; attempt < 2; attempt++) {
        const r = exchangeQuery({ ...env, now: ctx.clock.now() }, server, query(network ? network.traffic.int(65536) : 0, qname, t), 53);
        if (r.response) {
          ctx.clock.advance(Math.ceil(r.rttMs));
          return r;
        }
        ctx.clock.advance(r.outcome.kind === "timeout" ? wait * 1000 : Math.ceil(r.rttMs));
        errors += `;; communications error to ${server}#53: ${r.outcome.kind === "refused" ? "connection refused" : "timed out"}\n`;
      }
      return `${errors};; no servers could be reached\n`;
    };
    for (const qname of names) {
      const first = ask(qname, types[0]);
      if (typeof first === "string") return { stdout: first, stderr: "", exitCode: 1 };
      const r = first.response!;
      if (r.rcode === "NXDOMAIN" && qname !== names[names.length - 1]) continue;
      if (r.rcode !== "NOERROR") return { stdout: `${prefix}Host ${reverse ? reverseName(name) : name} not found: ${RCODE_NUMBERS[r.rcode]}(${r.rcode})\n`, stderr: "", exitCode: 1 };
      let out = prefix;
      const print = (m: DnsMessage, t: RRType) => {
        if (verbose) {
          out += m.answer.map((rr) => `${recordLine(rr)}\n`).join("");
          return;
        }
        const seen = new Set<string>();
        for (const rr of m.answer) {
          const line = describeRecord(rr);
          if (!seen.has(line) && (rr.type === t || rr.type === "CNAME")) out += `${line}\n`;
          seen.add(line);
        }
        if (type && m.answer.length === 0) out += `${bare(qname)} has no ${t} record\n`;
      };
      print(r, types[0]);
      for (const t of types.slice(1)) {
        const more = ask(qname, t);
        // CNAMEs were already said with the first type.
        if (typeof more !== "string") print({ ...more.response!, answer: more.response!.answer.filter((a) => a.type !== "CNAME") }, t);
      }
      return { stdout: out, stderr: "", exitCode: 0 };
    }
    return { stdout: `${prefix}Host ${name} not found: 3(NXDOMAIN)\n`, stderr: "", exitCode: 1 };
  },
};
