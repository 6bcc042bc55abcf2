/**
 * `ipvsadm` v1.31 (Ubuntu 22.04): list and edit the namespace's IPVS table. Listing is sorted
 * by default as ipvsadm sorts it (protocol, address, port; `--nosort` shows the kernel's order),
 * with its exact columns: `-Ln`, `--stats`, `--rate`, `--thresholds`, `--persistent-conn`,
 * `--exact`, `-c` (the connection entries), `--timeout`, `-S` (rules), one service with
 * `-t|-u`; without `-n` addresses and ports are named as glibc names them (/etc/hosts, netbase's
 * services). Editing: `-A/-E/-D` services, `-a/-e/-d` real servers, `-C`, `-Z`, `--set`, `-R`.
 * Options are parsed as popt parses them (clusters like `-Ln`, `-p` with an optional timeout),
 * and errors are ipvsadm's own with its exit codes (2 for usage, 255 for a failed operation).
 *
 * @example
 * ipvsadm -Ln
 * ipvsadm -A -t 10.96.0.100:80 -s rr && ipvsadm -a -t 10.96.0.100:80 -r 10.244.1.5:80 -m
 */
import type { Command, CommandContext, CommandResult } from "../../shell";
import { formatIP, parseIP } from "../../util/ipv4";
import {
  addDestination, addService, deleteDestination, deleteService, editDestination, editService, expireConnections, findService, flush, IpvsError, IPVS_SCHEDULERS,
  readRates, zeroStats, type DestinationSpec, type IpvsErrno, type IpvsProtocol, type IpvsScheduler, type IpvsState, type IpvsStats, type RealServer, type ServiceSpec, type VirtualService,
} from "../ipvs";
import { serviceName, servicePort } from "../netfilter/services";
import { currentStack } from "./context";

const VERSION = "ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)";
const DEFAULT_SCHEDULER = "wlc";
const MAX_TIMEOUT = 86400 * 31;
/** IPVS_SVC_PERSISTENT_TIMEOUT: `-p` without a value. */
const DEFAULT_PERSISTENT = 300;
/** Schedulers the kernel has modules for but this engine does not run. */
const UNSIMULATED_SCHEDULERS = new Set(["lblc", "lblcr", "mh"]);

type Cmd = "add-service" | "edit-service" | "delete-service" | "flush" | "list" | "add-server" | "delete-server" | "edit-server" | "set" | "restore" | "save" | "zero";
type Opt = "numeric" | "connection" | "service-address" | "scheduler" | "persistent" | "netmask" | "real-server" | "forwarding-method" | "weight" | "u-threshold"
  | "l-threshold" | "timeout" | "stats" | "rate" | "thresholds" | "persistent-conn" | "nosort" | "exact" | "ops";
const OPTS: readonly Opt[] = ["numeric", "connection", "service-address", "scheduler", "persistent", "netmask", "real-server", "forwarding-method", "weight", "u-threshold",
  "l-threshold", "timeout", "stats", "rate", "thresholds", "persistent-conn", "nosort", "exact", "ops"];

/**
 * ipvsadm's table of legal command/option combinations (`+` compulsory, `x` illegal, `1`
 * exclusive), columns in {@link OPTS} order.
 */
const LEGAL: Readonly<Record<Cmd, string>> = {
  "add-service":    "xx+   xxxxxxxxxxxx ",
  "edit-service":   "xx+   xxxxxxxxxxxx ",
  "delete-service": "xx+xxxxxxxxxxxxxxxx",
  flush:            "xxxxxxxxxxxxxxxxxxx",
  list:             " 11xxxxxxxx1      x",
  "add-server":     "xx+xxx+    xxxxxxxx",
  "delete-server":  "xx+xxx+xxxxxxxxxxxx",
  "edit-server":    "xx+xxx+    xxxxxxxx",
  set:              "xxxxxxxxxxxxxxxxxxx",
  restore:          "xxxxxxxxxxxxxxxxxxx",
  save:             " xxxxxxxxxxxxxxxxxx",
  zero:             "xx xxxxxxxxxxxxxxxx",
};

/** libipvs's messages for the errno of each operation. */
const ERRORS: Readonly<Record<string, string>> = {
  "add-service/EEXIST": "Service already exists",
  "add-service/ENOENT": "Scheduler or persistence engine not found",
  "edit-service/ENOENT": "Scheduler or persistence engine not found",
  "add-server/ESRCH": "Service not defined",
  "add-server/EEXIST": "Destination already exists",
  "edit-server/ESRCH": "Service not defined",
  "edit-server/ENOENT": "No such destination",
  "delete-server/ESRCH": "Service not defined",
  "delete-server/ENOENT": "No such destination",
};
const errorText = (cmd: Cmd, errno: IpvsErrno) => ERRORS[`${cmd}/${errno}`] ?? (errno === "ESRCH" ? "No such service" : errno);

