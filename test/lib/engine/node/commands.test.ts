import { describe, expect, it } from "vitest";
import { nodeCluster, run } from "./helpers";

function withWeb(scenario: Parameters<typeof nodeCluster>[0] = "three-node-flannel") {
  const c = nodeCluster(scenario);
  c.pod("web", "node01", { containers: [{ name: "web", image: "nginx:1.27" }, { name: "sidecar", image: "busybox:1.36", command: ["sleep", "3600"] }] });
  c.pod("once", "node01", { restartPolicy: "Never", containers: [{ name: "hi", image: "busybox:1.36", command: ["sh", "-c", "echo hi; echo oops >&2"] }] });
  c.cluster.advance(120_000);
  const agent = c.agents.node("node01")!;
  const sandbox = [...agent.runtime.sandboxes.values()].find((s) => s.name === "web")!;
  const nginx = [...agent.runtime.containers.values()].find((x) => x.name === "web")!;
  return { ...c, agent, sandbox, nginx, sh: c.shell("node01") };
}

describe("crictl", () => {
  const c = withWeb();
  const { sh, sandbox, nginx, get } = c;

  it("lists running containers newest first in crictl's columns", async () => {
    const out = await run(sh, "crictl ps");
    const lines = out.split("\n");
    // "About a minute ago" is wider than crictl's minimum column width of 20, so CREATED widens.
    expect(lines[0]).toBe("CONTAINER           IMAGE               CREATED              STATE               NAME                ATTEMPT             POD ID              POD                 NAMESPACE");
    expect(lines[1]).toMatch(/^[0-9a-f]{13} {7}[0-9a-f]{13} {7}About a minute ago {3}Running {13}sidecar {13}0 {19}[0-9a-f]{13} {7}web {17}default$/);
    expect(lines[2].slice(0, 13)).toBe(nginx.id.slice(0, 13));
    expect(lines).toHaveLength(4);
    expect(await run(sh, "crictl ps -a --name hi")).toMatch(/Exited {14}hi {18}0 {19}[0-9a-f]{13} {7}once {16}default\n$/);
    expect((await run(sh, "crictl ps -q")).split("\n")[1]).toBe(nginx.id);
    expect(await run(sh, `crictl ps --pod ${sandbox.id.slice(0, 5)} -q | wc -l`)).toBe("2\n");
  });

  it("lists pod sandboxes and images", async () => {
    expect(await run(sh, "crictl pods --name web")).toBe(
      `POD ID              CREATED              STATE               NAME                NAMESPACE           ATTEMPT             RUNTIME\n${sandbox.id.slice(0, 13)}       About a minute ago   Ready               web                 default             0                   (default)\n`,
    );
    expect(await run(sh, "crictl pods --state notready -q | wc -l")).toBe("1\n");
    const images = await run(sh, "crictl images");
    expect(images.split("\n")[0]).toBe("IMAGE                        TAG                 IMAGE ID            SIZE");
    expect(images).toMatch(/\ndocker\.io\/library\/nginx {6}1\.27 {16}[0-9a-f]{13} {7}73MB\n/);
    expect(images).toMatch(/\nregistry\.k8s\.io\/pause {8}3\.10 {16}[0-9a-f]{13} {7}320kB\n/);
  });

  it("inspects sandboxes and containers", async () => {
    expect(await run(sh, `crictl inspectp -o go-template --template '{{.status.network.ip}} {{.info.pid}}' ${sandbox.id.slice(0, 13)}`)).toBe(`${get("web").status!.podIP} ${sandbox.pausePid}\n`);
    const json = JSON.parse(await run(sh, `crictl inspectp ${sandbox.id}`));
    expect(json.info.runtimeSpec.linux.namespaces.at(-1)).toEqual({ type: "network", path: `/var/run/netns/${sandbox.netns.name}` });
    expect(sandbox.netns.name).toMatch(/^cni-[0-9a-f-]{36}$/);
    const c = JSON.parse(await run(sh, `crictl inspect ${nginx.id.slice(0, 8)}`));
    expect(c.status).toMatchObject({ id: nginx.id, state: "CONTAINER_RUNNING", metadata: { name: "web", attempt: 0 }, image: { image: "docker.io/library/nginx:1.27" } });
    expect(c.info.pid).toBe(nginx.pids[0]);
    expect(c.info.sandboxID).toBe(sandbox.id);
  });

  it("prints logs to the streams they were written to", async () => {
    const id = (await run(sh, "crictl ps -a --name hi -q")).trim();
    const r = await sh.run(`crictl logs ${id}`);
    expect([r.stdout, r.stderr]).toEqual(["hi\n", "oops\n"]);
    expect(await run(sh, `crictl logs --tail 1 ${nginx.id}`)).toBe("2026/01/12 08:52:03 [notice] 1#1: start worker process 30\n");
  });

  it("execs in a container by ID: its output and status, the runtime's errors, and -it moves the terminal in", async () => {
    const id = nginx.id.slice(0, 13);
    expect(await run(sh, `crictl exec ${id} cat /etc/hostname`)).toBe("web\n");
    expect((await sh.run(`crictl exec -i ${id} sh -c 'exit 3'`)).exitCode).toBe(3);
    const missing = await sh.run(`crictl exec ${id} nosuch`);
    expect(missing).toMatchObject({ exitCode: 1 });
    expect(missing.stderr).toMatch(/^FATA\[0000\] execing command in container: rpc error: code = Unknown desc = failed to exec in container: .*exec: "nosuch": executable file not found in \$PATH: unknown\n$/);
    const exited = (await run(sh, "crictl ps -a --name hi -q")).trim();
    expect((await sh.run(`crictl exec ${exited} ls`)).stderr).toBe("FATA[0000] execing command in container: rpc error: code = FailedPrecondition desc = container is in CONTAINER_EXITED state\n");
    const inside = c.shell("node01");
    await inside.run(`crictl exec -it ${id} sh`);
    expect(await run(inside, "hostname")).toBe("web\n");
    await inside.run("exit");
    expect(await run(inside, "hostname")).toBe("node01\n");
  });

  it.each([
    ["crictl exec deadbeef ls", 'FATA[0000] execing command in container: rpc error: code = NotFound desc = an error occurred when try to find container "deadbeef": not found\n', 1],
    ["crictl version", "Version:  0.1.0\nRuntimeName:  containerd\nRuntimeVersion:  1.7.24\nRuntimeApiVersion:  v1\n", 0],
    ["crictl inspect deadbeef", /FATA\[0000\] getting the status of the container "deadbeef": rpc error: code = NotFound desc = an error occurred when try to find container "deadbeef": not found\n$/, 1],
    ["crictl ps --bogus", "FATA[0000] flag provided but not defined: --bogus\n", 1],
    ["crictl frobnicate", "No help topic for 'frobnicate'\n", 3],
  ])("%s", async (line, expected, code) => {
    const r = await sh.run(line);
    expect(r.exitCode).toBe(code);
    if (typeof expected === "string") expect(r.output).toBe(expected);
    else expect(r.output).toMatch(expected);
  });

  it("fails as crictl does when containerd is down", async () => {
    const c = withWeb();
    await run(c.sh, "systemctl stop containerd");
    const r = await c.sh.run("crictl ps");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('FATA[0000] validate service connection: validate CRI v1 runtime API for endpoint "unix:///run/containerd/containerd.sock": rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: no such file or directory"\n');
  });
});

