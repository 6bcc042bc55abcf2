/**
 * `mount` (util-linux 2.37.2, Ubuntu 22.04; busybox's applet in busybox images): with no
 * operand it lists the mount table (`-t TYPE` filters it), as `DEVICE on DIR type TYPE (OPTIONS)`;
 * `mount -t nfs [-o OPTS] SERVER:/PATH DIR` (or any `host:/path` source) mounts an NFS export
 * on the machine through mount.nfs (storage/mount.ts), so the files under DIR are the server's.
 * Only a machine's root may mount; a container (unprivileged) is refused as busybox refuses it.
 *
 * @example
 * mount -t nfs nfs-server:/srv/nfs/share /mnt && mount | grep nfs
 */
import type { Command, CommandContext, CommandResult } from "../../shell";
import { currentNet, userland } from "../../net";
import { MountedFileSystem } from "../../node/container/mounted-fs";
import { MOUNT_FAILURE, mountNfs } from "../mount";
import { inContainer, mountTable } from "./mounts";

const ok = (stdout: string): CommandResult => ({ stdout, stderr: "", exitCode: 0 });
const failed = (stderr: string, exitCode = MOUNT_FAILURE): CommandResult => ({ stdout: "", stderr, exitCode });

/** The table, one line per mount, optionally only some types (`-t nfs,nfs4`, `-t nonfs`). */
export function listMounts(ctx: CommandContext, types: string | undefined): string {
  const wanted = types?.split(",").filter(Boolean);
  const shown = (type: string) => {
    if (!wanted) return true;
    const negated = wanted[0].startsWith("no");
    return negated ? !wanted.some((t) => t.replace(/^no/, "") === type) : wanted.includes(type);
  };
  return mountTable(ctx).filter((m) => shown(m.type)).map((m) => `${m.device} on ${m.target} type ${m.type} (${m.options})\n`).join("");
}

function mountExport(ctx: CommandContext, type: string | undefined, options: string[], source: string, dirArg: string): CommandResult {
  const fs = ctx.fs;
  const net = currentNet(ctx);
  const dir = ctx.resolve(dirArg).replace(/\/+$/, "") || "/";
  if (type !== undefined && type !== "nfs" && type !== "nfs4") return failed(`mount: ${dir}: unknown filesystem type '${type}'.\n`);
  if (!(fs instanceof MountedFileSystem) || !net) return failed(`mount: ${dir}: unknown filesystem type '${type ?? "nfs"}'.\n`);
  if (!fs.isDirectory(dir)) return failed(`mount: ${dir}: mount point does not exist.\n`);
  if (fs.mountPoints().some((m) => m.target === dir && m.info?.device === source)) return failed(`mount.nfs: ${source} is busy or already mounted\n`);
  const wantsV4 = type === "nfs4" ? ["vers=4"] : [];
  const r = mountNfs({ network: net.network, from: net.stack, fs, source, options: [...wantsV4, ...options], now: ctx.clock.now(), trace: true });
  if (!r.ok) return failed(`${r.output}\n`);
  fs.mount(dir, r.server.fs, r.path, r.info);
  return ok("");
}

export const mountCommand: Command = {
  name: "mount",
  summary: "mount a filesystem",
  usage: "mount [-t <type>] [-o <options>] [<source>] [<directory>]",
  path: "/usr/bin/mount",
  spec: {
    flags: [
      { name: "types", short: "t", long: "types", value: "required", valueName: "list", help: "limit the set of filesystem types" },
      { name: "options", short: "o", long: "options", value: "required", valueName: "list", help: "comma-separated list of mount options" },
      { name: "verbose", short: "v", long: "verbose", help: "say what is being done" },
    ],
  },
  run(args, ctx) {
    const [source, dir] = args.operands;
    if (source === undefined) return ok(listMounts(ctx, args.value("types")));
    // A container has no CAP_SYS_ADMIN: mount(2) fails with EPERM even for its root.
    if (inContainer(ctx)) {
      return userland(ctx) === "busybox" ? failed("mount: permission denied (are you root?)\n", 255) : failed(`mount: ${ctx.resolve(dir ?? source)}: permission denied.\n`);
    }
    if (dir === undefined) return failed(`mount: ${ctx.resolve(source)}: can't find in /etc/fstab.\n`, 1);
    const options = (args.value("options") ?? "").split(",").filter(Boolean);
    if (!source.includes(":")) return failed(`mount: ${ctx.resolve(dir)}: special device ${source} does not exist.\n`);
    return mountExport(ctx, args.value("types"), options, source, dir);
  },
};
