// The NFS server beside the cluster and the tools around it: the export table and exportfs,
// showmount over the network, mounts by hand that share one tree, read-only exports, df.
import { describe, expect, it } from "vitest";
import { forkCluster } from "@/lib/engine";
import { nfsServer } from "@/lib/engine/storage";
import { nfsLab } from "./nfs-lab";

const MOUNT_OPTIONS = "rw,relatime,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys";

describe("nfs-server", () => {
  it("is a machine on the node network one logs in to, exporting /srv/nfs/share and /srv/nfs/kubernetes", async () => {
    const sh = nfsLab().shell();
    expect((await sh.run("ssh nfs-server hostname")).stdout).toBe("nfs-server\n");
    expect((await sh.run("ssh nfs-server exportfs -v")).stdout).toBe(
      "/srv/nfs/share\t172.30.1.0/24(sync,wdelay,hide,no_subtree_check,sec=sys,rw,secure,no_root_squash,no_all_squash)\n" +
      "/srv/nfs/kubernetes\n\t\t172.30.1.0/24(sync,wdelay,hide,no_subtree_check,sec=sys,rw,secure,no_root_squash,no_all_squash)\n",
    );
    expect((await sh.run("showmount -e nfs-server")).stdout).toBe("Export list for nfs-server:\n/srv/nfs/share      172.30.1.0/24\n/srv/nfs/kubernetes 172.30.1.0/24\n");
    expect((await sh.run("grep nfs-server /etc/hosts")).stdout).toBe("172.30.1.50 nfs-server\n");
  });

  it("answers from its export table: an edit to /etc/exports counts only after exportfs -ra", async () => {
    const sh = nfsLab().shell();
    await sh.run("ssh nfs-server");
    await sh.run("echo '/srv/nfs/share 172.30.1.3(ro)' > /etc/exports");
    expect((await sh.run("showmount -e localhost")).stdout).toContain("/srv/nfs/share      172.30.1.0/24\n");
    expect(await sh.run("exportfs -rav")).toMatchObject({ stdout: "exporting 172.30.1.3:/srv/nfs/share\n", exitCode: 0 });
    expect((await sh.run("showmount -e localhost")).stdout).toBe("Export list for localhost:\n/srv/nfs/share 172.30.1.3\n");
    await sh.run("exit");
    // The control plane (172.30.1.2) is no longer a client of the export.
    expect(await sh.run("mount -t nfs nfs-server:/srv/nfs/share /mnt")).toMatchObject({ stderr: "mount.nfs: access denied by server while mounting nfs-server:/srv/nfs/share\n", exitCode: 32 });
  });

  it("reports a bad /etc/exports line and exports the rest", async () => {
    const sh = nfsLab().shell();
    await sh.run("ssh nfs-server");
    await sh.run("printf '/srv/nfs/share *(rw,nosuchoption)\\n/srv/nfs/kubernetes *(rw)\\n' > /etc/exports");
    expect(await sh.run("exportfs -ra")).toMatchObject({ stderr: 'exportfs: /etc/exports:1: unknown keyword "nosuchoption"\n', exitCode: 1 });
    expect((await sh.run("exportfs")).stdout).toBe("/srv/nfs/kubernetes\n\t\t<world>\n");
  });

  it("stops serving when nfs-server.service stops, and re-exports when it starts", async () => {
    const sh = nfsLab().shell();
    await sh.run("ssh nfs-server systemctl stop nfs-server");
    expect((await sh.run("ssh nfs-server systemctl is-active nfs-server")).stdout).toBe("inactive\n");
    expect(await sh.run("mount -t nfs nfs-server:/srv/nfs/share /mnt")).toMatchObject({ stderr: "mount.nfs: Connection refused\n", exitCode: 32 });
    expect((await sh.run("showmount -e nfs-server")).stderr).toBe("clnt_create: RPC: Program not registered\n");
    await sh.run("ssh nfs-server systemctl start nfs-server");
    expect(await sh.run("mount -t nfs nfs-server:/srv/nfs/share /mnt")).toMatchObject({ exitCode: 0 });
  });
});

