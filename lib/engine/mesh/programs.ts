/**
 * The mesh's programs, as the images run them: `pilot-agent` (docker.io/istio/proxyv2) as
 * istio-init (`istio-iptables …`: writes the capture rules into the pod's namespace, prints
 * them, exits) or as the sidecar (`proxy sidecar`: see proxy.ts), and `pilot-discovery`
 * (docker.io/istio/pilot), istiod: xDS on 15010/15012, the injection webhook on 15017,
 * monitoring on 15014.
 *
 * @example
 * pilotAgentProgram(ctx, ["istio-iptables", "-p", "15001", …], dial); // writes nat rules, exits 0
 */
import { restoreTables } from "../net";
import type { Dialer } from "../node/programs/agnhost";
import { daemon, err, oneShot, out, proc, tcp, type LogLine, type ProgramContext, type ProgramRun } from "../node/programs/kit";
import { ISTIO_VERSION } from "./constants";
import { captureRules, parseCaptureFlags, type CaptureConfig } from "./iptables";
import { SidecarProxy } from "./proxy";

function istioLog(ms: number, level: string, text: string): LogLine {
  return out(`${new Date(ms).toISOString().replace("Z", "")}000Z\t${level}\t${text}`);
}

/** `pilot-agent SUBCOMMAND …` */
export function pilotAgentProgram(ctx: ProgramContext, args: readonly string[], dial: Dialer): ProgramRun {
  const [sub, ...rest] = args;
  if (sub === "istio-iptables") return istioIptables(ctx, rest, dial);
  if (sub === "proxy" && rest[0] === "router") return gatewayProgram(ctx, args);
  if (sub === "proxy") return new SidecarProxy(ctx);
  if (sub === "version") return oneShot([out(`client version: ${ISTIO_VERSION}`)], 0, [proc(`pilot-agent ${args.join(" ")}`)]);
  return oneShot([err(`Error: unknown command "${sub ?? ""}" for "pilot-agent"`), err("Run 'pilot-agent --help' for usage.")], 1, [proc(`pilot-agent ${args.join(" ")}`)]);
}

/** What istio-iptables makes of its flags: the restore input and the lines that print it, or the flags' error. */
type Capture = Readonly<{ config: CaptureConfig; rules: string; printed: readonly LogLine[] }> | Readonly<{ error: string }>;

/** Captures by flags: every injected pod passes the same ones, so they are built once and shared (frozen). */
const captures = new Map<string, Capture>();

function captureFor(args: readonly string[]): Capture {
  const key = args.join("\u0000");
  let capture = captures.get(key);
  if (!capture) {
    const config = parseCaptureFlags(args);
    if ("error" in config) {
      capture = Object.freeze({ error: config.error });
    } else {
      const rules = captureRules(config);
      capture = Object.freeze({ config: Object.freeze(config), rules, printed: Object.freeze(rules.trimEnd().split("\n").map((l) => Object.freeze(out(l)))) });
    }
    if (captures.size >= 64) captures.clear();
    captures.set(key, capture);
  }
  return capture;
}