/** Long options as popt's table declares them: the tag they produce and whether they take a value. */
const LONG: Readonly<Record<string, { tag: string; arg: "none" | "required" | "optional" }>> = {
  "add-service": { tag: "A", arg: "none" }, "edit-service": { tag: "E", arg: "none" }, "delete-service": { tag: "D", arg: "none" },
  clear: { tag: "C", arg: "none" }, list: { tag: "L", arg: "none" }, zero: { tag: "Z", arg: "none" }, "add-server": { tag: "a", arg: "none" },
  "edit-server": { tag: "e", arg: "none" }, "delete-server": { tag: "d", arg: "none" }, set: { tag: "set", arg: "none" }, help: { tag: "h", arg: "none" },
  version: { tag: "v", arg: "none" }, restore: { tag: "R", arg: "none" }, save: { tag: "S", arg: "none" },
  "start-daemon": { tag: "start-daemon", arg: "required" }, "stop-daemon": { tag: "stop-daemon", arg: "required" },
  "tcp-service": { tag: "t", arg: "required" }, "udp-service": { tag: "u", arg: "required" }, "sctp-service": { tag: "sctp", arg: "required" },
  "fwmark-service": { tag: "f", arg: "required" }, scheduler: { tag: "s", arg: "required" }, persistent: { tag: "p", arg: "optional" },
  netmask: { tag: "M", arg: "required" }, "real-server": { tag: "r", arg: "required" }, masquerading: { tag: "m", arg: "none" },
  ipip: { tag: "i", arg: "none" }, gatewaying: { tag: "g", arg: "none" }, weight: { tag: "w", arg: "required" },
  "u-threshold": { tag: "x", arg: "required" }, "l-threshold": { tag: "y", arg: "required" }, numeric: { tag: "n", arg: "none" },
  connection: { tag: "c", arg: "none" }, "mcast-interface": { tag: "mcast", arg: "required" }, syncid: { tag: "syncid", arg: "required" },
  timeout: { tag: "timeout", arg: "none" }, daemon: { tag: "daemon", arg: "none" }, stats: { tag: "stats", arg: "none" }, rate: { tag: "rate", arg: "none" },
  thresholds: { tag: "thresholds", arg: "none" }, "persistent-conn": { tag: "persistent-conn", arg: "none" }, nosort: { tag: "nosort", arg: "none" },
  sort: { tag: "sort", arg: "none" }, exact: { tag: "X", arg: "none" }, ipv6: { tag: "6", arg: "none" }, ops: { tag: "o", arg: "none" },
  pe: { tag: "pe", arg: "required" }, "sched-flags": { tag: "b", arg: "required" },
};
const SHORT_WITH_VALUE = new Set(["t", "u", "f", "s", "M", "r", "w", "x", "y", "b"]);
const SHORT = new Set([..."AEDCLlZaedhvRSmignc6oX", ...SHORT_WITH_VALUE, "p"]);

type Parsed = { options: { tag: string; value?: string; spelled: string }[]; operands: string[] } | { bad: string; reason: string; first: boolean };

/** popt's walk over argv: short clusters (`-Ln`, `-t1.2.3.4:80`), `--long[=value]`, `--` ends options. */
function popt(argv: readonly string[]): Parsed {
  const options: { tag: string; value?: string; spelled: string }[] = [];
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === "--") {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (word.startsWith("--")) {
      const [name, attached] = word.slice(2).split(/=(.*)/s);
      const opt = LONG[name];
      if (!opt) return { bad: word, reason: "unknown option", first: options.length === 0 };
      let value = attached;
      if (opt.arg === "required" && value === undefined) {
        value = argv[++i];
        if (value === undefined) return { bad: word, reason: "missing argument", first: options.length === 0 };
      } else if (opt.arg === "optional" && value === undefined && argv[i + 1] !== undefined && !argv[i + 1].startsWith("-")) value = argv[++i];
      options.push({ tag: opt.tag, value, spelled: word });
      continue;
    }
    if (!word.startsWith("-") || word === "-") {
      operands.push(word);
      continue;
    }
    for (let j = 1; j < word.length; j++) {
      const c = word[j];
      if (!SHORT.has(c)) return { bad: `-${c}`, reason: "unknown option", first: options.length === 0 };
      const tag = c === "l" ? "L" : c;
      const rest = word.slice(j + 1);
      if (SHORT_WITH_VALUE.has(c) || c === "p") {
        let value: string | undefined = rest || undefined;
        if (value === undefined) {
          const next = argv[i + 1];
          if (SHORT_WITH_VALUE.has(c)) {
            if (next === undefined) return { bad: `-${c}`, reason: "missing argument", first: options.length === 0 };
            value = argv[++i];
          } else if (next !== undefined && !next.startsWith("-")) value = argv[++i];
        }
        options.push({ tag, value, spelled: `-${c}` });
        break;
      }
      options.push({ tag, spelled: `-${c}` });
    }
  }
  return { options, operands };
}

