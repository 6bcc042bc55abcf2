/**
 * agnhost, the Kubernetes e2e "Swiss army knife" (registry.k8s.io/e2e-test-images/agnhost):
 * `netexec` (HTTP on --http-port, UDP on --udp-port), `serve-hostname` (the pod name on port
 * 9376), `pause`, and `connect HOST:PORT`, which dials through the cluster's reachability seam.
 *
 * @example
 * agnhostProgram(ctx, ["netexec", "--http-port=8080"], dial); // listens on 8080/TCP and 8081/UDP
 */
import type { ClusterNetwork, NetStack } from "../../net";
import { klogHeader } from "../format";
import { serveHostname, serveNetexec } from "./http-go";
import { daemon, err, flagValue, oneShot, proc, tcp, udp, type BindFailure, type Listen, type ProgramContext, type ProgramRun, type SignalReply } from "./kit";

/** How a dial ends: answered, refused, unanswered, an ICMP error or no route (`connect: no route to host`), or a name that does not resolve. */
export type DialResult = "connected" | "refused" | "timeout" | "unreachable" | { error: string };

/** Whether a TCP/UDP connection to `host:port` would be answered, as the network decides. */
export interface Dialer {
  dial(from: { nodeName: string; podIP: string }, host: string, port: number, protocol: "TCP" | "UDP"): DialResult;
  /** The network namespace a program of `from` runs in (its pod's, or the node's for hostNetwork), for programs that talk through the walker themselves (curl). */
  namespace(from: { nodeName: string; podIP: string }): { network: ClusterNetwork; stack: NetStack } | undefined;
}

const SUBCOMMANDS = ["audit-proxy", "connect", "crd-conversion-webhook", "dns-server-list", "dns-suffix", "entrypoint-tester", "etc-hosts", "fake-gitserver", "guestbook", "inclusterclient", "liveness", "logs-generator", "mounttest", "net", "netexec", "nettest", "no-snat-test", "no-snat-test-proxy", "pause", "port-forward-tester", "porter", "resource-consumer-controller", "serve-hostname", "tcp-reset", "test-webserver", "webhook"];

/** netexec's fatal log line, stamped with its start. */
const netexecBindFailed = ({ startedAt }: { startedAt: number }, l: Listen): BindFailure => ({
  output: [err(`${klogHeader("F", startedAt, 1)} netexec.go:206] listen tcp :${l.port}: bind: address already in use`)], exitCode: 255,
});

const pauseSignal = (): SignalReply => ({ afterMs: 0, exitCode: 0, output: [err("Shutting down after receiving signal: terminated.")] });

/** agnhost SUBCOMMAND [flags]. */
export function agnhostProgram(ctx: ProgramContext, args: readonly string[], dial: Dialer): ProgramRun {
  const [sub, ...rest] = args;
  const log = (text: string) => err(`${klogHeader("I", ctx.now, 1)} log.go:245] ${text}`);
  const main = proc(`/agnhost ${args.join(" ")}`.trim(), 0, 1_260_000, 14_000, "Ssl");
  switch (sub) {
    case "netexec": {
      const httpPort = Number(flagValue(rest, "http-port") ?? 8080);
      const udpPort = Number(flagValue(rest, "udp-port") ?? 8081);
      const listens: Listen[] = [tcp(httpPort, "::")];
      const startup = [log(`Started HTTP server on port ${httpPort}`)];
      if (udpPort > 0) {
        listens.push(udp(udpPort, "::"));
        startup.push(log(`Started UDP server on port  ${udpPort}`));
      }
      return daemon({ processes: [main], listens, startup, data: { startedAt: ctx.now, hostname: ctx.podName }, bindFailed: netexecBindFailed, serve: serveNetexec });
    }
    case "serve-hostname": {
      const port = Number(flagValue(rest, "port") ?? 9376);
      return daemon({ processes: [main], listens: [tcp(port, "::")], startup: [log(`Serving on port ${port}.`)], data: { hostname: ctx.podName }, serve: serveHostname });
    }
    case "pause":
    case undefined:
      return daemon({ processes: [main], startup: [err("Paused")], onSignal: pauseSignal });
    case "connect":
      return connect(ctx, rest, dial, main);
    default:
      if (SUBCOMMANDS.includes(sub)) return daemon({ processes: [main], startup: [] });
      return oneShot([err(`Error: unknown command "${sub}" for "agnhost"`), err("Run 'agnhost --help' for usage.")], 1, [main], 5);
  }
}

function connect(ctx: ProgramContext, args: readonly string[], dial: Dialer, main: ReturnType<typeof proc>): ProgramRun {
  const target = args.find((a) => !a.startsWith("-"));
  if (!target) return oneShot([err("usage: agnhost connect [host:port]")], 1, [main], 5);
  const colon = target.lastIndexOf(":");
  const protocol = (flagValue(args, "protocol") ?? "tcp").toUpperCase() === "UDP" ? "UDP" : "TCP";
  const result = dial.dial({ nodeName: ctx.nodeName, podIP: ctx.podIP }, target.slice(0, colon), Number(target.slice(colon + 1)), protocol);
  if (result === "connected") return oneShot([], 0, [main], 5);
  // agnhost connect prints one word for the failure class, and exits 1.
  if (result === "refused") return oneShot([err("REFUSED")], 1, [main], 5);
  if (result === "timeout") return oneShot([err("TIMEOUT")], 1, [main], 5_000);
  if (result === "unreachable") return oneShot([err(`OTHER: dial ${protocol.toLowerCase()} ${target}: connect: no route to host`)], 1, [main], 3_060);
  return oneShot([err(`OTHER: ${result.error}`)], 1, [main], 5);
}
