/**
 * The mount table of the machine or container a command runs in, as /proc/self/mounts has it,
 * and each file system's size for `df`. A node (Ubuntu 22.04 on a VM) has its system mounts,
 * its disk and whatever NFS exports are mounted on it (by the kubelet or by hand); the NFS
 * server has its export disk; a container has its overlay root, its /dev, and one line per
 * volume: an NFS volume shows the export it comes from (the node's mount under the kubelet's
 * pod directory), a projected or secret volume a tmpfs, anything else the node's disk.
 *
 * Sizes are what statfs would answer: the node's disk from the node's figures, an export's
 * from the server's disk with the bytes its files hold.
 *
 * @example
 * mountTable(ctx).filter((m) => m.type.startsWith("nfs")); // the NFS mounts here
 */
import type { CommandContext, FileSystem } from "../../shell";
import { currentNet } from "../../net";
import { DISK_KIB, MEMORY_KIB } from "../../node/machine";
import { MountedFileSystem, type MountInfo } from "../../node/container/mounted-fs";
import { EXPORT_DISK, EXPORT_ROOT, nfsServer, NFS_SERVER } from "../server";

export interface Usage {
  /** In 1 KiB blocks, as statfs reports them through df. */
  total: number;
  used: number;
  avail: number;
}

export interface MountRow {
  device: string;
  target: string;
  type: string;
  options: string;
  usage: Usage;
}

const BLOCK = 4096;
const RUN_KIB = Math.floor(MEMORY_KIB / 10);
const SHM_KIB = Math.floor(MEMORY_KIB / 2);
const ROOT_USED_KIB = 6_182_412;
const DISK_OPTIONS = "rw,relatime,discard,errors=remount-ro";

/** Bytes a tree takes on disk: each file and directory rounded up to 4 KiB blocks. */
export function treeBytes(fs: FileSystem, path: string): number {
  if (!fs.exists(path)) return 0;
  const stat = fs.lstat(path);
  if (stat.kind !== "dir") return Math.ceil(stat.size / BLOCK) * BLOCK;
  return fs.list(path).reduce((n, name) => n + treeBytes(fs, `${path}/${name}`), BLOCK);
}

const fixed = (total: number, used: number): Usage => ({ total, used, avail: total - used });

/** ext4's 5% reserve: what is left for users after the used blocks. */
function ext4(totalKib: number, usedKib: number): Usage {
  return { total: totalKib, used: usedKib, avail: Math.max(0, totalKib - usedKib - Math.floor(totalKib * 0.05)) };
}

/** The export disk's usage: what the server's files under /srv/nfs hold. */
export function exportUsage(serverFs: FileSystem): Usage {
  const used = Math.ceil((EXPORT_DISK.baseUsed + treeBytes(serverFs, EXPORT_ROOT)) / 1024);
  return ext4(EXPORT_DISK.bytes / 1024, used);
}

function row(device: string, target: string, type: string, options: string, usage: Usage): MountRow {
  return { device, target, type, options, usage };
}

/** The system mounts of an Ubuntu 22.04 VM (mount(8) order), with the NFS client's rpc_pipefs. */
function systemRows(): MountRow[] {
  const none = fixed(0, 0);
  return [
    row("sysfs", "/sys", "sysfs", "rw,nosuid,nodev,noexec,relatime", none),
    row("proc", "/proc", "proc", "rw,nosuid,nodev,noexec,relatime", none),
    row("udev", "/dev", "devtmpfs", `rw,nosuid,relatime,size=${MEMORY_KIB - 20_432}k,nr_inodes=${Math.floor((MEMORY_KIB - 20_432) / 4)},mode=755,inode64`, fixed(MEMORY_KIB - 20_432, 0)),
    row("devpts", "/dev/pts", "devpts", "rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=000", none),
    row("tmpfs", "/run", "tmpfs", `rw,nosuid,nodev,noexec,relatime,size=${RUN_KIB}k,mode=755,inode64`, fixed(RUN_KIB, 1_124)),
    row("/dev/sda1", "/", "ext4", DISK_OPTIONS, ext4(DISK_KIB, ROOT_USED_KIB)),
    row("securityfs", "/sys/kernel/security", "securityfs", "rw,nosuid,nodev,noexec,relatime", none),
    row("tmpfs", "/dev/shm", "tmpfs", "rw,nosuid,nodev,inode64", fixed(SHM_KIB, 0)),
    row("tmpfs", "/run/lock", "tmpfs", "rw,nosuid,nodev,noexec,relatime,size=5120k,inode64", fixed(5_120, 0)),
    row("cgroup2", "/sys/fs/cgroup", "cgroup2", "rw,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot", none),
    row("pstore", "/sys/fs/pstore", "pstore", "rw,nosuid,nodev,noexec,relatime", none),
    row("bpf", "/sys/fs/bpf", "bpf", "rw,nosuid,nodev,noexec,relatime,mode=700", none),
    row("mqueue", "/dev/mqueue", "mqueue", "rw,nosuid,nodev,noexec,relatime", none),
    row("debugfs", "/sys/kernel/debug", "debugfs", "rw,nosuid,nodev,noexec,relatime", none),
    row("tracefs", "/sys/kernel/tracing", "tracefs", "rw,nosuid,nodev,noexec,relatime", none),
    row("configfs", "/sys/kernel/config", "configfs", "rw,nosuid,nodev,noexec,relatime", none),
    row("fusectl", "/sys/fs/fuse/connections", "fusectl", "rw,nosuid,nodev,noexec,relatime", none),
    row("sunrpc", "/run/rpc_pipefs", "rpc_pipefs", "rw,relatime", none),
    row("/dev/sda15", "/boot/efi", "vfat", "rw,relatime,fmask=0077,dmask=0077,codepage=437,iocharset=iso8859-1,shortname=mixed,errors=remount-ro", fixed(106_858, 6_182)),
    row("tmpfs", "/run/user/0", "tmpfs", `rw,nosuid,nodev,relatime,size=${RUN_KIB - 4}k,nr_inodes=${Math.floor(RUN_KIB / 4)},mode=700,inode64`, fixed(RUN_KIB - 4, 4)),
  ];
}