describe("docker", () => {
  it("does not exist on containerd nodes", async () => {
    const { sh } = withWeb();
    expect(await sh.run("docker ps")).toMatchObject({ stderr: "bash: docker: command not found\n", exitCode: 127 });
  });

  it("lists the pause and app containers on Docker nodes", async () => {
    const { sh, get } = withWeb({ base: "three-node-flannel", runtime: "docker" });
    const out = await run(sh, "docker ps");
    const uid = get("web").metadata.uid;
    expect(out.split("\n")[0]).toMatch(/^CONTAINER ID   IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES$/);
    expect(out).toContain(`"/pause"`);
    expect(out).toContain(`k8s_POD_web_default_${uid}_0`);
    expect(out).toMatch(/"\/docker-entrypoint\.…" +About a minute ago +Up About a minute +k8s_web_web_default_/);
    expect(await run(sh, "docker ps -a | grep -c Exited")).toBe("2\n");
  });
});

describe("systemctl and journalctl", () => {
  const shared = withWeb();
  it("shows, stops and starts the kubelet", async () => {
    const { sh, agent } = withWeb();
    const status = await run(sh, "systemctl status kubelet");
    expect(status.split("\n").slice(0, 11).join("\n")).toBe(`● kubelet.service - kubelet: The Kubernetes Node Agent
     Loaded: loaded (/lib/systemd/system/kubelet.service; enabled; vendor preset: enabled)
    Drop-In: /usr/lib/systemd/system/kubelet.service.d
             └─10-kubeadm.conf
     Active: active (running) since Mon 2026-01-12 08:42:37 UTC; 11min ago
       Docs: https://kubernetes.io/docs/
   Main PID: ${agent.pids.get("kubelet")} (kubelet)
      Tasks: 13 (limit: 4612)
     Memory: 95.7M
        CPU: 9.554s
     CGroup: /system.slice/kubelet.service`);
    expect(await sh.run("systemctl stop kubelet; systemctl is-active kubelet")).toMatchObject({ stdout: "inactive\n", exitCode: 3 });
    const stopped = await sh.run("systemctl status kubelet");
    expect(stopped.exitCode).toBe(3);
    expect(stopped.stdout).toContain("○ kubelet.service - kubelet: The Kubernetes Node Agent\n");
    expect(stopped.stdout).toContain("     Active: inactive (dead) since Mon 2026-01-12 08:54:00 UTC; 0s ago\n");
    expect(stopped.stdout).toMatch(/Jan 12 08:54:00 node01 systemd\[1\]: Stopped kubelet: The Kubernetes Node Agent\.\n$/);
    expect(await sh.run("systemctl start kubelet && systemctl is-active kubelet")).toMatchObject({ stdout: "active\n", exitCode: 0 });
  });

  it.each([
    ["systemctl status nginx", "", "Unit nginx.service could not be found.\n", 4],
    ["systemctl restart nginx", "", "Failed to restart nginx.service: Unit nginx.service not found.\n", 5],
    ["systemctl frob kubelet", "", "Unknown command verb frob.\n", 1],
    ["systemctl is-enabled kubelet", "enabled\n", "", 0],
    ["journalctl -u nginx", "-- No entries --\n", "", 0],
  ])("%s", async (line, stdout, stderr, exitCode) => {
    expect(await shared.sh.run(line)).toMatchObject({ stdout, stderr, exitCode });
  });

  it("shows what the kubelet logged", async () => {
    const { sh, get } = withWeb();
    const out = await run(sh, "journalctl -u kubelet --no-pager");
    expect(out.split("\n")[0]).toBe("Jan 12 08:42:37 node01 systemd[1]: Started kubelet: The Kubernetes Node Agent.");
    expect(out).toContain(`I0112 08:52:00.000000     739 kubelet.go:2474] "SyncLoop ADD" source="api" pods=["default/web"]\n`);
    expect(out).toMatch(/"Observed pod startup duration" pod="default\/web" podStartSLOduration=0\.5 podStartE2EDuration="4\.381s"/);
    expect(await run(sh, "journalctl -u kubelet -n 1")).toMatch(/^Jan 12 08:52:\d\d node01 kubelet\[739\]: I0112 .*\n$/);
    void get;
  });
});

