import { describe, expect, it } from "vitest";
import { nodeCluster, run } from "./helpers";

function webCluster() {
  const c = nodeCluster();
  c.cluster.store.create({ apiVersion: "v1", kind: "Service", metadata: { name: "my-svc", namespace: "default" }, spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80 }] } });
  c.cluster.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "site", namespace: "default" }, data: { "index.html": "<h1>hello</h1>\n", MODE: "prod" } });
  c.pod("web", "node01", {
    containers: [
      { name: "web", image: "nginx:1.27", volumeMounts: [{ name: "shared", mountPath: "/usr/share/nginx/html" }, { name: "site", mountPath: "/etc/site" }], env: [{ name: "MODE", valueFrom: { configMapKeyRef: { name: "site", key: "MODE" } } }] },
      { name: "writer", image: "busybox:1.36", command: ["sh", "-c", "while true; do date >> /data/index.html; sleep 10; done"], volumeMounts: [{ name: "shared", mountPath: "/data" }] },
    ],
    volumes: [{ name: "shared", emptyDir: {} }, { name: "site", configMap: { name: "site" } }],
  });
  c.cluster.advance(30_000);
  return c;
}

describe("logs", () => {
  const { agents, cluster, pod } = webCluster();
  pod("bad", "node02", { containers: [{ name: "c", image: "nginx:nope" }] });
  pod("crash", "node02", { containers: [{ name: "c", image: "postgres:17" }] });
  pod("init", "node02", { initContainers: [{ name: "wait", image: "busybox:1.36", command: ["sleep", "600"] }], containers: [{ name: "c", image: "busybox:1.36" }] });
  pod("job", "node02", { restartPolicy: "Never", containers: [{ name: "c", image: "busybox:1.36", command: ["sh", "-c", "echo one; echo two; echo three"] }] });
  cluster.advance(10_000);

  it("returns a running container's log, its tail and timestamps", () => {
    // The writer sends its output to a file, so its log is empty.
    expect(agents.runtime.logs("default", "web", "writer", {})).toEqual({ ok: true, text: "" });
    const job = agents.runtime.logs("default", "job", "c", { tailLines: 2 });
    expect(job).toEqual({ ok: true, text: "two\nthree\n" });
    const stamped = agents.runtime.logs("default", "job", "c", { tailLines: 1, timestamps: true });
    expect(stamped.ok && stamped.text).toMatch(/^2026-01-12T08:52:\d\d\.\d{9}Z three\n$/);
    // A crash-looping container shows its last run.
    const crash = agents.runtime.logs("default", "crash", "c", {});
    expect(crash.ok && crash.text.split("\n")[0]).toBe("Error: Database is uninitialized and superuser password is not specified.");
    const nginx = agents.runtime.logs("default", "web", "web", {});
    expect(nginx.ok && nginx.text.split("\n")[0]).toBe("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration");
  });

  it.each([
    ["web", "nope", {}, "container nope is not valid for pod web"],
    ["ghost", "c", {}, 'pods "ghost" not found'],
    ["bad", "c", {}, 'container "c" in pod "bad" is waiting to start: trying and failing to pull image'],
    ["init", "c", {}, 'container "c" in pod "init" is waiting to start: PodInitializing'],
    ["web", "web", { previous: true }, 'previous terminated container "web" in pod "web" not found'],
  ])("refuses %s/%s %j as the kubelet does", (podName, container, options, message) => {
    expect(agents.runtime.logs("default", podName, container, options)).toEqual({ ok: false, message });
  });

  it("cannot reach a stopped kubelet or a node that is off", () => {
    agents.node("node01")!.setUnit("kubelet", "inactive");
    expect(agents.runtime.logs("default", "web", "web", {})).toEqual({ ok: false, message: 'Get "https://172.30.1.3:10250/containerLogs/default/web/web": dial tcp 172.30.1.3:10250: connect: connection refused' });
    agents.node("node01")!.powerOff();
    expect(agents.runtime.logs("default", "web", "web", {})).toEqual({ ok: false, message: 'Get "https://172.30.1.3:10250/containerLogs/default/web/web": dial tcp 172.30.1.3:10250: connect: no route to host' });
  });
});

