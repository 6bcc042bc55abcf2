// The kubelet's NFS volumes: real mounts from the node's namespace over the packet walker.
// Data is shared between pods on different nodes, outlives the pods, and a mount that fails
// keeps the pod in ContainerCreating with the kubelet's event until the cause is fixed.
import { describe, expect, it } from "vitest";
import type { Event, Pod } from "@/lib/engine/api";
import { nfsServer } from "@/lib/engine/storage";
import { apply, nfsLab, podYaml } from "../../storage/nfs-lab";

const SHARE = "nfs: { server: nfs-server, path: /srv/nfs/share }";

const status = async (sh: ReturnType<ReturnType<typeof nfsLab>["shell"]>, pod: string) =>
  (await sh.run(`kubectl get pod ${pod} -o jsonpath='{.status.phase}/{.status.containerStatuses[0].state.waiting.reason}'`)).stdout;

/** The pod's FailedMount event messages. */
function failedMounts(cluster: ReturnType<typeof nfsLab>, pod: string): string[] {
  return cluster.internals.store.list<Event>("Event", { namespace: "default" })
    .filter((e) => e.involvedObject?.name === pod && e.reason === "FailedMount")
    .map((e) => e.message ?? "");
}

function mountFailure(uid: string, path: string, output: string): string {
  return `MountVolume.SetUp failed for volume "data" : mount failed: exit status 32\nMounting command: mount\nMounting arguments: -t nfs nfs-server:${path} /var/lib/kubelet/pods/${uid}/volumes/kubernetes.io~nfs/data\nOutput: ${output}\n`;
}

const uidOf = (cluster: ReturnType<typeof nfsLab>, pod: string) => cluster.internals.store.get<Pod>("Pod", "default", pod).metadata.uid;