class Fail extends Error {
  constructor(readonly result: CommandResult) {
    super(result.stderr);
  }
}
const fail = (message: string, code = 2): never => {
  throw new Fail({ stdout: "", stderr: `${message}\n`, exitCode: code });
};
const tryHelp = (): never => {
  throw new Fail({ stdout: "", stderr: "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n", exitCode: 255 });
};

/** strtol over the whole word, in range; -1 otherwise (ipvsadm's string_to_number). */
function number(text: string, min: number, max: number): number {
  if (!/^[+-]?\d+$/.test(text.trim()) || text !== text.trimEnd()) return -1;
  const n = Number(text);
  return n >= min && n <= max ? n : -1;
}

interface Request {
  cmd?: Cmd;
  options: Set<Opt>;
  service?: { protocol: IpvsProtocol; ip: number; port: number; hasPort: boolean };
  scheduler: string;
  persistent?: number;
  netmask: number;
  onePacket: boolean;
  real?: { ip: number; port: number; hasPort: boolean };
  forward: RealServer["forward"];
  weight: number;
  upper: number;
  lower: number;
  timeouts?: [number, number, number];
}

/** `host[:port]` (ipvsadm's parse_service): a dotted quad or a name from /etc/hosts, a number or a name from /etc/services. */
function parseService(text: string, protocol: IpvsProtocol, names: NameTables): { ip: number; port: number; hasPort: boolean } | undefined {
  if (/^\d+$/.test(text)) return undefined;
  const colon = text.lastIndexOf(":");
  const host = colon >= 0 ? text.slice(0, colon) : text;
  const ip = parseIP(host) ?? names.hostAddress(host);
  if (ip === undefined) return undefined;
  if (colon < 0) return { ip, port: 0, hasPort: false };
  const portText = text.slice(colon + 1);
  const n = number(portText, 0, 65535);
  const port = n >= 0 ? n : names.servicePort(portText, protocol);
  return port === undefined ? undefined : { ip, port, hasPort: true };
}

