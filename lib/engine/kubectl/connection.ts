/**
 * Whether kubectl reaches the cluster's apiserver from this host, and how it fails when not.
 * The apiserver listens on the control-plane node's address, port 6443 (and on loopback there).
 * Anything else fails as client-go's dial does: `connection refused` for a host that is up
 * without a listener (a worker node, `localhost:8080` when no kubeconfig exists), `no route to
 * host` for a powered-off machine, `no such host` for a name nobody resolves, `i/o timeout` for
 * an address that does not exist. Before the final line kubectl logs one klog error per failed
 * discovery request, as many as the verb makes.
 *
 * @example
 * const conn = connectionFor(kc.server, { cluster, hostName: "node01" });
 * conn.reachable; // false on a worker without a kubeconfig
 * if (!conn.reachable) offlineResult(conn.failure, { discovery: 5 }, { now, pid: 4242, namespace: "default" }).stderr;
 */
import type { Cluster } from "../cluster/cluster";
import type { CommandResult } from "../shell";
import { goQuote, klogLine } from "./klog";
import { serverHost } from "./kubeconfig";
import type { OfflineBehaviour } from "./types";
import { tlsFailure, type ServerTrust } from "./server-trust";

/** The apiserver's secure port, as kubeadm sets it up. */
export const APISERVER_PORT = 6443;

/** The outcome of dialling the server once. */
export type Connection = { reachable: true } | { reachable: false; failure: Failure };

/** What was dialled and why it failed. */
export interface Failure {
  url: string;
  /** `host[:port]` as the URL gives it (kubectl's final line quotes this). */
  urlHost: string;
  /** client-go's error after `Get "…": ` (`dial tcp 127.0.0.1:8080: connect: connection refused`). */
  dialError: string;
  refused: boolean;
}

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];

/** Dials `server` from `hostName` in `cluster`. */
export function connectionFor(server: string, env: { cluster: Cluster; hostName: string; trust?: ServerTrust }): Connection {
  const { host, port } = serverHost(server);
  const urlHost = /^[a-z]+:\/\/([^/]+)/.exec(server)?.[1] ?? host;
  const nodes = [...env.cluster.nodes.values()];
  const local = env.cluster.nodes.get(env.hostName);
  const target = LOOPBACK.includes(host) ? local : nodes.find((n) => n.ip === host || n.name === host);
  const ip = LOOPBACK.includes(host) ? "127.0.0.1" : (target?.ip ?? host);
  const fail = (dialError: string, refused = false): Connection => ({
    reachable: false,
    failure: { url: server.replace(/\/+$/, ""), urlHost, dialError, refused },
  });
  if (!target) {
    if (!/^[\d.]+$/.test(host)) return fail(`dial tcp: lookup ${host} on 127.0.0.53:53: no such host`);
    return fail(`dial tcp ${ip}:${port}: i/o timeout`);
  }
  if (!target.powered) return fail(`dial tcp ${ip}:${port}: connect: no route to host`);
  if (target.role !== "control-plane" || port !== APISERVER_PORT) return fail(`dial tcp ${ip}:${port}: connect: connection refused`, true);
  // The TLS handshake: kubectl judges the certificate the apiserver serves now.
  const tls = env.trust && server.startsWith("https://") ? tlsFailure(target.fs, env.trust, host, env.cluster.clock.now()) : undefined;
  return tls ? fail(tls) : { reachable: true };
}

/**
 * Thrown by a `KubectlContext`'s `store`, `cluster` and `runtime` when the apiserver is
 * unreachable; the kubectl command turns it into the verb's offline output.
 */
export class ServerUnreachableError extends Error {
  /** What the verb printed before it needed the server (warnings, say), printed first. */
  partial?: CommandResult;

  constructor(readonly failure: Failure) {
    super(`server unreachable: ${failure.dialError}`);
    this.name = "ServerUnreachableError";
  }
}

/** Where the klog lines' time and thread id come from. */
export interface LogSource {
  now: number;
  pid: number;
}

/** kubectl's output when `behaviour` meets an unreachable server (exit code 1). */
export function offlineResult(
  failure: Failure,
  behaviour: OfflineBehaviour,
  log: LogSource & { namespace: string; timeout?: string },
): CommandResult {
  let stderr = "";
  const get = `${failure.url}/api?timeout=${log.timeout ?? "32s"}`;
  const err = `couldn't get current server API group list: Get ${goQuote(get)}: ${failure.dialError}`;
  for (let i = 0; i < behaviour.discovery; i++) {
    // Retries come about 1.5ms apart in a real run; keep that rhythm on the virtual clock.
    stderr += klogLine("E", log.now, log.pid, "memcache.go:265", `"Unhandled Error" err=${goQuote(err)}`, 1_000 + i * 1_451);
  }
  const final = behaviour.final
    ? behaviour.final({ url: failure.url, host: failure.urlHost, namespace: log.namespace, dialError: failure.dialError })
    : failure.refused
      ? `The connection to the server ${failure.urlHost} was refused - did you specify the right host or port?`
      : `Unable to connect to the server: ${failure.dialError}`;
  return { stdout: "", stderr: `${stderr}${final}\n`, exitCode: 1 };
}

/** `offlineResult` after what the verb had already printed. */
export function afterPartial(partial: CommandResult | undefined, result: CommandResult): CommandResult {
  if (!partial) return result;
  const chunks = [...(partial.chunks ?? [{ fd: 1 as const, text: partial.stdout }, { fd: 2 as const, text: partial.stderr }]), { fd: 2 as const, text: result.stderr }];
  return { stdout: partial.stdout + result.stdout, stderr: partial.stderr + result.stderr, exitCode: result.exitCode, chunks: chunks.filter((c) => c.text !== "") };
}