describe("mounting by hand", () => {
  it("shares one tree between nodes: a file written through one mount is read through another", async () => {
    const cluster = nfsLab();
    const sh = cluster.shell();
    expect(await sh.run("mount -t nfs nfs-server:/srv/nfs/share /mnt")).toMatchObject({ stdout: "", stderr: "", exitCode: 0 });
    expect((await sh.run("mount | grep nfs")).stdout).toBe(`nfs-server:/srv/nfs/share on /mnt type nfs4 (${MOUNT_OPTIONS},clientaddr=172.30.1.2,local_lock=none,addr=172.30.1.50)\n`);
    await sh.run("echo shared > /mnt/note.txt");
    expect((await sh.run("ssh node02 'mount -t nfs nfs-server:/srv/nfs/share /mnt && cat /mnt/note.txt'")).stdout).toBe("shared\n");
    expect(nfsServer(cluster.internals.network)!.fs!.readFile("/srv/nfs/share/note.txt")).toBe("shared\n");
    // Unmounted, the directory is the node's own again; the file stays on the server.
    expect(await sh.run("umount /mnt")).toMatchObject({ exitCode: 0 });
    expect(await sh.run("ls /mnt")).toMatchObject({ stdout: "", exitCode: 0 });
    expect(await sh.run("umount /mnt")).toMatchObject({ stderr: "umount: /mnt: not mounted.\n", exitCode: 32 });
    expect((await sh.run("ssh nfs-server cat /srv/nfs/share/note.txt")).stdout).toBe("shared\n");
  });

  it("forks with its mounts: the fork's writes reach the fork's server, not the original's", async () => {
    const cluster = nfsLab();
    const sh = cluster.shell();
    await sh.run("mount -t nfs nfs-server:/srv/nfs/share /mnt && echo one > /mnt/f");
    const fork = forkCluster(cluster, sh)!;
    await fork.shell.run("echo two > /mnt/f");
    expect((await fork.shell.run("ssh nfs-server cat /srv/nfs/share/f")).stdout).toBe("two\n");
    expect((await sh.run("cat /mnt/f")).stdout).toBe("one\n");
  });

  it("mounts read-only when the export says ro", async () => {
    const sh = nfsLab().shell();
    await sh.run("ssh nfs-server \"echo '/srv/nfs/share 172.30.1.0/24(ro,sync)' > /etc/exports; exportfs -ra\"");
    await sh.run("mount -t nfs nfs-server:/srv/nfs/share /mnt");
    expect((await sh.run("touch /mnt/x")).stderr).toBe("touch: cannot touch '/mnt/x': Read-only file system\n");
  });

  it("fails as mount.nfs does for a path not exported, a name that does not resolve, a missing mount point", async () => {
    const sh = nfsLab().shell();
    expect((await sh.run("mount -t nfs nfs-server:/srv/other /mnt")).stderr).toBe("mount.nfs: mounting nfs-server:/srv/other failed, reason given by server: No such file or directory\n");
    expect((await sh.run("mount -t nfs nfs-srv:/srv/nfs/share /mnt")).stderr).toBe("mount.nfs: Failed to resolve server nfs-srv: Name or service not known\n");
    expect((await sh.run("mount -t nfs nfs-server:/srv/nfs/share /nowhere")).stderr).toBe("mount: /nowhere: mount point does not exist.\n");
  });

  it("times out when a firewall drops 2049 on the way", async () => {
    const sh = nfsLab().shell();
    await sh.run("ssh nfs-server iptables -A INPUT -p tcp --dport 2049 -j DROP");
    expect(await sh.run("mount -t nfs nfs-server:/srv/nfs/share /mnt")).toMatchObject({ stderr: "mount.nfs: Connection timed out\n", exitCode: 32 });
    expect((await sh.run("showmount -e nfs-server")).exitCode).toBe(0);
  });
});

describe("df", () => {
  it("shows the export's size, with -h and -T, and only the file system a path is on", async () => {
    const sh = nfsLab().shell();
    await sh.run("mount -t nfs nfs-server:/srv/nfs/share /mnt");
    expect((await sh.run("df -hT /mnt")).stdout).toBe(
      "Filesystem                Type  Size  Used Avail Use% Mounted on\n" +
      "nfs-server:/srv/nfs/share nfs4   20G   25M   19G   1% /mnt\n",
    );
    expect((await sh.run("df -h")).stdout.split("\n")[0]).toBe("Filesystem                 Size  Used Avail Use% Mounted on");
    // Used grows with what is written to the export, on every client.
    const used = async () => Number((await sh.run("df /mnt")).stdout.split("\n")[1].split(/\s+/)[2]);
    const before = await used();
    await sh.run("seq 1 200000 > /mnt/big");
    // 1,288,895 bytes: 315 blocks of 4 KiB.
    expect((await used()) - before).toBe(1260);
    expect((await sh.run("ssh nfs-server df -h /srv/nfs")).stdout).toBe("Filesystem      Size  Used Avail Use% Mounted on\n/dev/sdb1        20G   26M   19G   1% /srv/nfs\n");
  });
});