describe("processes and namespaces", () => {
  it("ps aux shows the shims, pause and container processes", async () => {
    const { sh, sandbox } = withWeb();
    const out = await run(sh, "ps aux");
    expect(out.split("\n")[0]).toBe("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND");
    expect(out).toContain(`root         ${sandbox.shimPid}  0.0  0.3 1238000 12800 ?       Sl   08:52   0:00 /usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id ${sandbox.id} -address /run/containerd/containerd.sock\n`);
    expect(out).toContain(`65535        ${sandbox.pausePid}  0.0  0.0   1020   512 ?        Ss   08:52   0:00 /pause\n`);
    expect(out).toMatch(/\nsystemd\+ +\d+ +0\.0 +0\.1 +11860 +2900 \? +S +08:52 +0:00 nginx: worker process\n/);
    expect(out).toMatch(/\nroot +\d+ .*pts\/0 +R\+ +08:54 +0:00 ps aux\n$/);
    const ef = await run(sh, "ps -ef | head -2");
    expect(ef).toBe("UID          PID    PPID  C STIME TTY          TIME CMD\nroot           1       0  0 08:42 ?        00:00:00 /sbin/init\n");
    expect(await run(sh, "ps")).toMatch(/^ {4}PID TTY {10}TIME CMD\n +\d+ pts\/0 +00:00:00 bash\n +\d+ pts\/0 +00:00:00 ps\n$/);
  });

  it("lsns -t net lists one namespace per sandbox plus the host's", async () => {
    const { sh, sandbox } = withWeb();
    const lines = (await run(sh, "lsns -t net")).split("\n");
    expect(lines[0]).toMatch(/^ +NS TYPE NPROCS +PID USER +NETNSID NSFS +COMMAND$/);
    expect(lines[1]).toMatch(/^4026531840 net +\d+ +1 root +unassigned +\/sbin\/init$/);
    expect(lines[2]).toMatch(new RegExp(`^${sandbox.netns.inode} net +5 +${sandbox.pausePid} 65535 +0 /run/netns/${sandbox.netns.name} /pause$`));
    expect(lines).toHaveLength(4);
    // Without -t every type is listed, the host's initial namespaces first.
    const everything = (await run(sh, "lsns")).split("\n");
    expect(everything[0]).toMatch(/^ +NS TYPE +NPROCS +PID USER +COMMAND$/);
    expect(everything.slice(1, 9).map((l) => l.split(/ +/).slice(0, 2).join(" "))).toEqual(["4026531834 time", "4026531835 cgroup", "4026531836 pid", "4026531837 user", "4026531838 uts", "4026531839 ipc", "4026531840 net", "4026531841 mnt"]);
  });

  it("nsenter runs node programs in a pod's namespaces", async () => {
    const { sh, sandbox, nginx, get } = withWeb();
    const ip = get("web").status!.podIP;
    expect(await run(sh, `nsenter -t ${sandbox.pausePid} -n hostname -I`)).toBe(`${ip} \n`);
    expect(await run(sh, `nsenter -t ${sandbox.pausePid} -n hostname`)).toBe("node01\n");
    expect(await run(sh, `nsenter -t ${sandbox.pausePid} -n -u hostname`)).toBe("web\n");
    expect(await run(sh, `nsenter -t ${nginx.pids[0]} -a cat /etc/hostname /etc/nginx/conf.d/default.conf | head -2`)).toBe("web\nserver {\n");
    expect(await sh.run("nsenter -t 99999 -n hostname")).toMatchObject({ stderr: "nsenter: cannot open /proc/99999/ns/net: No such file or directory\n", exitCode: 1 });
    expect(await sh.run("nsenter -n hostname")).toMatchObject({ stderr: "nsenter: neither filename nor target pid supplied for ns/net\n", exitCode: 1 });
    expect(await sh.run(`nsenter -t ${sandbox.pausePid} -n ip a`)).toMatchObject({ stderr: "nsenter: failed to execute ip: No such file or directory\n", exitCode: 127 });
    await sh.run(`nsenter -t ${sandbox.pausePid} -n`);
    expect(await run(sh, "hostname -I")).toBe(`${ip} \n`);
    expect(await sh.run("exit")).toMatchObject({ stderr: "exit\n" });
  });
});

