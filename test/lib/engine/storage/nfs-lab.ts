// The cluster the NFS tests share: three Calico nodes with the nfs-server add-on beside them.
import { createCluster } from "@/lib/engine";

export const NFS_LAB = `
base: three-node-calico
name: nfs-lab
addons: [coredns, nfs-server]
`;

/** A fork of the one booted NFS lab (the first call boots it). */
export const nfsLab = () => createCluster({ scenario: NFS_LAB, seed: 3 });

/** A busybox pod on `node` that mounts `volume` at /data. */
export function podYaml(name: string, node: string, volume: string): string {
  return `apiVersion: v1
kind: Pod
metadata: { name: ${name} }
spec:
  nodeName: ${node}
  containers:
  - name: c
    image: busybox:1.36
    command: ["sleep", "infinity"]
    volumeMounts: [{ name: data, mountPath: /data }]
  volumes:
  - name: data
    ${volume}
`;
}

/** `kubectl apply` of a manifest through a here-document. */
export const apply = (yaml: string) => `kubectl apply -f - <<'EOF'\n${yaml}EOF`;
