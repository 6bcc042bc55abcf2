// The storage tools: the NFS client's (showmount, mount, umount, df — on every node, with
// nfs-common) and the server's (exportfs and systemctl for nfs-server, only there).
import type { Command } from "../../shell";
import { dfCommand } from "./df";
import { exportfsCommand } from "./exportfs";
import { mountCommand } from "./mount";
import { showmountCommand } from "./showmount";
import { systemctlCommand } from "./systemctl";
import { umountCommand } from "./umount";

/** What a node, a container (if its image ships them) and the NFS server have. */
export const STORAGE_CLIENT_COMMANDS: readonly Command[] = Object.freeze([showmountCommand, mountCommand, umountCommand, dfCommand]);
/** The server's own: nfs-kernel-server's exportfs, and systemctl for its unit. */
export const STORAGE_SERVER_COMMANDS: readonly Command[] = Object.freeze([exportfsCommand, systemctlCommand]);
