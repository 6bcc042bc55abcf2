// The nfs-server add-on's API objects: the `nfs-client` StorageClass the
// nfs-subdir-external-provisioner Helm chart (4.0.18, app v4.0.2) installs, served by the
// provisioner controller in storage/provisioner.ts. Not the default class: a claim must ask for it.
import { NFS_SUBDIR_PROVISIONER } from "../storage";

export function nfsServerManifests(): string {
  return `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nfs-client
  labels:
    app: nfs-subdir-external-provisioner
    chart: nfs-subdir-external-provisioner-4.0.18
    heritage: Helm
    release: nfs-subdir-external-provisioner
provisioner: ${NFS_SUBDIR_PROVISIONER}
parameters:
  archiveOnDelete: "true"
reclaimPolicy: Delete
volumeBindingMode: Immediate
allowVolumeExpansion: true
`;
}
