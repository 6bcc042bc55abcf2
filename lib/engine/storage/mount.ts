/**
 * The NFS client (mount.nfs from nfs-common 2.6.1, kernel 5.15): what `mount -t nfs` does on a
 * node, by hand or for the kubelet. It resolves the server from the client's /etc/hosts,
 * connects TCP 2049 through the packet walker from the client's namespace (so a stopped
 * server, a wrong route or a DROP rule on the way fail the mount as they would), asks the
 * server's export table with the address the server saw (SNAT included), and on success
 * names the export's directory on the server's file system: the mount refers to it, nothing
 * is copied. The server is whatever holds the socket the connection reached: the machine
 * beside the cluster, or a server pod behind a Service's ClusterIP (storage/exporter.ts). Failures are mount.nfs's own lines; mount exits 32 for all of them.
 *
 * @example
 * const r = mountNfs({ network, from: nodeStack, fs: nodeFs, source: "nfs-server:/srv/nfs/share", now });
 * if (r.ok) nodeFs.mount("/mnt", r.server.fs, r.path, r.info);
 * else r.output; // "mount.nfs: access denied by server while mounting nfs-server:/srv/nfs/share"
 */
import type { MountInfo } from "../node/container/mounted-fs";
import { connectTcp, recordExchange, type Exchange } from "../net/walker";
import { resolveHost, type ClusterNetwork, type NetStack } from "../net";
import type { FileSystem } from "../shell";
import { formatIP } from "../util/ipv4";
import { clientAllowed } from "./exports";
import { exportFor, exporterBehind, hostNamesOf, type NfsExporter } from "./exporter";
import { NFS_PORT } from "./server";

/** mount(8)'s exit status for a failed mount ("mount failure"). */
export const MOUNT_FAILURE = 32;

export interface NfsMountRequest {
  network: ClusterNetwork;
  /** The client's namespace (a node's host namespace). */
  from: NetStack;
  /** The client's file system, for /etc/hosts. */
  fs: FileSystem;
  /** `server:/path`, as given to mount. */
  source: string;
  /** `-o` options (`ro`, `nfsvers=4.1`, …). */
  options?: readonly string[];
  now: number;
  /** Put the connection in the cluster's traces (a learner's `mount`; the kubelet's retries are not). */
  trace?: boolean;
}

export type NfsMountResult = { ok: true; server: NfsExporter; path: string; info: MountInfo } | { ok: false; output: string };

const fail = (output: string): NfsMountResult => ({ ok: false, output });

/** `vers=` as the kernel reports it: 4.2 unless asked for another. */
function version(options: readonly string[]): { vers: string; error?: string } {
  const asked = options.map((o) => /^(?:nfs)?vers=(.*)$/.exec(o)?.[1]).filter((v) => v !== undefined).at(-1);
  if (asked === undefined || asked === "4") return { vers: "4.2" };
  if (["3", "4.0", "4.1", "4.2"].includes(asked)) return { vers: asked };
  return { vers: asked, error: "mount.nfs: Protocol not supported" };
}

/** Why a connection to 2049 failed, as mount.nfs says it. */
function connectError(exchange: Exchange): string | undefined {
  const o = exchange.outcome;
  if (o.kind === "connected") return undefined;
  if (o.kind === "refused") return "mount.nfs: Connection refused";
  if (o.kind === "error") return o.errno === "ENETUNREACH" ? "mount.nfs: Network is unreachable" : "mount.nfs: No route to host";
  if (o.kind === "unreachable" && o.reason === "prohibited") return "mount.nfs: No route to host";
  return "mount.nfs: Connection timed out";
}

/** The option list /proc/mounts shows for the mount, as kernel 5.15 prints it. */
function mountOptions(readOnly: boolean, vers: string, client: string, server: string): string {
  const common = [readOnly ? "ro" : "rw", "relatime", `vers=${vers}`, "rsize=1048576", "wsize=1048576", "namlen=255", "hard", "proto=tcp", "timeo=600", "retrans=2", "sec=sys"];
  if (vers === "3") return [...common, `mountaddr=${server}`, "mountvers=3", "mountport=20048", "mountproto=udp", "local_lock=none", `addr=${server}`].join(",");
  return [...common, `clientaddr=${client}`, "local_lock=none", `addr=${server}`].join(",");
}

/** Mounts an NFS export for a client: the server's directory and what `mount` shows, or mount.nfs's error. */
export function mountNfs(req: NfsMountRequest): NfsMountResult {
  const colon = req.source.indexOf(":");
  if (colon <= 0 || !req.source.slice(colon + 1).startsWith("/")) return fail("mount.nfs: remote share not in 'host:dir' format");
  const host = req.source.slice(0, colon);
  const path = req.source.slice(colon + 1);
  const options = req.options ?? [];
  const { vers, error } = version(options);
  if (error) return fail(error);
  const ip = resolveHost({ fs: req.fs }, host);
  if (ip === undefined) return fail(`mount.nfs: Failed to resolve server ${host}: Name or service not known`);
  const exchange = connectTcp(req.network, { from: req.from, dst: ip, dport: NFS_PORT, now: req.now, request: 244, response: 180 });
  if (req.trace) recordExchange(req.network, exchange, { host, port: NFS_PORT });
  const refused = connectError(exchange);
  if (refused) return fail(refused);
  const server = exporterBehind(req.network, exchange.server!);
  if (!server) return fail("mount.nfs: Protocol not supported");
  const found = exportFor(server, path, vers);
  const seen = exchange.server!.peer.ip;
  const granted = found && clientAllowed(found.entry, { ip: seen, names: hostNamesOf(server.fs, seen) });
  if (found && !granted) return fail(`mount.nfs: access denied by server while mounting ${req.source}`);
  if (!found || !server.fs.isDirectory(found.dir)) return fail(`mount.nfs: mounting ${req.source} failed, reason given by server: No such file or directory`);
  const readOnly = !granted!.rw || options.includes("ro");
  return {
    ok: true, server, path: found.dir,
    info: { device: req.source, type: vers === "3" ? "nfs" : "nfs4", options: mountOptions(readOnly, vers, formatIP(exchange.client.ip), formatIP(ip)), readOnly },
  };
}