function request(parsed: Extract<Parsed, { options: unknown }>, names: NameTables): Request {
  const req: Request = { options: new Set(), scheduler: "", netmask: 0xffffffff, onePacket: false, forward: "Route", weight: 1, upper: 0, lower: 0 };
  const setCmd = (cmd: Cmd) => {
    if (req.cmd) fail("multiple commands specified");
    req.cmd = cmd;
  };
  const setOpt = (opt: Opt) => {
    if (req.options.has(opt)) fail(`multiple '${opt}' options specified`);
    req.options.add(opt);
  };
  const [first, ...rest] = parsed.options;
  const commandOf: Record<string, Cmd> = { A: "add-service", E: "edit-service", D: "delete-service", a: "add-server", e: "edit-server", d: "delete-server", C: "flush", L: "list", Z: "zero", set: "set", R: "restore", S: "save" };
  if (!first) tryHelp();
  if (first.tag === "h") throw new Fail({ stdout: usage(), stderr: "", exitCode: 0 });
  if (first.tag === "v") throw new Fail({ stdout: `${VERSION}\n`, stderr: "", exitCode: 0 });
  if (first.tag === "start-daemon" || first.tag === "stop-daemon") fail("ipvsadm: the connection sync daemon is not simulated here");
  if (!commandOf[first.tag]) tryHelp();
  setCmd(commandOf[first.tag]);
  for (const o of rest) {
    if (commandOf[o.tag]) setCmd(commandOf[o.tag]);
    switch (o.tag) {
      case "t":
      case "u": {
        setOpt("service-address");
        const protocol = o.tag === "t" ? "tcp" : "udp";
        const svc = parseService(o.value!, protocol, names);
        if (!svc) fail("illegal virtual server address[:port] specified");
        req.service = { protocol, ...svc! };
        break;
      }
      case "f":
      case "sctp":
        fail(`ipvsadm: ${o.tag === "f" ? "fwmark" : "SCTP"} services are not simulated here`);
        break;
      case "s":
        setOpt("scheduler");
        req.scheduler = o.value!.slice(0, 15);
        break;
      case "p":
        setOpt("persistent");
        if (o.value === undefined) req.persistent = DEFAULT_PERSISTENT;
        else {
          const n = number(o.value, 1, MAX_TIMEOUT);
          if (n < 0) fail(`invalid timeout value \`${o.value}' specified`);
          req.persistent = n;
        }
        break;
      case "M": {
        setOpt("netmask");
        const mask = parseIP(o.value!);
        if (mask === undefined) fail("illegal virtual server persistent mask specified");
        req.netmask = mask!;
        break;
      }
      case "r": {
        setOpt("real-server");
        const dest = parseService(o.value!, req.service?.protocol ?? "tcp", names);
        if (!dest) fail("illegal real server address[:port] specified");
        req.real = dest;
        break;
      }
      case "g":
      case "i":
      case "m":
        setOpt("forwarding-method");
        req.forward = o.tag === "m" ? "Masq" : o.tag === "i" ? "Tunnel" : "Route";
        break;
      case "w":
        setOpt("weight");
        req.weight = number(o.value!, 0, 65535);
        if (req.weight < 0) fail("illegal weight specified");
        break;
      case "x":
        setOpt("u-threshold");
        req.upper = number(o.value!, 0, 0x7fffffff);
        if (req.upper < 0) fail("illegal u_threshold specified");
        break;
      case "y":
        setOpt("l-threshold");
        req.lower = number(o.value!, 0, 0x7fffffff);
        if (req.lower < 0) fail("illegal l_threshold specified");
        break;
      case "n":
        setOpt("numeric");
        break;
      case "c":
        setOpt("connection");
        break;
      case "timeout":
        setOpt("timeout");
        break;
      case "stats":
      case "rate":
      case "thresholds":
      case "persistent-conn":
      case "nosort":
        setOpt(o.tag as Opt);
        break;
      case "X":
        setOpt("exact");
        break;
      case "o":
        setOpt("ops");
        req.onePacket = true;
        break;
      case "sort":
        break;
      case "daemon":
      case "mcast":
      case "syncid":
      case "pe":
      case "b":
      case "6":
        fail(`ipvsadm: ${o.spelled} is not simulated here`);
        break;
      default:
        if (!commandOf[o.tag]) fail(`invalid option \`${o.spelled}'`);
    }
  }
  if (req.cmd === "set") {
    const [tcp, tcpfin, udp] = parsed.operands;
    if (udp === undefined) fail("--set option requires 3 timeout values");
    const parse = (v: string) => {
      const n = number(v, 0, MAX_TIMEOUT);
      if (n < 0) fail(`invalid timeout value \`${v}' specified`);
      return n;
    };
    req.timeouts = [parse(tcp), parse(tcpfin), parse(udp)];
    parsed.operands.splice(0, 3);
  }
  if (parsed.operands.length > 0) fail(`unexpected argument ${parsed.operands[0]}`);
  checkCombination(req.cmd!, req.options);
  return req;
}

/** generic_opt_check: the options each command requires, forbids, or allows one of. */
function checkCombination(cmd: Cmd, options: Set<Opt>): void {
  const row = LEGAL[cmd];
  let exclusive: Opt | undefined;
  OPTS.forEach((opt, j) => {
    const rule = row[j];
    if (!options.has(opt)) {
      if (rule === "+") fail(`You need to supply the '${opt}' option for the '${cmd}' command`);
      return;
    }
    if (rule === "x") fail(`Illegal '${opt}' option with the '${cmd}' command`);
    if (rule === "1") {
      if (exclusive) fail(`The option '${opt}' conflicts with the '${exclusive}' option in the '${cmd}' command`);
      exclusive = opt;
    }
  });
}

/**
 * glibc's lookups: names of addresses from /etc/hosts (the machine's file), names of ports from
 * netbase's services list (what `getservbyport` reads on Ubuntu).
 */
class NameTables {
  private hosts?: [number, string][];

  constructor(private readonly ctx: CommandContext) {}

