/**
 * Storage beside and inside the cluster: the `nfs-server` machine and its export table
 * (server.ts, exports.ts), the NFS client that mounts exports over the packet walker
 * (mount.ts, used by the kubelet and by `mount`), the nfs-subdir-external-provisioner
 * (provisioner.ts), the add-on that installs them (addon.ts), the in-cluster server image's
 * program (volume-nfs.ts) and the tools (commands/).
 *
 * @example
 * import { installNfsServer, mountNfs, STORAGE_CLIENT_COMMANDS } from "@/lib/engine/storage";
 */
export { clientAllowed, clientMatches, formatExportTable, optionText, parseExports, type ExportClient, type ExportEntry, type ExportOptions } from "./exports";
export { addNfsServer, DEFAULT_EXPORTS, EXPORT_ROOT, MOUNTD_PORT, NFS_PORT, NFS_SERVER, NfsServer, nfsServer, RPCBIND_PORT } from "./server";
export { MOUNT_FAILURE, mountNfs, type NfsMountRequest, type NfsMountResult } from "./mount";
export { NFS_SUBDIR_PROVISIONER, NfsSubdirProvisioner } from "./provisioner";
export { installNfsServer } from "./addon";
export { exporterBehind, type NfsExporter } from "./exporter";
export { RUN_NFS_SCRIPT, volumeNfsProgram } from "./volume-nfs";
export { STORAGE_CLIENT_COMMANDS, STORAGE_SERVER_COMMANDS } from "./commands";
