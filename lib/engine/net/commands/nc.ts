/**
 * `nc`: netcat-openbsd 1.218 on the nodes and the client, busybox's applet in busybox and
 * Alpine images. As a client it connects through the packet walker: `-z` only checks the port
 * (`Connection to 10.96.0.12 80 port [tcp/http] succeeded!` with `-v`), otherwise it sends its
 * standard input and prints what the server answers; `-u` sends a datagram (`-uz` "succeeds"
 * unless an ICMP port unreachable comes back); `-w N` bounds the connect and the idle wait.
 * Listening (`-l`) needs a second terminal to connect from: here it runs as a container's
 * command (node/programs/nc.ts), and in the shell it says so.
 *
 * @example
 * nc -zv 10.96.0.12 80     # Connection to 10.96.0.12 80 port [tcp/http] succeeded!
 * nc -zv 10.96.0.12 81     # nc: connect to 10.96.0.12 port 81 (tcp) failed: Connection refused
 */
import type { Command, CommandResult } from "../../shell";
import { formatIP } from "../../util/ipv4";
import { datagram, talk } from "../app";
import { recordExchange } from "../walker";
import { currentNet } from "./context";
import { resolveHost, userland } from "./userland";

interface Options {
  listen: boolean;
  zero: boolean;
  verbose: boolean;
  udp: boolean;
  waitMs?: number;
  numeric: boolean;
  host?: string;
  ports: number[];
}

/** Service names as /etc/services gives them (openbsd nc prints `[tcp/http]`, `[tcp/*]` when unnamed). */
const SERVICES: Record<string, string> = { "tcp/22": "ssh", "tcp/53": "domain", "udp/53": "domain", "tcp/80": "http", "tcp/443": "https", "tcp/8080": "http-alt", "tcp/6443": "*", "tcp/179": "bgp", "tcp/6379": "redis", "tcp/5432": "postgresql", "tcp/3306": "mysql" };

const OPENBSD_USAGE = "usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]\n";

/** Linux gives up unanswered SYNs after 127 s. */
const SYN_GIVE_UP_MS = 127_000;

function parse(argv: readonly string[]): Options | { error: CommandResult } {
  const opts: Options = { listen: false, zero: false, verbose: false, udp: false, numeric: false, ports: [] };
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith("-") || word === "-") {
      operands.push(word);
      continue;
    }
    for (let j = 1; j < word.length; j++) {
      const flag = word[j];
      if (flag === "l") opts.listen = true;
      else if (flag === "z") opts.zero = true;
      else if (flag === "v") opts.verbose = true;
      else if (flag === "u") opts.udp = true;
      else if (flag === "n") opts.numeric = true;
      else if (flag === "k" || flag === "4" || flag === "N") continue;
      else if (flag === "w" || flag === "p" || flag === "q" || flag === "e") {
        const value = word.slice(j + 1) || argv[++i];
        if (value === undefined) return { error: { stdout: "", stderr: `nc: option requires an argument -- '${flag}'\n${OPENBSD_USAGE}`, exitCode: 1 } };
        if (flag === "w") opts.waitMs = Number(value) * 1000;
        if (flag === "p") opts.ports.push(Number(value));
        break;
      } else return { error: { stdout: "", stderr: `nc: invalid option -- '${flag}'\n${OPENBSD_USAGE}`, exitCode: 1 } };
    }
  }
  opts.host = operands[0];
  for (const p of operands.slice(1)) {
    const range = /^(\d+)-(\d+)$/.exec(p);
    if (range) for (let n = Number(range[1]); n <= Number(range[2]); n++) opts.ports.push(n);
    else if (/^\d+$/.test(p)) opts.ports.push(Number(p));
    else return { error: { stdout: "", stderr: `nc: port range not valid\n`, exitCode: 1 } };
  }
  return opts;
}

