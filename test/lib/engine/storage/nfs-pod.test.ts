// The NFS server as a pod (registry.k8s.io/volume-nfs, the upstream example) behind a ClusterIP
// Service: it answers NFS from its own namespace, serves a ReadWriteMany volume to pods on
// several nodes, the kubelet reaches it only by the Service's IP (nodes do not use cluster DNS),
// and a NetworkPolicy on the server pod decides which nodes may mount.
import { beforeAll, describe, expect, it } from "vitest";
import { createCluster, forkCluster, type ClusterHandle, type Shell } from "@/lib/engine";
import type { Event, Pod } from "@/lib/engine/api";
import { apply, NFS_SERVER_POD, podYaml, sharedClaim } from "./nfs-lab";

const CLAIM = "persistentVolumeClaim: { claimName: shared }";

let booted: { cluster: ClusterHandle; sh: Shell; ip: string; serverNode: string };

beforeAll(async () => {
  const cluster = createCluster({ scenario: "three-node-calico", seed: 3 });
  const sh = cluster.shell();
  await sh.run(apply(NFS_SERVER_POD));
  await sh.run("sleep 30");
  const ip = (await sh.run("kubectl get svc nfs-server -o jsonpath={.spec.clusterIP}")).stdout;
  const serverNode = (await sh.run("kubectl get pod -l role=nfs-server -o jsonpath={.items[0].spec.nodeName}")).stdout;
  booted = { cluster, sh, ip, serverNode };
}, 60_000);

/** A fork of the cluster with the server running. */
function lab() {
  const f = forkCluster(booted.cluster, booted.sh)!;
  return { cluster: f.cluster, sh: f.shell, ip: booted.ip };
}

const phase = async (sh: Shell, pod: string) => (await sh.run(`kubectl get pod ${pod} -o jsonpath={.status.phase}`)).stdout;

function failedMounts(cluster: ClusterHandle, pod: string): string[] {
  return cluster.internals.store.list<Event>("Event", { namespace: "default" })
    .filter((e) => e.involvedObject?.name === pod && e.reason === "FailedMount")
    .map((e) => e.message ?? "");
}

const uidOf = (cluster: ClusterHandle, pod: string) => cluster.internals.store.get<Pod>("Pod", "default", pod).metadata.uid;

function mountFailure(uid: string, source: string, output: string): string {
  return `MountVolume.SetUp failed for volume "nfs" : mount failed: exit status 32\nMounting command: mount\nMounting arguments: -t nfs ${source} /var/lib/kubelet/pods/${uid}/volumes/kubernetes.io~nfs/nfs\nOutput: ${output}\n`;
}