describe("exec", () => {
  it("opens a bash location in nginx's Debian with the kubelet's hosts, resolv.conf and env", async () => {
    const { agents, shell, get } = webCluster();
    const loc = agents.runtime.execLocation("default", "web", "web", ["bash"]);
    expect(loc.ok && loc.argv).toEqual([]);
    if (!loc.ok) return;
    const sh = shell("node01");
    sh.pushLocation(loc.location);
    expect(sh.prompt()).toBe("root@web:/# ");
    const ip = get("web").status!.podIP;
    expect(await run(sh, "cat /etc/hosts")).toBe(`# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${ip}\tweb\n`);
    expect(await run(sh, "cat /etc/resolv.conf")).toBe("search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n");
    expect(await run(sh, "cat /etc/hostname", "hostname")).toBe("web\nweb\n");
    expect(await run(sh, "echo $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT $MY_SVC_SERVICE_PORT_HTTP $MODE $NGINX_VERSION")).toMatch(/^10\.96\.0\.1:443 80 prod 1\.27\.5\n$/);
    expect(await run(sh, "env | grep ^MY_SVC_PORT=")).toMatch(/^MY_SVC_PORT=tcp:\/\/10\.\d+\.\d+\.\d+:80\n$/);
    expect(await run(sh, "cat /etc/site/index.html", "ls /var/run/secrets/kubernetes.io/serviceaccount")).toBe("<h1>hello</h1>\nca.crt\nnamespace\ntoken\n");
    expect(await run(sh, "cat /var/run/secrets/kubernetes.io/serviceaccount/namespace")).toBe("default");
    expect(await run(sh, "ping 10.0.0.1; ps; ip a")).toBe("bash: ping: command not found\nbash: ps: command not found\nbash: ip: command not found\n");
    expect(await run(sh, "exit")).toBe("exit\n");
  });

  it("shares an emptyDir between the pod's containers, and with the node", async () => {
    const { agents, shell, get } = webCluster();
    const loc = agents.runtime.execLocation("default", "web", "web", ["cat", "/usr/share/nginx/html/index.html"]);
    if (!loc.ok) throw new Error(loc.message);
    expect(loc.argv).toEqual(["cat", "/usr/share/nginx/html/index.html"]);
    const sh = shell("node01");
    sh.pushLocation(loc.location);
    expect(await run(sh, "cat /usr/share/nginx/html/index.html")).toBe("Mon Jan 12 08:52:03 UTC 2026\nMon Jan 12 08:52:13 UTC 2026\nMon Jan 12 08:52:23 UTC 2026\n");
    await run(sh, "echo from-nginx > /usr/share/nginx/html/note", "exit");
    const uid = get("web").metadata.uid;
    expect(await run(sh, `cat /var/lib/kubelet/pods/${uid}/volumes/kubernetes.io~empty-dir/shared/note`)).toBe("from-nginx\n");
  });

  it("gives busybox its applets under `/ # `", async () => {
    const { agents, shell } = webCluster();
    const loc = agents.runtime.execLocation("default", "web", "writer", ["sh"]);
    if (!loc.ok) throw new Error(loc.message);
    const sh = shell("node01");
    sh.pushLocation(loc.location);
    expect(sh.prompt()).toBe("/ # ");
    expect(await run(sh, "ls /data; hostname; cat /etc/os-release")).toBe("index.html\nweb\ncat: /etc/os-release: No such file or directory\n");
    expect(await run(sh, "exit")).toBe("");
  });

  it.each([
    ["web", "web", ["ps", "aux"], 'exec: "ps": executable file not found in $PATH: unknown'],
    ["web", "nope", ["sh"], "container nope is not valid for pod web"],
  ])("refuses exec into %s/%s %j", (podName, container, argv, message) => {
    const { agents } = webCluster();
    const r = agents.runtime.execLocation("default", podName, container, argv);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain(message);
  });

  it("refuses exec into a container that is not running", () => {
    const { agents, cluster, pod } = nodeCluster();
    pod("bad", "node01", { containers: [{ name: "c", image: "nginx:nope" }] });
    cluster.advance(3_000);
    expect(agents.runtime.execLocation("default", "bad", "c", ["sh"])).toEqual({ ok: false, message: 'unable to upgrade connection: container not found ("c")' });
  });
});