export const ncCommand: Command = {
  name: "nc",
  summary: "arbitrary TCP and UDP connections and listens",
  usage: "nc [-46CDdFhklNnrStUuvZz] [-w timeout] [destination] [port]",
  path: "/usr/bin/nc",
  spec: { flags: [], raw: true },
  run(args, ctx) {
    const busybox = userland(ctx) === "busybox";
    const opts = parse(args.argv);
    if ("error" in opts) return opts.error;
    if (opts.listen) {
      return { stdout: "", stderr: "nc: a listener waits for a connection from another terminal, and this lab has one terminal (no Ctrl-C): run it as a container's command (command: [\"nc\", \"-lk\", \"-p\", \"8080\"]) and connect to it from here\n", exitCode: 1 };
    }
    if (!opts.host || opts.ports.length === 0) return { stdout: "", stderr: busybox ? "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n" : OPENBSD_USAGE, exitCode: 1 };
    const here = currentNet(ctx);
    if (!here) return { stdout: "", stderr: "nc: socket: Operation not permitted\n", exitCode: 1 };
    const ip = resolveHost(ctx, opts.host);
    if (ip === undefined) return { stdout: "", stderr: busybox ? `nc: bad address '${opts.host}'\n` : `nc: getaddrinfo for host "${opts.host}" port ${opts.ports[0]}: Name or service not known\n`, exitCode: 1 };
    const address = formatIP(ip);
    const stdin = opts.zero ? "" : ctx.stdin;
    let stdout = "";
    let stderr = "";
    let exitCode = 0;
    for (const port of opts.ports) {
      const start = ctx.clock.now();
      const proto = opts.udp ? "udp" : "tcp";
      const service = SERVICES[`${proto}/${port}`] ?? "*";
      const ok = busybox ? `${opts.host} (${address}:${port}) open\n` : `Connection to ${opts.host} ${port} port [${proto}/${service}] succeeded!\n`;
      const failed = (why: string) => (busybox ? `nc: ${opts.host} (${address}:${port}): ${why}\n` : `nc: connect to ${opts.host} port ${port} (${proto}) failed: ${why}\n`);
      if (opts.udp) {
        // A datagram is "connected" at once; only an ICMP port unreachable in answer tells otherwise.
        const { exchange: ex, answer } = datagram(here.network, { from: here.stack, dst: ip, port, now: start, data: opts.zero ? "" : stdin });
        recordExchange(here.network, ex, { host: opts.host, port });
        if (answer !== undefined) stdout += answer;
        ctx.clock.advance(Math.ceil(Math.max(ex.elapsedMs, opts.waitMs ?? 0)));
        if (ex.outcome.kind === "refused") {
          exitCode = 1;
          continue;
        }
        if (opts.verbose) stderr += ok;
        continue;
      }
      const t = talk(here.network, { from: here.stack, dst: ip, port, now: start, request: stdin, target: opts.host });
      const o = t.exchange.outcome;
      if (o.kind === "timeout") {
        const limit = opts.waitMs ?? SYN_GIVE_UP_MS;
        ctx.clock.advance(limit);
        stderr += opts.waitMs !== undefined ? (busybox ? `nc: timeout\n` : `nc: connect to ${opts.host} port ${port} (tcp) timed out: Operation now in progress\n`) : failed("Connection timed out");
        exitCode = 1;
        continue;
      }
      if (o.kind !== "connected") {
        ctx.clock.advance(Math.ceil(t.exchange.elapsedMs));
        stderr += failed(o.kind === "refused" ? "Connection refused" : o.kind === "unreachable" && o.reason === "net" ? "Network is unreachable" : "No route to host");
        exitCode = 1;
        continue;
      }
      if (opts.verbose || (busybox && opts.zero && opts.verbose)) stderr += ok;
      ctx.clock.advance(Math.ceil(t.exchange.elapsedMs));
      if (opts.zero) continue;
      const reply = t.reply ?? { kind: "silent" as const };
      if (reply.kind === "data") stdout += reply.data;
      const closed = reply.kind === "close" || reply.kind === "reset" || (reply.kind === "data" && reply.close);
      if (!closed) {
        if (opts.waitMs === undefined) {
          stderr += "nc: the connection stays open (the server waits for more), and this terminal has no Ctrl-C: give nc an end with -w SECONDS\n";
          exitCode = 1;
        } else ctx.clock.advance(opts.waitMs);
      }
    }
    return { stdout, stderr, exitCode };
  },
};