describe("NFS volumes", () => {
  it("share one tree between pods on different nodes, at once", async () => {
    const cluster = nfsLab();
    const sh = cluster.shell();
    await sh.run(apply(podYaml("a", "node01", SHARE) + "---\n" + podYaml("b", "node02", SHARE)));
    await sh.run("sleep 20");
    expect([await status(sh, "a"), await status(sh, "b")]).toEqual(["Running/", "Running/"]);
    await sh.run("kubectl exec a -- sh -c 'echo from-a > /data/msg'");
    expect((await sh.run("kubectl exec b -- cat /data/msg")).stdout).toBe("from-a\n");
    await sh.run("kubectl exec b -- sh -c 'echo from-b >> /data/msg'");
    expect((await sh.run("kubectl exec a -- cat /data/msg")).stdout).toBe("from-a\nfrom-b\n");
    // The node sees the kubelet's mount; the pod sees the export behind /data.
    expect((await sh.run("ssh node01 mount -t nfs4")).stdout).toMatch(new RegExp(`^nfs-server:/srv/nfs/share on /var/lib/kubelet/pods/${uidOf(cluster, "a")}/volumes/kubernetes.io~nfs/data type nfs4 \\(rw,relatime,vers=4.2,.*,clientaddr=172.30.1.3,local_lock=none,addr=172.30.1.50\\)\n$`));
    // The container cannot mount anything itself: it has no CAP_SYS_ADMIN.
    expect(await sh.run("kubectl exec a -- mount -t nfs nfs-server:/srv/nfs/share /mnt")).toMatchObject({ stderr: "mount: permission denied (are you root?)\ncommand terminated with exit code 255\n", exitCode: 255 });
    expect((await sh.run("kubectl exec b -- mount")).stdout).toContain("\nnfs-server:/srv/nfs/share on /data type nfs4 (rw,relatime,vers=4.2,");
    expect((await sh.run("kubectl exec b -- df -h /data")).stdout).toBe(
      "Filesystem                Size      Used Available Use% Mounted on\nnfs-server:/srv/nfs/share\n                         20.0G     24.0M     19.0G   1% /data\n",
    );
  });

  it("outlive the pod: deleted and recreated on another node, the data is there", async () => {
    const cluster = nfsLab();
    const sh = cluster.shell();
    await sh.run(apply(podYaml("a", "node01", SHARE)));
    await sh.run("sleep 20");
    await sh.run("kubectl exec a -- sh -c 'echo kept > /data/state'");
    const uid = uidOf(cluster, "a");
    await sh.run("kubectl delete pod a");
    // Unmounted before the pod's directory went: nothing left on the node, the file on the server.
    expect((await sh.run("ssh node01 mount -t nfs4")).stdout).toBe("");
    expect((await sh.run(`ssh node01 ls /var/lib/kubelet/pods/${uid}`)).exitCode).not.toBe(0);
    expect(nfsServer(cluster.internals.network)!.fs!.readFile("/srv/nfs/share/state")).toBe("kept\n");
    await sh.run(apply(podYaml("a", "node02", SHARE)));
    await sh.run("sleep 20");
    expect((await sh.run("kubectl exec a -- cat /data/state")).stdout).toBe("kept\n");
  });

  it.each([
    ["a path the server does not export", "/srv/nfs/missing", "", "mount.nfs: mounting nfs-server:/srv/nfs/missing failed, reason given by server: No such file or directory"],
    ["a client the exports do not allow", "/srv/nfs/share", "echo '/srv/nfs/share 172.30.1.4(rw)' > /etc/exports; exportfs -ra", "mount.nfs: access denied by server while mounting nfs-server:/srv/nfs/share"],
    ["a stopped server", "/srv/nfs/share", "systemctl stop nfs-server", "mount.nfs: Connection refused"],
    ["2049 dropped by a firewall", "/srv/nfs/share", "iptables -A INPUT -p tcp --dport 2049 -j DROP", "mount.nfs: Connection timed out"],
  ])("keep the pod ContainerCreating with the kubelet's event for %s", async (_case, path, onServer, output) => {
    const cluster = nfsLab();
    const sh = cluster.shell();
    if (onServer) await sh.run(`ssh nfs-server "${onServer}"`);
    await sh.run(apply(podYaml("p", "node01", `nfs: { server: nfs-server, path: ${path} }`)));
    await sh.run("sleep 30");
    expect(await status(sh, "p")).toBe("Pending/ContainerCreating");
    expect([...new Set(failedMounts(cluster, "p"))]).toEqual([mountFailure(uidOf(cluster, "p"), path, output)]);
    // Retried with back-off: the kubelet tried more than once in 30 s.
    expect((await sh.run("kubectl describe pod p")).stdout).toMatch(/Warning {2}FailedMount {2}\d+s \(x\d+ over 30s\) {2}kubelet {2}MountVolume\.SetUp failed/);
  });

  it("start the pod once the server is fixed", async () => {
    const cluster = nfsLab();
    const sh = cluster.shell();
    await sh.run("ssh nfs-server systemctl stop nfs-server");
    await sh.run(apply(podYaml("p", "node02", SHARE)));
    await sh.run("sleep 20");
    expect(await status(sh, "p")).toBe("Pending/ContainerCreating");
    await sh.run("ssh nfs-server systemctl start nfs-server");
    await sh.run("sleep 150");
    expect(await status(sh, "p")).toBe("Running/");
  });

  it("mount read-only when the volume says readOnly", async () => {
    const sh = nfsLab().shell();
    await sh.run(apply(podYaml("p", "node01", "nfs: { server: nfs-server, path: /srv/nfs/share, readOnly: true }")));
    await sh.run("sleep 20");
    expect(await sh.run("kubectl exec p -- touch /data/x")).toMatchObject({ stderr: expect.stringContaining("Read-only file system"), exitCode: 1 });
    expect((await sh.run("ssh node01 mount -t nfs4")).stdout).toMatch(/type nfs4 \(ro,relatime,/);
  });
});
