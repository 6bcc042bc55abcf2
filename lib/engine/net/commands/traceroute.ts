/**
 * `traceroute`: Ubuntu's traceroute 2.1.0 on the nodes and the client, busybox's applet in
 * busybox images. Probes (UDP to 33434 and up by default, `-I` ICMP echo, `-T` TCP SYN) leave
 * with TTL 1, 2, 3…, three per hop, through the packet walker: each router that decrements the
 * TTL to zero answers ICMP time exceeded from the address it would use, a hop where nothing
 * answers (a DROP) is `*`, and the destination ends it with port unreachable (or an echo
 * reply, or a SYN-ACK/RST). Tunnels (VXLAN, IPIP) carry the probe inside one outer packet,
 * so the underlay's hops are invisible, as in life. Errors annotate (`!H`, `!N`, `!X`).
 *
 * @example
 * traceroute -n 10.244.2.5
 * // traceroute to 10.244.2.5 (10.244.2.5), 30 hops max, 60 byte packets
 * //  1  10.244.1.1  0.061 ms  0.021 ms  0.019 ms
 */
import type { Command, CommandResult } from "../../shell";
import { formatIP } from "../../util/ipv4";
import { connectTcp, echo, recordExchange, sendUdp, type Exchange } from "../walker";
import { currentNet } from "./context";
import { hostNameOf, resolveHost, userland } from "./userland";

interface Options {
  numeric: boolean;
  maxHops: number;
  queries: number;
  waitMs: number;
  method: "udp" | "icmp" | "tcp";
  port?: number;
  host?: string;
}

function parse(argv: readonly string[], busybox: boolean): Options | { error: CommandResult } {
  const opts: Options = { numeric: false, maxHops: 30, queries: 3, waitMs: 5000, method: "udp" };
  const bad = (text: string): { error: CommandResult } => ({ error: { stdout: "", stderr: text, exitCode: busybox ? 1 : 2 } });
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith("-")) {
      if (opts.host) continue;
      opts.host = word;
      continue;
    }
    for (let j = 1; j < word.length; j++) {
      const flag = word[j];
      if (flag === "n") opts.numeric = true;
      else if (flag === "I") opts.method = "icmp";
      else if (flag === "T") opts.method = "tcp";
      else if (flag === "4") continue;
      else if ("mqwpN".includes(flag)) {
        const value = word.slice(j + 1) || argv[++i];
        const n = Number(value);
        if (value === undefined || !Number.isFinite(n)) return bad(`Cannot handle \`-${flag}' option with arg \`${value ?? ""}' (argc ${i})\n`);
        if (flag === "m") opts.maxHops = n;
        else if (flag === "q") opts.queries = n;
        else if (flag === "w") opts.waitMs = n * 1000;
        else if (flag === "p") opts.port = n;
        break;
      } else return bad(`Bad option \`-${flag}' (argc ${i})\n`);
    }
  }
  if (!opts.host) return bad(busybox ? "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: traceroute [-46IFlnrv] [-f 1ST_TTL] [-m MAXTTL] [-q PROBES] [-p PORT]\n\t[-t TOS] [-w WAIT_SEC] [-s SRC_IP] [-i IFACE]\n\t[-z PAUSE_MSEC] HOST [BYTES]\n" : "Usage:\n  traceroute [ -46dFITnreAUDV ] [ -f first_ttl ] [ -g gate,... ] [ -i device ] [ -m max_ttl ] [ -N squeries ] [ -p port ] [ -t tos ] [ -l flow_label ] [ -w MAX,HERE,NEAR ] [ -q nqueries ] [ -s src_addr ] [ -z sendwait ] [ --fwmark=num ] host [ packetlen ]\n");
  return opts;
}

/** What one probe learned: who answered, after how long, and whether it ends the trace. */
interface Answer {
  from?: number;
  ms: number;
  mark: string;
  final: boolean;
}

