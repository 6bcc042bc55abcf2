/**
 * The lab's NFS server: an Ubuntu 22.04 machine `nfs-server` on the node network (reached by
 * `ssh nfs-server`) running the kernel NFS server (nfs-kernel-server 2.6.1): rpcbind on 111,
 * nfsd on 2049, rpc.mountd on 20048. Its exports are data on its own file system (/srv/nfs on
 * a disk of its own), and every client mount refers to that one tree: a file written through
 * one mount is the file every other mount reads.
 *
 * Two tables, as on a real server: `/etc/exports` is what the administrator edits; the kernel's
 * export table (nfs-utils' etab) is what mountd answers from, loaded by `exportfs -ra`. Editing
 * the file changes nothing until then.
 *
 * @example
 * const server = addNfsServer(network, { segment: "node-network", nodeCidr: "172.30.1.0/24", taken, clock, rng, nodes });
 * server.reexport();               // what `exportfs -ra` does
 * server.fs.readFile("/srv/nfs/share/hello.txt");
 */
import { createUbuntuSkeleton, FileSystem } from "../shell";
import type { VirtualClock } from "../util/clock";
import type { Rng } from "../util/rng";
import { formatIP, parseCIDR } from "../util/ipv4";
import type { ClusterNetwork } from "../net";
import { OutsideMachine } from "../net/machines";
import type { SocketOwner } from "../net/walker";
import type { ExportEntry } from "./exports";
import { reloadExports, type NfsExporter } from "./exporter";

export const NFS_SERVER = "nfs-server";
export const NFS_PORT = 2049;
export const RPCBIND_PORT = 111;
export const MOUNTD_PORT = 20048;
/** The directory the server exports, on its own disk. */
export const EXPORT_ROOT = "/srv/nfs";
/** The disk behind EXPORT_ROOT: 20 GiB (`/dev/sdb1`). */
export const EXPORT_DISK = { device: "/dev/sdb1", bytes: 20 * 1024 ** 3, baseUsed: 24 * 1024 ** 2 };

/** The exports the lab ships: a share for hand-made PersistentVolumes and the provisioner's root. */
export const DEFAULT_EXPORTS = [
  "# /etc/exports: the access control list for filesystems which may be exported",
  "#\t\tto NFS clients.  See exports(5).",
  "#",
  `${EXPORT_ROOT}/share       172.30.1.0/24(rw,sync,no_subtree_check,no_root_squash)`,
  `${EXPORT_ROOT}/kubernetes  172.30.1.0/24(rw,sync,no_subtree_check,no_root_squash)`,
  "",
].join("\n");

/** The NFS server machine: an OutsideMachine whose NFS ports answer only while nfsd runs. */
export class NfsServer extends OutsideMachine implements NfsExporter {
  declare readonly fs: FileSystem;
  /** The kernel's export table (etab), loaded from /etc/exports by `exportfs -ra`. */
  table: ExportEntry[] = [];
  /** `nfs-server.service`: while stopped, 2049 and 20048 refuse connections. */
  nfsd = true;
  /** When nfs-server.service last started or stopped (virtual ms). */
  nfsdSince = 0;

  /** `systemctl start|stop nfs-server`: ExecStartPre re-exports /etc/exports; ExecStopPost unexports everything. */
  setNfsd(running: boolean, now: number): string[] {
    this.nfsd = running;
    this.nfsdSince = now;
    if (!running) {
      this.table = [];
      return [];
    }
    return this.reexport();
  }

  override listener(inode: number, protocol: "TCP" | "UDP", ip: number, port: number): SocketOwner | undefined {
    if (!this.nfsd && (port === NFS_PORT || port === MOUNTD_PORT)) return undefined;
    return super.listener(inode, protocol, ip, port);
  }

  /** `exportfs -ra`: the table becomes what /etc/exports says; errors are exportfs's lines. */
  reexport(): string[] {
    return reloadExports(this);
  }
}

/** The server's address: `.50` of the node network, or the next free one. */
function serverAddress(nodeCidr: string, taken: ReadonlySet<string>): string {
  const cidr = parseCIDR(nodeCidr)!;
  for (let host = 50; host < 100; host++) {
    const candidate = formatIP(cidr.base + host);
    if (!taken.has(candidate)) return candidate;
  }
  throw new Error(`no free address for the NFS server in ${nodeCidr}`);
}

/**
 * Builds `nfs-server` on the node network: its file system with the exported directories and
 * /etc/exports (already exported, as the package's service does at boot), its sockets, and an
 * /etc/hosts that names every node (exports may name clients by host name).
 */
export function addNfsServer(network: ClusterNetwork, init: { segment: string; nodeCidr: string; taken: readonly string[]; clock: VirtualClock; rng: Rng; nodes: readonly { name: string; ip: string }[] }): NfsServer {
  const cidr = parseCIDR(init.nodeCidr)!;
  const ip = serverAddress(init.nodeCidr, new Set(init.taken));
  const fs = new FileSystem(init.clock);
  createUbuntuSkeleton(fs, { hostname: NFS_SERVER });
  fs.appendFile("/etc/hosts", `\n${init.nodes.map((n) => `${n.ip} ${n.name}`).join("\n")}\n`);
  fs.writeFile("/etc/exports", DEFAULT_EXPORTS.replace(/172\.30\.1\.0\/24/g, init.nodeCidr));
  fs.mkdirp(`${EXPORT_ROOT}/share`, { mode: 0o777 });
  fs.mkdirp(`${EXPORT_ROOT}/kubernetes`, { mode: 0o777 });
  const server = new NfsServer(NFS_SERVER, ip, fs);
  server.bind("TCP", 22, "sshd", 688);
  server.bind("TCP", RPCBIND_PORT, "rpcbind", 402);
  server.bind("UDP", RPCBIND_PORT, "rpcbind", 402);
  server.bind("TCP", NFS_PORT, "nfsd", 0);
  server.bind("TCP", MOUNTD_PORT, "rpc.mountd", 731);
  server.setNfsd(true, init.clock.now());
  const stack = network.addHost(NFS_SERVER);
  network.attachHost(stack, { segment: init.segment, ip, prefix: cidr.prefix, gateway: formatIP(cidr.base + 1), mac: network.mac(init.rng) });
  network.registerMachine(NFS_SERVER, server);
  return server;
}

/** The cluster's NFS server, if it has one. */
export function nfsServer(network: ClusterNetwork): NfsServer | undefined {
  const machine = network.machine(NFS_SERVER);
  return machine instanceof NfsServer ? machine : undefined;
}

