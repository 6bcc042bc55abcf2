import { describe, expect, it } from "vitest";
import { lab } from "./helpers";

/** The lesson's pod: nginx and a busybox shell in one sandbox. */
async function withWeb() {
  const l = lab();
  await l.run(`kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx:1.27
  - name: shell
    image: busybox:1.36
    command: ["sleep", "infinity"]
EOF`);
  l.cluster.internals.advance(60_000);
  const pause = (await l.run("crictl inspectp -o go-template --template '{{.info.pid}}' $(crictl pods --name web -q)")).trim();
  const nginx = (await l.run("crictl inspect -o go-template --template '{{.info.pid}}' $(crictl ps --name nginx -q)")).trim();
  const shell = (await l.run("crictl inspect -o go-template --template '{{.info.pid}}' $(crictl ps --name shell -q)")).trim();
  return { ...l, pause, nginx, shell };
}

describe("lsns, nsenter and /proc/PID/ns", () => {
  it("lists all six kinds of namespaces of a pod's processes as containerd makes them", async () => {
    const { run, pause, nginx, shell } = await withWeb();
    const ns = async (pid: string) =>
      Object.fromEntries((await run(`lsns -n -p ${pid} -o TYPE,NS`)).trim().split("\n").map((l) => l.trim().split(/ +/) as [string, string]));
    const [p, n, s] = [await ns(pause), await ns(nginx), await ns(shell)];
    // The sandbox's net, uts and ipc are shared; each container has its own mnt, pid and cgroup; user and time are the host's.
    for (const t of ["net", "uts", "ipc", "user", "time"]) expect([n[t], s[t]]).toEqual([p[t], p[t]]);
    for (const t of ["mnt", "pid", "cgroup"]) expect(new Set([p[t], n[t], s[t]]).size).toBe(3);
    expect(p.user).toBe("4026531837");
    expect(Number(p.net)).toBeGreaterThan(4026532000);
    expect(await run(`ls -l /proc/${nginx}/ns/net /proc/${shell}/ns/uts | sed 's/.*-> //'`)).toBe(`net:[${p.net}]\nuts:[${p.uts}]\n`);
    expect(await run(`ls -1 /proc/${pause}/ns`)).toBe("cgroup\nipc\nmnt\nnet\npid\npid_for_children\ntime\ntime_for_children\nuser\nuts\n");
    // Two processes share a namespace when readlink names the same inode.
    expect(await run(`readlink /proc/${pause}/ns/net /proc/${nginx}/ns/net /proc/${nginx}/ns/mnt`)).toBe(`net:[${p.net}]\nnet:[${p.net}]\nmnt:[${n.mnt}]\n`);
    expect(await run(`lsns -t uts -p ${shell}`)).toMatch(new RegExp(`^ +NS TYPE NPROCS +PID USER +COMMAND\\n${p.uts} uts +\\d+ +${pause} 65535 +/pause\\n$`));
    expect(await run(`lsns -t net -n -p ${nginx} | awk '{print $1}'`)).toBe(`${p.net}\n`);
    expect(await run("lsns -t bogus")).toBe("lsns: unknown namespace type: bogus\n");
  });

  it("shows NETNSID and NSFS for network namespaces from the kernel's ids", async () => {
    const { run, pause } = await withWeb();
    // -u: a terminal would cut the NSFS column at its width.
    const line = (await run(`lsns -u -t net -n -p ${pause}`)).trim();
    const [, , , , , id, nsfs] = line.split(/ +/);
    expect(await run("ip netns list")).toContain(`${nsfs.replace("/run/netns/", "")} (id: ${id})\n`);
    expect(await run("lsns -t net -n -p 1")).toMatch(/^4026531840 net +\d+ +1 root +unassigned +\/sbin\/init\n$/);
  });

  it("enters a pod's namespaces with nsenter: its interfaces with -n, its hostname with -u, a pinned file with --net=", async () => {
    const { run, sh, pause, nginx } = await withWeb();
    const inside = await run(`nsenter -t ${pause} -n ip -br -4 a`);
    expect(inside).toMatch(/^lo +UNKNOWN +127\.0\.0\.1\/8 \neth0@if\d+ +UP +10\.244\.0\.\d+\/24 \n$/);
    expect(await run(`nsenter -t ${nginx} -n ip -br -4 a`)).toBe(inside);
    expect(await run(`nsenter -t ${pause} -n -u hostname`)).toBe("web\n");
    const name = (await run(`ip netns identify ${pause}`)).trim();
    expect(await run(`nsenter --net=/run/netns/${name} ip -br -4 a`)).toBe(inside);
    expect(await run(`nsenter --net=/var/run/netns/${name} hostname -I`)).toBe(`${inside.match(/10\.244\.0\.\d+/)![0]} \n`);
    expect(await sh.run("nsenter --net=/run/netns/none ip a")).toMatchObject({ stderr: "nsenter: cannot open /run/netns/none: No such file or directory\n", exitCode: 1 });
    expect(await sh.run(`nsenter -t ${pause} -U -C -T -i -p true`)).toMatchObject({ exitCode: 0 });
    await sh.run(`nsenter -t ${pause} -n`);
    expect(await run("ip -br -4 a")).toBe(inside);
    expect(await sh.run("exit")).toMatchObject({ stderr: "exit\n" });
  });

  it("pids and identify go through /proc/PID/ns/net", async () => {
    const { run, pause, nginx, shell } = await withWeb();
    const name = (await run(`ip netns identify ${nginx}`)).trim();
    const pids = (await run(`ip netns pids ${name}`)).trim().split("\n");
    expect(pids).toEqual(expect.arrayContaining([pause, nginx, shell]));
    expect(await run("ip netns identify 1")).toBe("");
  });
});
