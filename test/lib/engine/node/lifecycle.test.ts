import { describe, expect, it } from "vitest";
import { summarizePod, type Pod, type Stored } from "@/lib/engine/api";
import { nodeCluster } from "./helpers";

const status = (pod: Stored<Pod>) => summarizePod(pod).reason;

describe("pod lifecycle", () => {
  it("creates the sandbox, pulls, creates and starts, with upstream's events and timings", () => {
    const { cluster, pod, get, events } = nodeCluster();
    pod("web", "node01", { containers: [{ name: "web", image: "nginx" }] });
    cluster.advance(1_000);
    expect(status(get("web"))).toBe("ContainerCreating");
    expect(get("web").status?.containerStatuses?.[0]).toMatchObject({ image: "nginx", imageID: "", ready: false, started: false, state: { waiting: { reason: "ContainerCreating" } } });
    cluster.advance(5_000);
    expect(events("web")).toEqual([
      "08:52:00 Normal Pulling Pulling image \"nginx\"",
      "08:52:02 Normal Pulled Successfully pulled image \"nginx\" in 2.483s (2.483s including waiting). Image size: 72950530 bytes.",
      "08:52:02 Normal Created Created container web",
      "08:52:02 Normal Started Started container web",
    ]);
    const s = get("web").status!;
    expect(s.phase).toBe("Running");
    expect(s.podIP).toBe("10.244.1.2");
    expect(s.podIPs).toEqual([{ ip: "10.244.1.2" }]);
    expect(s.hostIP).toBe("172.30.1.3");
    expect(s.hostIPs).toEqual([{ ip: "172.30.1.3" }]);
    expect(s.qosClass).toBe("BestEffort");
    expect(s.startTime).toBe("2026-01-12T08:52:00Z");
    expect(s.conditions!.map((c) => `${c.type}=${c.status}@${c.lastTransitionTime}`)).toEqual([
      "PodReadyToStartContainers=True@2026-01-12T08:52:00Z",
      "Initialized=True@2026-01-12T08:52:00Z",
      "Ready=True@2026-01-12T08:52:02Z",
      "ContainersReady=True@2026-01-12T08:52:02Z",
      "PodScheduled=True@2026-01-12T08:52:00Z",
    ]);
    const c = s.containerStatuses![0];
    expect(c).toMatchObject({ name: "web", image: "docker.io/library/nginx:latest", ready: true, started: true, restartCount: 0, lastState: {}, state: { running: { startedAt: "2026-01-12T08:52:02Z" } } });
    expect(c.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(c.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  });

  it("says an image is already present, and counts waiting for a serialized pull", () => {
    const { cluster, pod, events } = nodeCluster();
    pod("a", "node01", { containers: [{ name: "web", image: "nginx:1.27" }] });
    pod("b", "node01", { containers: [{ name: "web", image: "nginx:1.27" }] });
    cluster.advance(10_000);
    pod("c", "node01", { containers: [{ name: "web", image: "nginx:1.27" }] });
    cluster.advance(2_000);
    expect(events("b")[1]).toBe("08:52:03 Normal Pulled Successfully pulled image \"nginx:1.27\" in 415ms (2.955s including waiting). Image size: 72950530 bytes.");
    expect(events("c")[0]).toBe("08:52:10 Normal Pulled Container image \"nginx:1.27\" already present on machine");
  });

  it("runs init containers first, one at a time", () => {
    const { cluster, pod, get } = nodeCluster();
    pod("app", "node02", {
      initContainers: [{ name: "one", image: "busybox:1.36", command: ["sleep", "3"] }, { name: "two", image: "busybox:1.36", command: ["sh", "-c", "echo ok"] }],
      containers: [{ name: "app", image: "busybox:1.36", command: ["sleep", "3600"] }],
    });
    const seen: string[] = [];
    for (let t = 0; t < 6; t++) {
      cluster.advance(1_000);
      seen.push(status(get("app")));
    }
    expect(seen).toEqual(["Init:0/2", "Init:0/2", "Init:0/2", "Init:0/2", "Running", "Running"]);
    expect(get("app").status!.initContainerStatuses!.map((s) => s.state?.terminated?.reason)).toEqual(["Completed", "Completed"]);
  });

  it.each([
    ["Never", "sh -c 'echo hi'", "Completed", "Succeeded", 0],
    ["Never", "sh -c 'exit 3'", "Error", "Failed", 3],
    ["Never", "sh -c foo", "Error", "Failed", 127],
    ["OnFailure", "sh -c 'echo done'", "Completed", "Succeeded", 0],
  ])("restartPolicy %s with %s ends %s", (policy, command, reason, phase, exitCode) => {
    const { cluster, pod, get } = nodeCluster();
    const argv = command === "sh -c foo" ? ["sh", "-c", "foo"] : ["sh", "-c", command.slice(7, -1)];
    pod("job", "node02", { restartPolicy: policy, containers: [{ name: "job", image: "busybox:1.36", command: argv }] });
    cluster.advance(10_000);
    expect(status(get("job"))).toBe(reason);
    expect(get("job").status!.phase).toBe(phase);
    expect(get("job").status!.containerStatuses![0].state!.terminated!.exitCode).toBe(exitCode);
    expect(get("job").status!.conditions!.find((c) => c.type === "Ready")!.reason).toBe(phase === "Succeeded" ? "PodCompleted" : "PodFailed");
  });

  it("gets its address from a hostNetwork node", () => {
    const flannel = nodeCluster();
    flannel.pod("hn", "node02", { hostNetwork: true, containers: [{ name: "c", image: "busybox:1.36", command: ["sleep", "60"] }] });
    flannel.cluster.advance(3_000);
    expect(flannel.get("hn").status!.podIP).toBe("172.30.1.4");
  });

  it("waits with the kubelet's NetworkNotReady while the node has no CNI configuration, then starts", () => {
    const { cluster, pod, get, events } = nodeCluster("three-node-flannel", 7, { podCIDRs: false });
    pod("web", "node01", { containers: [{ name: "web", image: "nginx:1.27" }] });
    cluster.advance(1_000);
    expect(events("web")[0]).toBe(
      "08:52:00 Warning NetworkNotReady network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
    );
    expect(status(get("web"))).toBe("ContainerCreating");
    // The lab's setup writes the bridge conflist once the node has its pod CIDR.
    cluster.store.patch("Node", undefined, "node01", { spec: { podCIDR: "10.244.1.0/24" } });
    cluster.advance(15_000);
    expect(status(get("web"))).toBe("Running");
    expect(get("web").status!.podIP).toBe("10.244.1.2");
  });
});

describe("image pull failures", () => {
  it("goes ErrImagePull then ImagePullBackOff with containerd's message and back-off events", () => {
    const { cluster, pod, get, events } = nodeCluster();
    pod("bad", "node01", { containers: [{ name: "web", image: "nginx:doesnotexist" }] });
    cluster.advance(1_500);
    const err = 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:doesnotexist": failed to resolve reference "docker.io/library/nginx:doesnotexist": docker.io/library/nginx:doesnotexist: not found';
    expect(status(get("bad"))).toBe("ErrImagePull");
    expect(get("bad").status!.containerStatuses![0].state).toEqual({ waiting: { message: err, reason: "ErrImagePull" } });
    cluster.advance(2_000);
    expect(status(get("bad"))).toBe("ImagePullBackOff");
    expect(get("bad").status!.containerStatuses![0].state!.waiting!.message).toBe(`Back-off pulling image "nginx:doesnotexist": ErrImagePull: ${err}`);
    expect(events("bad")).toEqual([
      '08:52:00 Normal Pulling Pulling image "nginx:doesnotexist"',
      `08:52:01 Warning Failed Failed to pull image "nginx:doesnotexist": ${err}`,
      "08:52:01 Warning Failed Error: ErrImagePull",
      '08:52:02 Normal BackOff Back-off pulling image "nginx:doesnotexist"',
      "08:52:02 Warning Failed Error: ImagePullBackOff",
    ]);
    cluster.advance(60_000);
    // Pulls at 0 s, then after back-offs of 10 s and 20 s.
    expect(events("bad")[0]).toBe('08:52:00 Normal Pulling Pulling image "nginx:doesnotexist" (x3)');
  });

  it.each([
    ["doesnotexist/nope", 'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/doesnotexist/nope:latest": failed to resolve reference "docker.io/doesnotexist/nope:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed'],
    ["myregistry.local:5000/app:1", 'rpc error: code = Unknown desc = failed to pull and unpack image "myregistry.local:5000/app:1": failed to resolve reference "myregistry.local:5000/app:1": failed to do request: Head "https://myregistry.local:5000/v2/app/manifests/1": dial tcp: lookup myregistry.local on 127.0.0.53:53: no such host'],
  ])("reports %s as the registry answers", (image, message) => {
    const { cluster, pod, get } = nodeCluster();
    pod("bad", "node01", { containers: [{ name: "c", image }] });
    cluster.advance(1_500);
    expect(get("bad").status!.containerStatuses![0].state!.waiting!.message).toBe(message);
  });

  it("rejects an invalid reference as InvalidImageName", () => {
    const { cluster, pod, get } = nodeCluster();
    pod("bad", "node01", { containers: [{ name: "c", image: "NGINX" }] });
    cluster.advance(1_000);
    expect(get("bad").status!.containerStatuses![0].state!.waiting).toEqual({
      message: 'Failed to apply default image tag "NGINX": couldn\'t parse image name "NGINX": invalid reference format: repository name (library/NGINX) must be lowercase',
      reason: "InvalidImageName",
    });
  });
});

describe("restarts", () => {
  it("backs off 10 s, 20 s, 40 s … up to 5 min, counting restarts", () => {
    const { cluster, pod, get, events } = nodeCluster();
    pod("crash", "node02", { containers: [{ name: "web", image: "busybox:1.36", command: ["sh", "-c", "echo boom; exit 3"] }] });
    const restarts: number[] = [];
    for (let t = 0; t < 16; t++) {
      cluster.advance(10_000);
      restarts.push(get("crash").status!.containerStatuses![0].restartCount);
    }
    // Immediately, then after 10, 20, 40 and 80 s.
    expect(restarts).toEqual([1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5]);
    const s = get("crash").status!.containerStatuses![0];
    expect(status(get("crash"))).toBe("CrashLoopBackOff");
    expect(get("crash").status!.phase).toBe("Running");
    expect(s.state!.waiting!.message).toBe(`back-off 2m40s restarting failed container=web pod=crash_default(${get("crash").metadata.uid})`);
    expect(s.lastState!.terminated).toMatchObject({ exitCode: 3, reason: "Error" });
    expect(events("crash")).toContain(`08:52:01 Warning BackOff Back-off restarting failed container web in pod crash_default(${get("crash").metadata.uid}) (x5)`);
    cluster.advance(3 * 60_000);
    expect(get("crash").status!.containerStatuses![0].state!.waiting!.message).toMatch(/^back-off 5m0s /);
  });

  it("crash-loops the second container binding a port the first holds", () => {
    const { cluster, pod, get, agents } = nodeCluster();
    pod("two", "node01", { containers: [{ name: "a", image: "nginx:1.27" }, { name: "b", image: "nginx:1.27" }] });
    cluster.advance(60_000);
    expect(status(get("two"))).toBe("CrashLoopBackOff");
    expect(summarizePod(get("two")).ready).toBe(1);
    const logs = agents.runtime.logs("default", "two", "b", { previous: true });
    expect(logs.ok && logs.text.split("\n").slice(-3)).toEqual(["2026/01/12 08:52:42 [emerg] 1#1: still could not bind()", "nginx: [emerg] still could not bind()", ""]);
    expect(logs.ok && logs.text).toContain("nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\n");
    expect(get("two").status!.containerStatuses![1].lastState!.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
  });

  it("keeps postgres without POSTGRES_PASSWORD in CrashLoopBackOff with its real error", () => {
    const { cluster, pod, get, agents } = nodeCluster();
    pod("db", "node01", { containers: [{ name: "db", image: "postgres:17" }] });
    cluster.advance(30_000);
    expect(status(get("db"))).toBe("CrashLoopBackOff");
    const logs = agents.runtime.logs("default", "db", "db", {});
    expect(logs.ok && logs.text.split("\n")[0]).toBe("Error: Database is uninitialized and superuser password is not specified.");
  });
});

describe("graceful deletion", () => {
  it.each([
    ["nginx stops on its stop signal", ["nginx:1.27", undefined], 1_000, "Succeeded"],
    ["sleep ignores SIGTERM and waits out the grace period", ["busybox:1.36", ["sleep", "3600"]], 30_000, "Failed"],
  ] as const)("%s", (_name, [image, command], goneAfter, phase) => {
    const { cluster, pod, get, events } = nodeCluster();
    pod("p", "node01", { containers: [{ name: "web", image, command: command ? [...command] : undefined }] });
    cluster.advance(10_000);
    const phases: string[] = [];
    cluster.store.watch((e) => {
      if (e.type === "MODIFIED") phases.push((e.object as Pod).status?.phase ?? "");
    }, { kind: "Pod" });
    cluster.store.delete("Pod", "default", "p");
    expect(status(get("p"))).toBe("Terminating");
    cluster.advance(goneAfter - 1_000);
    expect(get("p")).toBeDefined();
    cluster.advance(1_000);
    expect(get("p")).toBeUndefined();
    expect(phases.at(-1)).toBe(phase);
    expect(events("p").at(-1)).toBe("08:52:10 Normal Killing Stopping container web");
  });
});

describe("determinism", () => {
  it("gives the same IDs, addresses and PIDs for the same seed", () => {
    const snapshot = () => {
      const c = nodeCluster("three-node-flannel", 11);
      c.pod("web", "node01", { containers: [{ name: "web", image: "nginx:1.27" }] });
      c.cluster.advance(10_000);
      const agent = c.agents.node("node01")!;
      return {
        status: c.get("web").status,
        sandboxes: [...agent.runtime.sandboxes.values()].map((s) => [s.id, s.netns.name, s.pausePid]),
        events: c.events("web"),
      };
    };
    expect(snapshot()).toEqual(snapshot());
  });
});

describe("configuration", () => {
  it("waits in CreateContainerConfigError until the ConfigMap exists, and refreshes mounted files", async () => {
    const { cluster, pod, get, events, agents, shell } = nodeCluster();
    pod("app", "node01", {
      containers: [{ name: "app", image: "busybox:1.36", command: ["sleep", "3600"], env: [{ name: "MODE", valueFrom: { configMapKeyRef: { name: "cfg", key: "MODE" } } }], volumeMounts: [{ name: "cfg", mountPath: "/cfg" }] }],
      volumes: [{ name: "cfg", configMap: { name: "cfg", optional: true } }],
    });
    cluster.advance(3_000);
    expect(get("app").status!.containerStatuses![0].state!.waiting).toEqual({ message: 'configmap "cfg" not found', reason: "CreateContainerConfigError" });
    expect(events("app")).toContain('08:52:01 Warning Failed Error: configmap "cfg" not found');
    cluster.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "default" }, data: { MODE: "blue" } });
    cluster.advance(1_000);
    expect(summarizePod(get("app")).reason).toBe("Running");
    cluster.store.patch("ConfigMap", "default", "cfg", { data: { MODE: "green" } });
    cluster.advance(1_000);
    const loc = agents.runtime.execLocation("default", "app", "app", ["sh"]);
    if (!loc.ok) throw new Error(loc.message);
    const sh = shell("node01");
    sh.pushLocation(loc.location);
    // The file follows the ConfigMap; the environment keeps what the container started with.
    expect((await sh.run("cat /cfg/MODE; echo; echo $MODE")).stdout).toBe("green\nblue\n");
  });

  it("writes a projected volume again when its files on the node were changed, and leaves it alone otherwise", async () => {
    const { cluster, pod, get, agents, shell } = nodeCluster();
    cluster.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "default" }, data: { MODE: "blue", SIZE: "2" } });
    pod("app", "node01", {
      containers: [{ name: "app", image: "busybox:1.36", command: ["sleep", "3600"], volumeMounts: [{ name: "cfg", mountPath: "/cfg" }] }],
      volumes: [{ name: "cfg", configMap: { name: "cfg" } }],
    });
    cluster.advance(3_000);
    const dir = `/var/lib/kubelet/pods/${get("app").metadata.uid}/volumes/kubernetes.io~configmap/cfg`;
    const node = shell("node01");
    const link = async () => (await node.run(`ls -l ${dir}/..data`)).stdout.split(" -> ")[1];
    const first = await link();
    const resync = () => agents.node("node01")!.kubelet.resyncAll();
    resync();
    cluster.advance(1_000);
    expect(await link()).toBe(first);
    for (const tamper of [`rm ${dir}/..data/SIZE`, `echo red > ${dir}/..data/MODE`, `touch ${dir}/..data/extra`]) {
      await node.run(tamper);
      const before = await link();
      resync();
      cluster.advance(1_000);
      expect(await link(), tamper).not.toBe(before);
      expect((await node.run(`ls ${dir}/..data/; cat ${dir}/MODE`)).stdout, tamper).toBe("MODE\nSIZE\nblue");
    }
  });
});
