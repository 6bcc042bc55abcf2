/**
 * The nfs-subdir-external-provisioner (kubernetes-sigs, v4.0.2) as the `nfs-server` add-on
 * runs it: for every claim the PV controller hands to its name (the
 * `volume.kubernetes.io/storage-provisioner` annotation), it creates the directory
 * `${namespace}-${pvcName}-${pvName}` under the export it serves and a PersistentVolume
 * `pvc-<claim uid>` pointing at it, pre-bound to the claim; when such a volume is Released
 * with the Delete policy it archives the directory (`archived-<name>`, the default) or removes
 * it (`archiveOnDelete: "false"`), then deletes the volume.
 *
 * The real provisioner is a pod that mounts the export; here the controller works on the
 * server's file system directly, which is what its mount amounts to.
 *
 * @example
 * cluster.register(new NfsSubdirProvisioner(network, "172.30.1.50", "/srv/nfs/kubernetes"));
 */
import type { PersistentVolume, PersistentVolumeClaim, StorageClass, Stored, WatchEvent } from "../api";
import { ApiError } from "../api";
import { defineWatches, type Controller, type ControllerContext } from "../cluster/controller";
import { ANN_DYNAMICALLY_PROVISIONED, ANN_STORAGE_PROVISIONER } from "../controllers/persistentvolume";
import type { ClusterNetwork } from "../net";
import type { FileSystem } from "../shell";
import { nfsServer } from "./server";

/** The provisioner name the Helm chart gives it (and its StorageClass names). */
export const NFS_SUBDIR_PROVISIONER = "cluster.local/nfs-subdir-external-provisioner";

const claimKeys = (e: WatchEvent): string[] => {
  const claim = e.object as Stored<PersistentVolumeClaim>;
  return claim.metadata.annotations?.[ANN_STORAGE_PROVISIONER] === NFS_SUBDIR_PROVISIONER ? [`claim/${claim.metadata.namespace}/${claim.metadata.name}`] : [];
};
const volumeKeys = (e: WatchEvent): string[] => {
  const pv = e.object as Stored<PersistentVolume>;
  return pv.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] === NFS_SUBDIR_PROVISIONER ? [`volume/${pv.metadata.name}`] : [];
};
const WATCHES = defineWatches(Object.freeze({ kind: "PersistentVolumeClaim", keys: claimKeys }), Object.freeze({ kind: "PersistentVolume", keys: volumeKeys }));

export class NfsSubdirProvisioner implements Controller {
  readonly name = "nfs-subdir-external-provisioner";
  readonly watches = WATCHES;
  private readonly source = { component: NFS_SUBDIR_PROVISIONER };

  constructor(
    private readonly network: ClusterNetwork,
    /** The server as the provisioner's NFS_SERVER names it (what its volumes' `nfs.server` say). */
    private readonly server: string,
    /** NFS_PATH: the exported directory it makes volumes in. */
    private readonly root: string,
  ) {}

  reconcile(key: string, ctx: ControllerContext): void {
    const fs = nfsServer(this.network)?.fs;
    if (!fs) return;
    try {
      if (key.startsWith("claim/")) this.provision(key.slice("claim/".length), ctx, fs);
      else if (key.startsWith("volume/")) this.reclaim(key.slice("volume/".length), ctx, fs);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  private provision(nsName: string, ctx: ControllerContext, fs: FileSystem): void {
    const slash = nsName.indexOf("/");
    const namespace = nsName.slice(0, slash);
    const claim = ctx.store.find<PersistentVolumeClaim>("PersistentVolumeClaim", namespace, nsName.slice(slash + 1));
    if (!claim || claim.spec.volumeName || claim.metadata.deletionTimestamp) return;
    const pvName = `pvc-${claim.metadata.uid}`;
    if (ctx.store.find("PersistentVolume", undefined, pvName)) return;
    const sc = ctx.store.find<StorageClass>("StorageClass", undefined, claim.spec.storageClassName ?? "");
    if (!sc || sc.provisioner !== NFS_SUBDIR_PROVISIONER) return;
    ctx.events.record(claim, "Normal", "Provisioning", `External provisioner is provisioning volume for claim "${namespace}/${claim.metadata.name}"`, this.source);
    const path = `${this.root}/${namespace}-${claim.metadata.name}-${pvName}`;
    fs.mkdirp(path, { mode: 0o777 });
    ctx.store.create<PersistentVolume>({
      apiVersion: "v1", kind: "PersistentVolume",
      metadata: { name: pvName, annotations: { [ANN_DYNAMICALLY_PROVISIONED]: NFS_SUBDIR_PROVISIONER } },
      spec: {
        capacity: { storage: claim.spec.resources?.requests?.storage ?? "0" },
        accessModes: [...(claim.spec.accessModes ?? [])],
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? "Delete",
        storageClassName: sc.metadata.name,
        volumeMode: claim.spec.volumeMode ?? "Filesystem",
        ...(sc.mountOptions?.length ? { mountOptions: [...sc.mountOptions] } : {}),
        nfs: { server: this.server, path },
        claimRef: { kind: "PersistentVolumeClaim", namespace, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: "v1", resourceVersion: claim.metadata.resourceVersion },
      },
    });
    ctx.events.record(claim, "Normal", "ProvisioningSucceeded", `Successfully provisioned volume ${pvName}`, this.source);
  }

  private reclaim(name: string, ctx: ControllerContext, fs: FileSystem): void {
    const pv = ctx.store.find<PersistentVolume>("PersistentVolume", undefined, name);
    if (!pv || pv.status?.phase !== "Released" || pv.spec.persistentVolumeReclaimPolicy !== "Delete") return;
    const path = pv.spec.nfs?.path ?? "";
    const sc = ctx.store.find<StorageClass>("StorageClass", undefined, pv.spec.storageClassName ?? "");
    if (path.startsWith(`${this.root}/`) && fs.isDirectory(path)) {
      // archiveOnDelete: anything but "false" keeps the data under a new name.
      if (sc?.parameters?.archiveOnDelete === "false") fs.removeTree(path); // the provisioner's os.RemoveAll
      else fs.rename(path, `${this.root}/archived-${path.slice(this.root.length + 1)}`);
    }
    ctx.store.delete("PersistentVolume", undefined, name);
  }
}