/** What a mount with info (an NFS export) shows, with the export disk's usage. */
function infoRow(info: MountInfo, target: string, fs: FileSystem): MountRow {
  return row(info.device, target, info.type, info.options, exportUsage(fs));
}

/** The mount a path of the node's file system is under, if it has info (an NFS export mounted there). */
function nodeMountOf(nodeFs: FileSystem, path: string): { info: MountInfo; fs: FileSystem; rest: string } | undefined {
  if (!(nodeFs instanceof MountedFileSystem)) return undefined;
  const m = nodeFs.mountPoints().find((p) => p.info && (path === p.target || path.startsWith(`${p.target}/`)));
  return m?.info && { info: m.info, fs: m.fs, rest: path.slice(m.target.length) };
}

function containerRows(fs: MountedFileSystem): MountRow[] {
  const none = fixed(0, 0);
  const disk = ext4(DISK_KIB, ROOT_USED_KIB);
  const rows = [
    row("overlay", "/", "overlay", "rw,relatime,lowerdir=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/21/fs,upperdir=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/22/fs,workdir=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/22/work", disk),
    row("proc", "/proc", "proc", "rw,nosuid,nodev,noexec,relatime", none),
    row("tmpfs", "/dev", "tmpfs", "rw,nosuid,size=65536k,mode=755,inode64", fixed(65_536, 0)),
    row("devpts", "/dev/pts", "devpts", "rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666", none),
    row("mqueue", "/dev/mqueue", "mqueue", "rw,nosuid,nodev,noexec,relatime", none),
    row("sysfs", "/sys", "sysfs", "ro,nosuid,nodev,noexec,relatime", none),
    row("cgroup", "/sys/fs/cgroup", "cgroup2", "ro,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot", none),
  ];
  // runc mounts in the order the kubelet lists them; mountPoints() is longest first.
  for (const m of [...fs.mountPoints()].reverse()) {
    const nfs = nodeMountOf(m.fs, m.source);
    if (nfs) rows.push(row(nfs.rest ? `${nfs.info.device}${nfs.rest}` : nfs.info.device, m.target, nfs.info.type, nfs.info.options, exportUsage(nfs.fs)));
    else if (/kubernetes\.io~(projected|secret)\//.test(m.source)) rows.push(row("tmpfs", m.target, "tmpfs", `ro,relatime,size=${MEMORY_KIB - 98_088}k,inode64`, fixed(MEMORY_KIB - 98_088, 12)));
    else rows.push(row("/dev/sda1", m.target, "ext4", DISK_OPTIONS, disk));
  }
  rows.push(row("shm", "/dev/shm", "tmpfs", "rw,nosuid,nodev,noexec,relatime,size=65536k,inode64", fixed(65_536, 0)));
  return rows;
}

/** Whether the location is a container: the kubelet bind-mounted the pod's /etc/hosts into it. */
export function inContainer(ctx: CommandContext): boolean {
  return ctx.fs instanceof MountedFileSystem && ctx.fs.mountPoints().some((m) => m.target === "/etc/hosts");
}

/** Every mount of the location, in /proc/mounts order. */
export function mountTable(ctx: CommandContext): MountRow[] {
  const fs = ctx.fs;
  if (fs instanceof MountedFileSystem && inContainer(ctx)) return containerRows(fs);
  const rows = systemRows();
  const net = currentNet(ctx);
  if (net?.stack.host === NFS_SERVER) {
    const server = nfsServer(net.network);
    if (server?.fs) rows.push(row("nfsd", "/proc/fs/nfsd", "nfsd", "rw,relatime", fixed(0, 0)), row(EXPORT_DISK.device, EXPORT_ROOT, "ext4", "rw,relatime", exportUsage(server.fs)));
  }
  if (fs instanceof MountedFileSystem) {
    const mounted = fs.mountPoints().filter((m) => m.info).sort((a, b) => (a.target < b.target ? -1 : 1));
    for (const m of mounted) rows.push(infoRow(m.info!, m.target, m.fs));
  }
  return rows;
}

/** The mount a path is on: the longest mount point that contains it. */
export function mountOf(rows: readonly MountRow[], path: string): MountRow | undefined {
  return rows.filter((r) => path === r.target || path.startsWith(r.target === "/" ? "/" : `${r.target}/`)).sort((a, b) => b.target.length - a.target.length)[0];
}