/** istio-init: the capture rules, applied with iptables-restore in the pod's own namespace. */
function istioIptables(ctx: ProgramContext, args: readonly string[], dial: Dialer): ProgramRun {
  const main = [proc(`/usr/local/bin/pilot-agent istio-iptables ${args.map((a) => (a === "" ? '""' : a)).join(" ")}`, 0, 1_200_000, 40_000, "Ssl")];
  const capture = captureFor(args);
  if ("error" in capture) return oneShot([err(capture.error)], 1, main);
  const { config, rules } = capture;
  const lines: LogLine[] = [
    istioLog(ctx.now, "info", "Istio iptables environment:"),
    out(`ENVOY_PORT=\nINBOUND_CAPTURE_PORT=\nISTIO_INBOUND_INTERCEPTION_MODE=\nISTIO_INBOUND_TPROXY_ROUTE_TABLE=\nISTIO_INBOUND_PORTS=\nISTIO_OUTBOUND_PORTS=\nISTIO_LOCAL_EXCLUDE_PORTS=\nISTIO_EXCLUDE_INTERFACES=\nISTIO_SERVICE_CIDR=\nISTIO_SERVICE_EXCLUDE_CIDR=\nISTIO_META_DNS_CAPTURE=\nINVALID_DROP=`),
    istioLog(ctx.now, "info", "Istio iptables variables:"),
    out(`IPTABLES_VERSION=\nPROXY_PORT=${config.proxyPort}\nPROXY_INBOUND_CAPTURE_PORT=${config.inboundPort}\nPROXY_TUNNEL_PORT=15008\nPROXY_UID=${config.uid}\nPROXY_GID=${config.gid}\nINBOUND_INTERCEPTION_MODE=${config.mode}\nINBOUND_PORTS_INCLUDE=${config.includeInbound}\nINBOUND_PORTS_EXCLUDE=${config.excludeInbound}\nOUTBOUND_IP_RANGES_INCLUDE=${config.includeOutbound}\nOUTBOUND_IP_RANGES_EXCLUDE=${config.excludeOutbound}`),
  ];
  const where = dial.namespace({ nodeName: ctx.nodeName, podIP: ctx.podIP });
  if (!where) return oneShot([...lines, istioLog(ctx.now, "error", "failed to enter the pod's network namespace")], 1, main);
  lines.push(istioLog(ctx.now + 5, "info", "Running iptables restore with: iptables-restore and the following input:"));
  lines.push(...capture.printed);
  const result = restoreTables(where.stack, rules, { noflush: true });
  if (result.error) return oneShot([...lines, ...result.error.message.trimEnd().split("\n").map((l) => err(l)), istioLog(ctx.now + 6, "error", "failed to execute iptables-restore command: exit status 2")], 1, main);
  return oneShot(lines, 0, main, 60);
}

/** A gateway's Envoy: health and metrics only until a Gateway resource gives it listeners (none are served here). */
function gatewayProgram(ctx: ProgramContext, args: readonly string[]): ProgramRun {
  return daemon({
    processes: [proc(`/usr/local/bin/pilot-agent ${args.join(" ")}`, 1337, 1_320_000, 46_000, "Ssl"), proc("/usr/local/bin/envoy -c etc/istio/proxy/envoy-rev.json --drain-time-s 45 --drain-strategy immediate --local-address-ip-version v4 --file-flush-interval-msec 1000 --disable-hot-restart --allow-unknown-static-fields -l warning --component-log-level misc:error", 1337, 2_240_000, 58_000, "Sl")],
    listens: [tcp(15021), tcp(15090), tcp(15000, "127.0.0.1"), tcp(15020, "::")],
    startup: [
      istioLog(ctx.now, "info", `Proxy role\tips=[${ctx.podIP}] type=router id=${ctx.podName}.${ctx.namespace} domain=${ctx.namespace}.svc.cluster.local`),
      istioLog(ctx.now + 900, "info", "Envoy proxy is ready"),
    ],
  });
}

/** istiod. */
export function pilotDiscoveryProgram(ctx: ProgramContext, args: readonly string[]): ProgramRun {
  const at = ctx.now;
  return daemon({
    processes: [proc(`/usr/local/bin/pilot-discovery ${args.join(" ")}`, 1337, 1_460_000, 92_000, "Ssl")],
    listens: [tcp(8080, "::"), tcp(15010, "::"), tcp(15012, "::"), tcp(15014, "::"), tcp(15017, "::")],
    startup: [
      istioLog(at, "info", `FLAG: --domain="cluster.local"`),
      istioLog(at + 2, "info", `initializing Istiod DNS certificates host: istiod.istio-system.svc, custom host: `),
      istioLog(at + 30, "info", "Use self-signed certificate as the CA certificate"),
      istioLog(at + 60, "info", "ads\tAll caches have been synced up in 1.012s, marking server ready"),
      istioLog(at + 61, "info", `starting discovery server version=${ISTIO_VERSION}`),
    ],
  });
}