  private hostTable(): [number, string][] {
    this.hosts ??= (this.ctx.fs.isFile("/etc/hosts") ? this.ctx.fs.readFile("/etc/hosts") : "").split("\n").flatMap((line) => {
      const [addr, ...names] = line.replace(/#.*/, "").trim().split(/\s+/);
      const ip = parseIP(addr ?? "");
      return ip === undefined ? [] : names.map((n): [number, string] => [ip, n]);
    });
    return this.hosts;
  }

  hostAddress(name: string): number | undefined {
    return this.hostTable().find(([, n]) => n === name)?.[0];
  }

  hostName(ip: number): string | undefined {
    return this.hostTable().find(([a]) => a === ip)?.[1];
  }

  servicePort(name: string, protocol: IpvsProtocol): number | undefined {
    return servicePort(name, protocol);
  }

  serviceName(port: number, protocol: IpvsProtocol): string | undefined {
    return serviceName(port, protocol);
  }
}

/** addrport_to_anyname. */
function addrPort(ip: number, port: number, protocol: IpvsProtocol, numeric: boolean, names: NameTables): string {
  if (numeric) return `${formatIP(ip)}:${port}`;
  return `${names.hostName(ip) ?? formatIP(ip)}:${names.serviceName(port, protocol) ?? port}`;
}

/** ipvs_cmp_services / ipvs_cmp_dests: protocol number (TCP 6 before UDP 17), address, port. */
const protoNumber = (p: IpvsProtocol) => (p === "tcp" ? 6 : 17);
const byService = (a: VirtualService, b: VirtualService) => protoNumber(a.protocol) - protoNumber(b.protocol) || a.ip - b.ip || a.port - b.port;
const byDest = (a: RealServer, b: RealServer) => a.ip - b.ip || a.port - b.port;

/** print_largenum: 9 columns, K/M/G/T beyond them, or the exact value with `--exact`. */
function largeNumber(n: number, exact: boolean): string {
  if (exact) {
    const text = String(n);
    return text.padStart(text.length <= 8 ? 9 : text.length + 1);
  }
  if (n < 100_000_000) return String(n).padStart(9);
  if (n < 1_000_000_000) return `${Math.floor(n / 1000)}K`.padStart(9);
  if (n < 100_000_000_000) return `${Math.floor(n / 1_000_000)}M`.padStart(9);
  if (n < 100_000_000_000_000) return `${Math.floor(n / 1_000_000_000)}G`.padStart(9);
  return `${Math.floor(n / 1_000_000_000_000)}T`.padStart(9);
}

interface Format {
  numeric: boolean;
  rule: boolean;
  stats: boolean;
  rate: boolean;
  thresholds: boolean;
  persistentConn: boolean;
  nosort: boolean;
  exact: boolean;
}

function title(f: Format): string {
  const pad = (s: string, n: number) => s.padEnd(n);
  const right = (s: string) => s.padStart(8);
  if (f.stats) return `${pad("Prot LocalAddress:Port", 33)} ${["Conns", "InPkts", "OutPkts", "InBytes", "OutBytes"].map(right).join(" ")}\n  -> RemoteAddress:Port\n`;
  if (f.rate) return `${pad("Prot LocalAddress:Port", 33)} ${["CPS", "InPPS", "OutPPS", "InBPS", "OutBPS"].map(right).join(" ")}\n  -> RemoteAddress:Port\n`;
  if (f.thresholds) return `${pad("Prot LocalAddress:Port", 33)} ${["Uthreshold", "Lthreshold", "ActiveConn", "InActConn"].map((s) => pad(s, 10)).join(" ")}\n  -> RemoteAddress:Port\n`;
  if (f.persistentConn) return `${pad("Prot LocalAddress:Port", 33)} ${pad("Weight", 9)} ${pad("PersistConn", 11)} ${pad("ActiveConn", 10)} ${pad("InActConn", 10)}\n  -> RemoteAddress:Port\n`;
  if (f.rule) return "";
  return "Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
}

const statsColumns = (s: IpvsStats, f: Format) => [s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes].map((n) => largeNumber(n, f.exact)).join("");
const FWD_SWITCH: Record<RealServer["forward"], string> = { Masq: "-m", Tunnel: "-i", Route: "-g", Local: "-g" };

/** print_service_entry. */
function serviceEntry(vs: VirtualService, f: Format, names: NameTables, now: number): string {
  const vname = addrPort(vs.ip, vs.port, vs.protocol, f.numeric, names);
  const name = f.rule ? `${vs.protocol === "tcp" ? "-t" : "-u"} ${vname}` : `${vs.protocol === "tcp" ? "TCP" : "UDP"}  ${vname}`.slice(0, 33);
  let out: string;
  const persistence = (word: string, maskWord: string) => {
    if (vs.persistent === undefined) return "";
    let s = ` ${word} ${vs.persistent}`;
    if (vs.netmask !== 0xffffffff) s += ` ${maskWord} ${formatIP(vs.netmask)}`;
    return s;
  };
  if (f.rule) out = `-A ${name} -s ${vs.scheduler}${persistence("-p", "-M")}${vs.onePacket ? " ops" : ""}`;
  else if (f.stats) out = name.padEnd(33) + statsColumns(vs.stats, f);
  else if (f.rate) {
    const r = readRates(vs.stats, now);
    out = name.padEnd(33) + [r.cps, r.inpps, r.outpps, r.inbps, r.outbps].map((n) => largeNumber(n, f.exact)).join("");
  } else out = `${name} ${vs.scheduler}${persistence("persistent", "mask")}${vs.persistent !== undefined && vs.onePacket ? " ops" : ""}`;
  const lines = [out];
  const dests = f.nosort ? vs.reals : [...vs.reals].sort(byDest);
  for (const r of dests) {
    let dname = addrPort(r.ip, r.port, vs.protocol, f.numeric, names);
    if (!f.rule) dname = dname.slice(0, 28);
    if (f.rule) lines.push(`-a ${name} -r ${dname} ${FWD_SWITCH[r.forward]} -w ${r.weight}`);
    else if (f.stats) lines.push(`  -> ${dname.padEnd(28)}${statsColumns(r.stats, f)}`);
    else if (f.rate) {
      const rate = readRates(r.stats, now);
      lines.push(`  -> ${dname.padEnd(28)} ${String(rate.cps).padStart(8)} ${String(rate.inpps).padStart(8)} ${String(rate.outpps).padStart(8)}${largeNumber(rate.inbps, f.exact)}${largeNumber(rate.outbps, f.exact)}`);
    } else if (f.thresholds) lines.push(`  -> ${dname.padEnd(28)} ${[r.upperThreshold, r.lowerThreshold, r.activeConns, r.inactiveConns].map((n) => String(n).padEnd(10)).join(" ")}`);
    else if (f.persistentConn) lines.push(`  -> ${dname.padEnd(28)} ${String(r.weight).padEnd(9)} ${String(r.persistConns).padEnd(11)} ${String(r.activeConns).padEnd(10)} ${String(r.inactiveConns).padEnd(10)}`);
    else lines.push(`  -> ${dname.padEnd(28)} ${r.forward.padEnd(7)} ${String(r.weight).padEnd(6)} ${String(r.activeConns).padEnd(10)} ${String(r.inactiveConns).padEnd(10)}`);
  }
  return lines.map((l) => `${l}\n`).join("");
}

/** `ipvsadm -Lc`: the entries of /proc/net/ip_vs_conn, expiry as mm:ss. */
function listConnections(ipvs: IpvsState, f: Format, names: NameTables, now: number): string {
  let out = "IPVS connection entries\n";
  out += `pro expire ${"state".padEnd(11)} ${"source".padEnd(18)} ${"virtual".padEnd(18)} destination\n`;
  for (const c of ipvs.connections) {
    const left = Math.max(0, Math.floor((c.expires - now) / 1000));
    const expire = `${String(Math.floor(left / 60)).padStart(2, "0")}:${String(left % 60).padStart(2, "0")}`;
    const proto = c.protocol.toUpperCase();
    const source = addrPort(c.client.ip, c.client.port, c.protocol, f.numeric, names);
    const virtual = addrPort(c.virtual.ip, c.virtual.port, c.protocol, f.numeric, names);
    const dest = addrPort(c.dest.ip, c.dest.port, c.protocol, f.numeric, names);
    out += `${proto.padEnd(3)} ${expire.padEnd(6)} ${c.state.padEnd(11)} ${source.padEnd(18)} ${virtual.padEnd(18)} ${dest}\n`;
  }
  return out;
}

function list(ipvs: IpvsState, req: Request, names: NameTables, now: number, rule = false): string {
  const o = req.options;
  const f: Format = {
    numeric: o.has("numeric"), rule, stats: o.has("stats"), rate: o.has("rate"), thresholds: o.has("thresholds"), persistentConn: o.has("persistent-conn"),
    nosort: o.has("nosort"), exact: o.has("exact"),
  };
  if (o.has("connection") || o.has("timeout")) {
    if (f.stats || f.persistentConn || f.rate || f.thresholds) fail("options conflicts in the list command");
    if (o.has("connection")) return listConnections(ipvs, f, names, now);
    return `Timeout (tcp tcpfin udp): ${ipvs.timeouts.tcp} ${ipvs.timeouts.tcpFin} ${ipvs.timeouts.udp}\n`;
  }
  if (req.service) {
    const vs = findService(ipvs, req.service.protocol, req.service.ip, req.service.port);
    if (!vs) throw new Fail({ stdout: "", stderr: "No such service\n", exitCode: 1 });
    return title(f) + serviceEntry(vs, f, names, now);
  }
  const header = rule ? "" : "IP Virtual Server version 1.2.1 (size=4096)\n";
  const services = f.nosort ? ipvs.services : [...ipvs.services].sort(byService);
  return header + title(f) + services.map((vs) => serviceEntry(vs, f, names, now)).join("");
}

function serviceSpec(req: Request): ServiceSpec {
  const s = req.service!;
  return { protocol: s.protocol, ip: s.ip, port: s.port, scheduler: req.scheduler as IpvsScheduler, persistent: req.persistent, netmask: req.netmask, onePacket: req.onePacket };
}

/** Runs one request against the table; a failed operation prints libipvs's message and exits 255. */
function perform(ipvs: IpvsState, req: Request, names: NameTables, now: number, ctx: CommandContext): Promise<CommandResult> | CommandResult {
  const cmd = req.cmd!;
  if (cmd === "add-service" || cmd === "edit-service") {
    if (!req.service!.port && req.persistent === undefined) fail("Zero port specified for non-persistent service");
    if (req.onePacket && req.service!.protocol !== "udp") fail("One-Packet Scheduling is only for UDP virtual services");
    if (!req.scheduler) req.scheduler = DEFAULT_SCHEDULER;
    if (UNSIMULATED_SCHEDULERS.has(req.scheduler)) fail(`ipvsadm: the ${req.scheduler} scheduler is not simulated here`);
  }
  if ((cmd === "add-server" || cmd === "edit-server") && req.forward !== "Masq") {
    // Direct routing and tunnelling forward to the service's own port.
    req.real!.port = req.service!.port;
  } else if (req.real && !req.real.hasPort) req.real.port = req.service!.port;
  try {
    switch (cmd) {
      case "list":
        return { stdout: list(ipvs, req, names, now), stderr: "", exitCode: 0 };
      case "save":
        return { stdout: list(ipvs, req, names, now, true), stderr: "", exitCode: 0 };
      case "restore":
        return restore(ctx);
      case "flush":
        flush(ipvs);
        break;
      case "add-service":
        if (!IPVS_SCHEDULERS.includes(req.scheduler as IpvsScheduler)) throw new IpvsError("ENOENT");
        addService(ipvs, serviceSpec(req));
        break;
      case "edit-service":
        if (!IPVS_SCHEDULERS.includes(req.scheduler as IpvsScheduler)) throw new IpvsError("ENOENT");
        editService(ipvs, serviceSpec(req));
        break;
      case "delete-service":
        deleteService(ipvs, req.service!.protocol, req.service!.ip, req.service!.port);
        break;
      case "zero": {
        const vs = req.service && findService(ipvs, req.service.protocol, req.service.ip, req.service.port);
        if (req.service && !vs) throw new IpvsError("ESRCH");
        zeroStats(ipvs, vs);
        break;
      }
      case "add-server":
      case "edit-server":
      case "delete-server": {
        const vs = findService(ipvs, req.service!.protocol, req.service!.ip, req.service!.port);
        if (!vs) throw new IpvsError("ESRCH");
        const real = req.real!;
        const spec: DestinationSpec = { ip: real.ip, port: real.port, weight: req.weight, forward: req.forward, upperThreshold: req.upper, lowerThreshold: req.lower };
        if (cmd === "add-server") addDestination(ipvs, vs, spec);
        else if (cmd === "edit-server") editDestination(vs, spec);
        else deleteDestination(vs, real.ip, real.port);
        break;
      }
      case "set": {
        const [tcp, tcpFin, udp] = req.timeouts!;
        // A 0 keeps the current value, as the kernel's set_timeout does.
        if (tcp) ipvs.timeouts.tcp = tcp;
        if (tcpFin) ipvs.timeouts.tcpFin = tcpFin;
        if (udp) ipvs.timeouts.udp = udp;
        break;
      }
    }
  } catch (error) {
    if (error instanceof IpvsError) return { stdout: "", stderr: `${errorText(cmd, error.errno)}\n`, exitCode: 255 };
    throw error;
  }
  return { stdout: "", stderr: "", exitCode: 0 };
}

/** `ipvsadm -R`: each line of standard input is an ipvsadm command line (what `-S` prints). */
async function restore(ctx: CommandContext): Promise<CommandResult> {
  let stderr = "";
  let exitCode = 0;
  for (const line of ctx.stdin.split("\n")) {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0 || words[0].startsWith("#")) continue;
    if (words.includes("-R") || words.includes("--restore")) {
      stderr += "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n";
      return { stdout: "", stderr, exitCode: 255 };
    }
    const r = await execute(words, ctx);
    stderr += r.stderr;
    if (r.exitCode !== 0) exitCode = r.exitCode;
  }
  return { stdout: "", stderr, exitCode };
}

