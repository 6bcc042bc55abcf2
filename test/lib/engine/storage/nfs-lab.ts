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

/** The upstream example's in-cluster server (kubernetes/examples staging/volumes/nfs), its export on an emptyDir. */
export const NFS_SERVER_POD = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nfs-server
spec:
  replicas: 1
  selector:
    matchLabels:
      role: nfs-server
  template:
    metadata:
      labels:
        role: nfs-server
    spec:
      containers:
      - name: nfs-server
        image: registry.k8s.io/volume-nfs:0.8
        ports:
          - name: nfs
            containerPort: 2049
          - name: mountd
            containerPort: 20048
          - name: rpcbind
            containerPort: 111
        securityContext:
          privileged: true
        volumeMounts:
          - mountPath: /exports
            name: exports
      volumes:
        - name: exports
          emptyDir: {}
---
kind: Service
apiVersion: v1
metadata:
  name: nfs-server
spec:
  ports:
    - name: nfs
      port: 2049
    - name: mountd
      port: 20048
    - name: rpcbind
      port: 111
  selector:
    role: nfs-server
`;

/** A ReadWriteMany PersistentVolume on `server`'s NFSv4 root, and the claim `shared` bound to it. */
export function sharedClaim(server: string): string {
  return `apiVersion: v1
kind: PersistentVolume
metadata: { name: nfs }
spec:
  capacity: { storage: 1Mi }
  accessModes: [ReadWriteMany]
  nfs: { server: ${server}, path: "/" }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: shared }
spec:
  storageClassName: ""
  accessModes: [ReadWriteMany]
  resources: { requests: { storage: 1Mi } }
  volumeName: nfs
`;
}