describe("the machine", () => {
  const machine = withWeb();
  it.each([
    ["uname -a", "Linux node01 5.15.0-1071-kvm #77-Ubuntu SMP Fri Nov 8 14:49:26 UTC 2024 x86_64 x86_64 x86_64 GNU/Linux\n"],
    ["uname -r", "5.15.0-1071-kvm\n"],
    ["uname -sn", "Linux node01\n"],
    ["uptime", " 08:54:00 up 11 min,  1 user,  load average: 0.03, 0.02, 0.02\n"],
    ["uptime -p", "up 11 minutes\n"],
    ["free -h | head -2", "               total        used        free      shared  buff/cache   available\nMem:           3.8Gi       505Mi       2.1Gi       3.0Mi       1.3Gi       3.1Gi\n"],
    ["free -m | tail -1", "Swap:              0           0           0\n"],
  ])("%s", async (line, expected) => {
    expect(await run(machine.sh, line)).toBe(expected);
  });

  it("poweroff drops the ssh session and stops everything on the node", async () => {
    const { agents, shell } = withWeb();
    const sh = shell("controlplane");
    await run(sh, "ssh node01");
    await sh.run("poweroff");
    expect(sh.prompt()).toBe("controlplane:~$ ");
    expect(agents.node("node01")!.host.powered).toBe(false);
    expect(agents.node("node01")!.runtime.containers.size).toBe(0);
    expect(await sh.run("ssh node01")).toMatchObject({ stderr: "ssh: connect to host 172.30.1.3 port 22: No route to host\r\n", exitCode: 255 });
  });

  // The ssh client reports a dropped connection; bash's `logout` only comes from leaving the shell.
  it.each([
    ["poweroff", "ssh node01", "poweroff", "Connection to node01 closed by remote host.\nConnection to node01 closed.\n", 255],
    ["reboot", "ssh node01", "reboot", "Connection to node01 closed by remote host.\nConnection to node01 closed.\n", 255],
    ["shutdown now", "ssh node01", "shutdown now", "Connection to node01 closed by remote host.\nConnection to node01 closed.\n", 255],
    ["exit typed by the learner", "ssh node01", "exit", "logout\nConnection to node01 closed.\n", 0],
    ["poweroff as a remote command (no pty)", "true", "ssh node01 poweroff", "Connection to node01 closed by remote host.\n", 255],
  ])("%s", async (_name, before, line, output, exitCode) => {
    const { shell } = withWeb();
    const sh = shell("controlplane");
    await run(sh, before);
    expect(await sh.run(line)).toMatchObject({ output, exitCode });
    expect(sh.prompt()).toBe("controlplane:~$ ");
  });

  it("reboot comes back after 30 s and recreates the sandboxes", async () => {
    const { cluster, agents, shell, get, events } = withWeb();
    const sh = shell("controlplane");
    const before = get("web").status!.containerStatuses![0].containerID;
    await run(sh, "ssh node01", "reboot");
    cluster.advance(29_000);
    expect(agents.node("node01")!.host.powered).toBe(false);
    cluster.advance(5_000);
    expect(agents.node("node01")!.host.powered).toBe(true);
    const s = get("web").status!.containerStatuses![0];
    expect(s.restartCount).toBe(1);
    expect(s.containerID).not.toBe(before);
    expect(s.lastState!.terminated).toMatchObject({ exitCode: 255, reason: "Unknown" });
    expect(events("web")).toContain("08:54:30 Normal SandboxChanged Pod sandbox changed, it will be killed and re-created.");
    expect(await run(shell("node01"), "uptime")).toMatch(/^ 08:54:34 up 0 min,/);
  });

  it("shutdown schedules on the virtual clock", async () => {
    const { cluster, agents, sh } = withWeb();
    expect(await sh.run("shutdown -h +1")).toMatchObject({ stderr: "Shutdown scheduled for Mon 2026-01-12 08:55:00 UTC, use 'shutdown -c' to cancel.\n", exitCode: 0 });
    await run(sh, "shutdown -c");
    cluster.advance(120_000);
    expect(agents.node("node01")!.host.powered).toBe(true);
    await run(sh, "shutdown -r +2");
    cluster.advance(120_000);
    expect(agents.node("node01")!.host.powered).toBe(false);
  });
});