function usage(): string {
  return `${VERSION}
Usage:
  ipvsadm -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [--pe persistence_engine] [-b sched-flags]
  ipvsadm -D virtual-service
  ipvsadm -C
  ipvsadm -R
  ipvsadm -S [-n]
  ipvsadm -a|e virtual-service -r server-address [options]
  ipvsadm -d virtual-service -r server-address
  ipvsadm -L|l [virtual-service] [options]
  ipvsadm -Z [virtual-service]
  ipvsadm --set tcp tcpfin udp
  ipvsadm --start-daemon {master|backup} [daemon-options]
  ipvsadm --stop-daemon {master|backup}
  ipvsadm -h

Commands:
Either long or short options are allowed.
  --add-service     -A        add virtual service with options
  --edit-service    -E        edit virtual service with options
  --delete-service  -D        delete virtual service
  --clear           -C        clear the whole table
  --restore         -R        restore rules from stdin
  --save            -S        save rules to stdout
  --add-server      -a        add real server with options
  --edit-server     -e        edit real server with options
  --delete-server   -d        delete real server
  --list            -L|-l     list the table
  --zero            -Z        zero counters in a service or all services
  --set tcp tcpfin udp        set connection timeout values
  --start-daemon              start connection sync daemon
  --stop-daemon               stop connection sync daemon
  --help            -h        display this help message

virtual-service:
  --tcp-service|-t  service-address   service-address is host[:port]
  --udp-service|-u  service-address   service-address is host[:port]
  --sctp-service    service-address   service-address is host[:port]
  --fwmark-service|-f fwmark          fwmark is an integer greater than zero

Options:
  --ipv6         -6                   fwmark entry uses IPv6
  --scheduler    -s scheduler         one of rr|wrr|lc|wlc|lblc|lblcr|dh|sh|sed|nq,
                                      the default scheduler is ${DEFAULT_SCHEDULER}.
  --pe            engine              alternate persistence engine may be sip,
                                      not set by default.
  --persistent   -p [timeout]         persistent service
  --netmask      -M netmask           persistent granularity mask
  --real-server  -r server-address    server-address is host (and port)
  --gatewaying   -g                   gatewaying (direct routing) (default)
  --ipip         -i                   ipip encapsulation (tunneling)
  --masquerading -m                   masquerading (NAT)
  --weight       -w weight            capacity of real server
  --u-threshold  -x uthreshold        upper threshold of connections
  --l-threshold  -y lthreshold        lower threshold of connections
  --connection   -c                   output of current IPVS connections
  --timeout                           output of timeout (tcp tcpfin udp)
  --daemon                            output of daemon information
  --stats                             output of statistics information
  --rate                              output of rate information
  --exact                             expand numbers (display exact values)
  --thresholds                        output of thresholds information
  --persistent-conn                   output of persistent connection info
  --nosort                            disable sorting output of service/server entries
  --sort                              does nothing, for backwards compatibility
  --ops          -o                   one-packet scheduling
  --numeric      -n                   numeric output of addresses and ports
  --sched-flags  -b flags             scheduler flags (comma-separated)
Daemon Options:
  --syncid sid                        syncid for connection sync (default=255)
  --sync-maxlen length                Max sync message length (default=1472)
  --mcast-interface interface         multicast interface for connection sync
  --mcast-group address               IPv4/IPv6 group (default=224.0.0.81)
  --mcast-port port                   UDP port (default=8848)
  --mcast-ttl ttl                     Multicast TTL (default=1)
`;
}

