/**
 * `umount` (util-linux 2.37.2): unmounts what is mounted on a directory (or the mount of a
 * `server:/path` source); the directory's own contents show again. The export's files stay on
 * the server.
 *
 * @example
 * umount /mnt
 */
import type { Command, CommandResult } from "../../shell";
import { MountedFileSystem } from "../../node/container/mounted-fs";
import { MOUNT_FAILURE } from "../mount";

const failed = (stderr: string): CommandResult => ({ stdout: "", stderr, exitCode: MOUNT_FAILURE });

export const umountCommand: Command = {
  name: "umount",
  summary: "unmount filesystems",
  usage: "umount [-flv] <source> | <directory>",
  path: "/usr/bin/umount",
  spec: {
    flags: [
      { name: "force", short: "f", long: "force", help: "force unmount (in case of an unreachable NFS system)" },
      { name: "lazy", short: "l", long: "lazy", help: "detach the filesystem now, clean up things later" },
      { name: "verbose", short: "v", long: "verbose", help: "say what is being done" },
    ],
  },
  run(args, ctx) {
    if (args.operands.length === 0) return { stdout: "", stderr: "umount: bad usage\nTry 'umount --help' for more information.\n", exitCode: 1 };
    let stdout = "";
    for (const operand of args.operands) {
      const fs = ctx.fs;
      const path = operand.includes(":") ? operand : ctx.resolve(operand).replace(/\/+$/, "") || "/";
      const mounted = fs instanceof MountedFileSystem ? fs.mountPoints().find((m) => m.info && (m.target === path || m.info.device === operand)) : undefined;
      if (!mounted || !(fs instanceof MountedFileSystem)) {
        if (!operand.includes(":") && !fs.exists(path)) return failed(`umount: ${path}: no mount point specified.\n`);
        return failed(`umount: ${path}: not mounted.\n`);
      }
      if (ctx.cwd === mounted.target || ctx.cwd.startsWith(`${mounted.target}/`)) return failed(`umount.nfs4: ${mounted.target}: device is busy\n`);
      fs.unmount(mounted.target);
      if (args.has("verbose")) stdout += `umount: ${mounted.target} (${mounted.info!.device}) unmounted\n`;
    }
    return { stdout, stderr: "", exitCode: 0 };
  },
};