describe("the in-cluster NFS server (volume-nfs:0.8)", () => {
  it("starts as run_nfs.sh does, exports /exports and / with fsid=0, and answers showmount at its ClusterIP", async () => {
    const { sh, ip } = lab();
    expect(booted.serverNode).toBe("node02");
    expect((await sh.run("kubectl logs deploy/nfs-server")).stdout).toBe(
      "Serving /exports\nServing /\nrpcinfo: can't contact rpcbind: RPC: Remote system error - Connection refused\nStarting rpcbind\nNFS started\n",
    );
    expect((await sh.run("kubectl exec deploy/nfs-server -- cat /etc/exports")).stdout).toBe("/exports *(rw,fsid=0,insecure,no_root_squash)\n/ *(rw,fsid=0,insecure,no_root_squash)\n");
    expect((await sh.run("kubectl exec deploy/nfs-server -- exportfs -v")).stdout).toBe(
      "/exports      \t<world>(sync,wdelay,hide,no_subtree_check,fsid=0,sec=sys,rw,insecure,no_root_squash,no_all_squash)\n" +
      "/             \t<world>(sync,wdelay,hide,no_subtree_check,fsid=0,sec=sys,rw,insecure,no_root_squash,no_all_squash)\n",
    );
    // From a node, through kube-proxy's DNAT to the pod's rpcbind and mountd.
    expect(await sh.run(`ssh node01 showmount -e ${ip}`)).toMatchObject({ stdout: `Export list for ${ip}:\n/exports *\n/        *\n`, exitCode: 0 });
    expect((await sh.run("kubectl exec deploy/nfs-server -- cat /exports/index.html")).stdout).toBe("Hello from NFS!\n");
  });

  it("makes /exports NFSv4's root: SERVICE-IP:/ is /exports, SERVICE-IP:/exports only over NFSv3", async () => {
    const { sh, ip } = lab();
    await sh.run("ssh node01");
    expect(await sh.run(`mount -t nfs ${ip}:/ /mnt && cat /mnt/index.html`)).toMatchObject({ stdout: "Hello from NFS!\n", exitCode: 0 });
    expect((await sh.run("mount -t nfs4")).stdout).toBe(`${ip}:/ on /mnt type nfs4 (rw,relatime,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=172.30.1.3,local_lock=none,addr=${ip})\n`);
    await sh.run("mkdir /mnt2");
    expect(await sh.run(`mount -t nfs ${ip}:/exports /mnt2`)).toMatchObject({ stderr: `mount.nfs: mounting ${ip}:/exports failed, reason given by server: No such file or directory\n`, exitCode: 32 });
    expect(await sh.run(`mount -t nfs -o vers=3 ${ip}:/exports /mnt2 && ls /mnt2`)).toMatchObject({ stdout: "index.html\n", exitCode: 0 });
  });

  it("serves a ReadWriteMany claim to pods on two nodes, and the data outlives them", async () => {
    const { cluster, sh, ip } = lab();
    await sh.run(apply(sharedClaim(ip) + "---\n" + podYaml("writer", "node01", CLAIM) + "---\n" + podYaml("reader", "controlplane", CLAIM)));
    await sh.run("sleep 20");
    expect([await phase(sh, "writer"), await phase(sh, "reader")]).toEqual(["Running", "Running"]);
    await sh.run("kubectl exec writer -- sh -c 'echo written by writer > /data/note'");
    expect((await sh.run("kubectl exec reader -- cat /data/note")).stdout).toBe("written by writer\n");
    // The file is in the server pod's /exports (its emptyDir on node02), nowhere else.
    expect((await sh.run("kubectl exec deploy/nfs-server -- cat /exports/note")).stdout).toBe("written by writer\n");
    expect((await sh.run("ssh node01 mount -t nfs4")).stdout).toContain(`${ip}:/ on /var/lib/kubelet/pods/${uidOf(cluster, "writer")}/volumes/kubernetes.io~nfs/nfs type nfs4`);
    await sh.run("kubectl delete pod writer reader");
    expect((await sh.run("ssh node01 mount -t nfs4")).stdout).toBe("");
    await sh.run(apply(podYaml("again", "node02", CLAIM)));
    await sh.run("sleep 20");
    expect((await sh.run("kubectl exec again -- cat /data/note")).stdout).toBe("written by writer\n");
  });

  it("cannot be mounted by its DNS name: the kubelet resolves on the node, which has no cluster DNS", async () => {
    const { cluster, sh } = lab();
    const name = "nfs-server.default.svc.cluster.local";
    await sh.run(apply(sharedClaim(name) + "---\n" + podYaml("client", "node01", CLAIM) + "---\n" + podYaml("probe", "node01", "emptyDir: {}")));
    await sh.run("sleep 20");
    expect((await sh.run("kubectl get pod client -o jsonpath={.status.containerStatuses[0].state.waiting.reason}")).stdout).toBe("ContainerCreating");
    expect(failedMounts(cluster, "client")[0]).toBe(mountFailure(uidOf(cluster, "client"), `${name}:/`, `mount.nfs: Failed to resolve server ${name}: Name or service not known`));
    // A pod resolves the name (its resolv.conf points at CoreDNS); the node does not.
    expect((await sh.run(`kubectl exec probe -- nslookup ${name}`)).stdout).toContain(`Name:\t${name}\nAddress: ${booted.ip}\n`);
    expect((await sh.run(`ssh node01 getent hosts ${name}`)).exitCode).toBe(2);
  });
});

describe("a NetworkPolicy on the server pod (Calico)", () => {
  const policy = (from: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: nfs-server }
spec:
  podSelector: { matchLabels: { role: nfs-server } }
  policyTypes: [Ingress]
  ingress:
  - ports: [{ port: 2049 }, { port: 20048 }, { port: 111 }]
${from}`;
  const podsOnly = "    from: [{ podSelector: {} }]\n";

  it("times the mount out from other nodes, not from the server's own node, and the kubelet mounts once it allows them", async () => {
    const { cluster, sh, ip } = lab();
    await sh.run(apply(policy(podsOnly)));
    await sh.run("sleep 2");
    await sh.run(apply(sharedClaim(ip) + "---\n" + podYaml("far", "node01", CLAIM) + "---\n" + podYaml("near", "node02", CLAIM)));
    await sh.run("sleep 20");
    // node02 runs the server: traffic from a pod's own node is never policed (cali-OUTPUT returns for cali+).
    expect([await phase(sh, "far"), await phase(sh, "near")]).toEqual(["Pending", "Running"]);
    expect(failedMounts(cluster, "far").at(-1)).toBe(mountFailure(uidOf(cluster, "far"), `${ip}:/`, "mount.nfs: Connection timed out"));
    expect(await sh.run(`ssh node01 showmount -e ${ip}`)).toMatchObject({ stderr: "clnt_create: RPC: Timed out\n", exitCode: 1 });
    // node01 reaches the pod through its IPIP tunnel, from tunl0's address, not its node address:
    // allowing the node network is not enough.
    await sh.run(apply(policy("    from: [{ ipBlock: { cidr: 172.30.1.0/24 } }]\n")));
    await sh.run("sleep 2");
    expect((await sh.run(`ssh node01 mount -t nfs ${ip}:/ /mnt`)).stderr).toBe("mount.nfs: Connection timed out\n");
    const tunnel = (await sh.run("ssh node01 ip -4 -br addr show tunl0")).stdout.trim().split(/\s+/)[2];
    await sh.run(apply(policy(`    from: [{ ipBlock: { cidr: 172.30.1.0/24 } }, { ipBlock: { cidr: ${tunnel} } }]\n`)));
    await sh.run("sleep 60");
    expect(await phase(sh, "far")).toBe("Running");
    await sh.run("kubectl exec far -- sh -c 'echo across > /data/x'");
    expect((await sh.run("kubectl exec near -- cat /data/x")).stdout).toBe("across\n");
  });
});