/** One ipvsadm invocation over the namespace's table (`-R` runs one per line of input). */
function execute(words: readonly string[], ctx: CommandContext): Promise<CommandResult> | CommandResult {
  const stack = currentStack(ctx);
  if (!stack) return { stdout: "", stderr: "Can't initialize ipvs: Protocol not available\nAre you sure that IP Virtual Server is built in the kernel or as module?\n", exitCode: 2 };
  const names = new NameTables(ctx);
  const now = ctx.clock.now();
  expireConnections(stack.ipvs, now);
  try {
    // No arguments at all lists the table, as `ipvsadm -L` does.
    if (words.length === 0) return { stdout: list(stack.ipvs, request({ options: [{ tag: "L", spelled: "-L" }], operands: [] }, names), names, now), stderr: "", exitCode: 0 };
    const parsed = popt(words);
    if ("bad" in parsed) {
      // The first option is the command's slot: anything wrong there only earns the hint.
      if (parsed.first) tryHelp();
      return { stdout: "", stderr: `${parsed.bad}: ${parsed.reason}\n`, exitCode: 255 };
    }
    return perform(stack.ipvs, request(parsed, names), names, now, ctx);
  } catch (error) {
    if (error instanceof Fail) return error.result;
    throw error;
  }
}

export const ipvsadmCommand: Command = {
  name: "ipvsadm",
  summary: "Linux Virtual Server administration",
  usage: "ipvsadm -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask]",
  path: "/usr/sbin/ipvsadm",
  spec: { flags: [], raw: true },
  run: (args, ctx) => execute(args.operands, ctx),
};
