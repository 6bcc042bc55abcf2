/**
 * What an NFS client talks to behind port 2049: an export table over a file system. Two
 * kinds exist: the `nfs-server` machine beside the cluster (server.ts) and a server pod
 * running `registry.k8s.io/volume-nfs` (volume-nfs.ts). Clients (mount.ts, showmount) find
 * the one behind the socket their connection reached, wherever kube-proxy sent it.
 *
 * NFSv4 sees the exports through a pseudo-root: an export with `fsid=0` is the root of the
 * client's view, so `server:/` is that directory and `server:/sub` a directory below it
 * (`/exports *(rw,fsid=0)`: `mount server:/ /mnt` mounts /exports). Without one, v4 paths are
 * the server's own, as v3 paths always are.
 *
 * @example
 * const exporter = exporterBehind(network, exchange.server!);
 * exporter?.exportFor("/", "4.2"); // { entry: { path: "/exports", … }, dir: "/exports" }
 */
import type { FileSystem } from "../shell";
import type { ClusterNetwork } from "../net";
import type { ServerView } from "../net/walker";
import { formatIP } from "../util/ipv4";
import { parseExports, type ExportEntry } from "./exports";

export interface NfsExporter {
  /** Where the exported directories are. */
  readonly fs: FileSystem;
  /** The kernel's export table (etab), what mountd and nfsd answer from. */
  table: ExportEntry[];
  /** `exportfs -ra`: the table becomes what /etc/exports says; errors are exportfs's lines. */
  reexport(): string[];
}

/** `exportfs -r` for any exporter: the table becomes what its /etc/exports says; errors are exportfs's lines. */
export function reloadExports(exporter: NfsExporter): string[] {
  const { exports, errors } = parseExports(exporter.fs.isFile("/etc/exports") ? exporter.fs.readFile("/etc/exports") : "");
  exporter.table = exports;
  return errors;
}

/** The export a client's path is under, and the directory on the server it names. */
export function exportFor(exporter: NfsExporter, path: string, vers: string): { entry: ExportEntry; dir: string } | undefined {
  const asked = path.replace(/\/+$/, "") || "/";
  const root = vers === "3" ? undefined : exporter.table.find((e) => e.clients.some((c) => c.options.fsid === "0" || c.options.fsid === "root"));
  const dir = root ? (asked === "/" ? root.path : `${root.path === "/" ? "" : root.path}${asked}`) : asked;
  const matches = exporter.table.filter((e) => dir === e.path || dir.startsWith(e.path === "/" ? "/" : `${e.path}/`));
  const entry = matches.sort((a, b) => b.path.length - a.path.length)[0];
  return entry && { entry, dir };
}

/** The names the server's /etc/hosts gives an address (how exports by host name match). */
export function hostNamesOf(fs: FileSystem, ip: number): string[] {
  const hosts = fs.isFile("/etc/hosts") ? fs.readFile("/etc/hosts") : "";
  const wanted = formatIP(ip);
  const names: string[] = [];
  for (const line of hosts.split("\n")) {
    const words = line.replace(/#.*/, "").trim().split(/\s+/);
    if (words[0] === wanted) names.push(...words.slice(1));
  }
  return names;
}

/** Whether a value is an exporter (the machine, or a server pod's program). */
export function isExporter(value: unknown): value is NfsExporter {
  const v = value as Partial<NfsExporter> | undefined;
  return typeof v === "object" && v !== null && Array.isArray(v.table) && typeof v.reexport === "function" && v.fs !== undefined;
}

/** The exporter behind the socket a connection reached: the machine itself, or the program of the container that bound it. */
export function exporterBehind(network: ClusterNetwork, server: Pick<ServerView, "host" | "socket">): NfsExporter | undefined {
  const machine = network.machine(server.host);
  if (isExporter(machine)) return machine;
  const program = machine?.program?.(server.socket);
  return isExporter(program) ? program : undefined;
}

/** The exporter listening on 2049 in a namespace (`exportfs` in the server pod or on the server). */
export function exporterIn(network: ClusterNetwork, host: string, inode: number, port: number): NfsExporter | undefined {
  const socket = network.machine(host)?.listener(inode, "TCP", 0x7f000001, port);
  return socket ? exporterBehind(network, { host, socket }) : undefined;
}