function answerOf(ex: Exchange, dst: number, method: Options["method"]): Answer {
  const o = ex.outcome;
  const ms = ex.rttMs;
  switch (o.kind) {
    case "unreachable":
      if (o.reason === "ttl") return { from: o.from, ms, mark: "", final: false };
      return { from: o.from, ms, mark: o.reason === "net" ? " !N" : o.reason === "prohibited" ? " !X" : o.reason === "protocol" ? " !P" : " !H", final: true };
    case "refused":
      return { from: o.from, ms, mark: "", final: true };
    case "connected":
    case "delivered":
      return { from: method === "udp" && o.kind === "delivered" ? undefined : dst, ms, mark: "", final: !(method === "udp" && o.kind === "delivered") };
    case "error":
      return { from: ex.client.ip, ms: ex.elapsedMs, mark: " !H", final: true };
    default:
      return { ms: 0, mark: "", final: false };
  }
}

export const tracerouteCommand: Command = {
  name: "traceroute",
  summary: "print the route packets trace to network host",
  usage: "traceroute [ -46dFITnreAUDV ] [ -m max_ttl ] [ -q nqueries ] [ -w wait ] host",
  path: "/usr/sbin/traceroute",
  spec: { flags: [], raw: true },
  run(args, ctx) {
    const busybox = userland(ctx) === "busybox";
    const opts = parse(args.argv, busybox);
    if ("error" in opts) return opts.error;
    const here = currentNet(ctx);
    if (!here) return { stdout: "", stderr: "traceroute: socket: Operation not permitted\n", exitCode: 1 };
    const dst = resolveHost(ctx, opts.host!);
    if (dst === undefined) return busybox ? { stdout: "", stderr: `traceroute: bad address '${opts.host}'\n`, exitCode: 1 } : { stdout: "", stderr: `${opts.host}: Name or service not known\nCannot handle "host" cmdline arg \`${opts.host}' on position 1 (argc 1)\n`, exitCode: 2 };
    const size = busybox ? 46 : opts.method === "tcp" ? 60 : 60;
    let out = `traceroute to ${opts.host} (${formatIP(dst)}), ${opts.maxHops} hops max, ${size} byte packets\n`;
    const named = (ip: number) => {
      if (opts.numeric) return formatIP(ip);
      return `${hostNameOf(ctx, ip) ?? formatIP(ip)} (${formatIP(ip)})`;
    };
    let probe = 0;
    let last: Exchange | undefined;
    const id = here.network.traffic.int(0x10000);
    for (let ttl = 1; ttl <= opts.maxHops; ttl++) {
      let line = `${String(ttl).padStart(2)} `;
      let shownFrom: number | undefined;
      let final = false;
      for (let q = 0; q < opts.queries; q++) {
        const now = ctx.clock.now();
        const dport = opts.port !== undefined ? (opts.method === "udp" ? opts.port + probe : opts.port) : opts.method === "tcp" ? 80 : 33434 + probe;
        probe++;
        const ex =
          opts.method === "icmp"
            ? echo(here.network, { from: here.stack, dst, now, ttl, id, seq: probe, size: 32 })
            : opts.method === "tcp"
              ? connectTcp(here.network, { from: here.stack, dst, dport, now, ttl })
              : sendUdp(here.network, { from: here.stack, dst, dport, now, ttl, payload: size - 28 });
        last = ex;
        const a = answerOf(ex, dst, opts.method);
        if (a.from === undefined) {
          line += " *";
          ctx.clock.advance(opts.waitMs);
          continue;
        }
        ctx.clock.advance(Math.max(1, Math.ceil(a.ms)));
        if (a.from !== shownFrom) {
          line += ` ${named(a.from)}`;
          shownFrom = a.from;
        }
        line += `  ${Math.max(a.ms, 0.001).toFixed(3)} ms${a.mark}`;
        final ||= a.final;
      }
      out += `${line}\n`;
      if (final) break;
    }
    if (last) recordExchange(here.network, last, { host: opts.host!, port: 0 });
    return { stdout: out, stderr: "", exitCode: 0 };
  },
};