describe("kubeadm's files", () => {
  const { cluster } = nodeCluster();
  const cp = cluster.nodes.get("controlplane")!.fs;
  const worker = cluster.nodes.get("node01")!.fs;

  it("gives root on the control plane admin.conf as its kubeconfig", () => {
    const admin = cp.readFile("/etc/kubernetes/admin.conf");
    expect(cp.readFile("/root/.kube/config")).toBe(admin);
    expect(admin).toMatch(/^apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: [A-Za-z0-9+/=]+\n    server: https:\/\/172\.30\.1\.2:6443\n  name: kubernetes\ncontexts:\n- context:\n    cluster: kubernetes\n    user: kubernetes-admin\n  name: kubernetes-admin@kubernetes\ncurrent-context: kubernetes-admin@kubernetes\nkind: Config\n/);
    expect(worker.exists("/etc/kubernetes/admin.conf")).toBe(false);
    expect(worker.readFile("/etc/kubernetes/kubelet.conf")).toContain("    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem\n");
  });

  it("configures the kubelet as kubeadm does", () => {
    const config = worker.readFile("/var/lib/kubelet/config.yaml");
    for (const line of ["cgroupDriver: systemd", "clusterDNS:\n- 10.96.0.10", "clusterDomain: cluster.local", "staticPodPath: /etc/kubernetes/manifests", "resolvConf: /run/systemd/resolve/resolv.conf"]) {
      expect(config).toContain(`${line}\n`);
    }
    expect(worker.readFile("/var/lib/kubelet/kubeadm-flags.env")).toBe('KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10"\n');
    expect(worker.readFile("/etc/crictl.yaml")).toContain("runtime-endpoint: unix:///run/containerd/containerd.sock\n");
  });
});
