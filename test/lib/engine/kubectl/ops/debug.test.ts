/**
 * `kubectl debug` through the public contract: an ephemeral container patched into a running
 * pod, started by the kubelet in the pod's network namespace (and with --target in the target's
 * PID namespace), attached to with -it; a copy of the pod (--copy-to); a pod on a node with the
 * host's namespaces and its root at /host. Names come from the cluster's client stream, so they
 * are the same for the same seed.
 */
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";

const LEGACY = '--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\n';
const PROMPT_HINT = "If you don't see a command prompt, try pressing enter.\n";
const TARGETING = `Targeting container "web". If you don't see processes from this container it may be because the container runtime doesn't support this feature.\n`;

async function clusterWithWeb() {
  const cluster = createCluster({ scenario: "single-node", seed: 1 });
  const sh = cluster.shell();
  await sh.run("kubectl run web --image=nginx && kubectl wait --for=condition=Ready pod/web");
  return { cluster, sh };
}

describe("kubectl debug: ephemeral containers", () => {
  it("moves the learner into a debugger that sees the pod's network", async () => {
    const { sh } = await clusterWithWeb();
    const started = await sh.run("kubectl debug -it web --image=busybox --target=web");
    const name = /Defaulting debug container name to (debugger-[a-z0-9]{5})\.\n/.exec(started.stdout)?.[1];
    expect(name).toBeDefined();
    expect(started).toMatchObject({ stdout: `${TARGETING}Defaulting debug container name to ${name}.\n`, stderr: `${LEGACY}${PROMPT_HINT}`, exitCode: 0 });
    expect(sh.prompt()).toBe("/ # ");
    const podIP = (await sh.run("hostname -i")).stdout.trim();
    expect((await sh.run("ip addr show eth0")).stdout).toContain(`inet ${podIP}/`);
    expect((await sh.run("wget -qO- localhost")).stdout).toContain("<title>Welcome to nginx!</title>");
    expect((await sh.run("hostname")).stdout).toBe("web\n");
    // --target: the debugger shares nginx's PID namespace, so BusyBox's ps lists nginx as PID 1.
    expect((await sh.run("ps")).stdout).toMatch(/^PID   USER     TIME  COMMAND\n    1 root      0:00 nginx: master process nginx -g daemon off;\n( +\d+ 101 +0:00 nginx: worker process\n)+ +\d+ root +0:00 sh\n +\d+ root +0:00 ps\n$/);
    expect(await sh.run("exit")).toMatchObject({
      stdout: `Session ended, the ephemeral container will not be restarted but may be reattached using 'kubectl attach web -c ${name} -i -t' if it is still running\n`,
      exitCode: 0,
    });
    expect(sh.prompt()).toBe("controlplane:~$ ");
  });

  it("patches spec.ephemeralContainers; status, describe and -o yaml show it; the pod keeps running", async () => {
    const { sh } = await clusterWithWeb();
    expect(await sh.run("kubectl debug web --image=busybox -c dbg --profile=general -- sleep 1000")).toMatchObject({ stdout: "", stderr: "", exitCode: 0 });
    await sh.run("sleep 5");
    const spec = JSON.parse((await sh.run("kubectl get pod web -o jsonpath='{.spec.ephemeralContainers[0]}'")).stdout);
    expect(spec).toMatchObject({ name: "dbg", image: "busybox", command: ["sleep", "1000"], securityContext: { capabilities: { add: ["SYS_PTRACE"] } }, terminationMessagePolicy: "File" });
    expect((await sh.run("kubectl get pod web -o jsonpath='{.status.ephemeralContainerStatuses[0].state.running.startedAt}'")).stdout).not.toBe("");
    expect((await sh.run("kubectl describe pod web")).stdout).toMatch(/\nEphemeral Containers:\n  dbg:\n    Container ID: +containerd:\/\/[0-9a-f]{64}\n    Image: +busybox\n[\s\S]*?    State: +Running\n/);
    expect((await sh.run("kubectl get pod web --no-headers")).stdout).toMatch(/^web +1\/1 +Running +0 /);
    expect((await sh.run("kubectl exec web -c dbg -- cat /etc/hostname")).stdout).toBe("web\n");
    const again = await sh.run("kubectl debug web --image=busybox -c dbg --profile=general");
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/^The Pod "web" is invalid: [\s\S]*spec\.ephemeralContainers\[1\]\.name: Duplicate value: "dbg"\n$/);
  });

  it("--target joins the target's PID namespace, as the node's lsns shows", async () => {
    const { sh } = await clusterWithWeb();
    await sh.run("kubectl debug web --image=busybox --target=web -q --profile=general -- sleep 1000");
    await sh.run("kubectl debug web --image=busybox -c apart -q --profile=general -- sleep 2000");
    await sh.run("sleep 5");
    const lsns = (await sh.run("lsns -t pid")).stdout;
    expect(lsns).toMatch(/ pid +4 +\d+ root +nginx: master process/);
    expect(lsns).toMatch(/ pid +1 +\d+ root +sleep 2000/);
    expect(lsns).not.toMatch(/sleep 1000/);
    expect((await sh.run("kubectl exec web -c apart -- ps")).stdout).toBe("PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 2000\n    2 root      0:00 ps\n");
  });

  it("draws the same debugger names for the same seed", async () => {
    const names = [];
    for (let i = 0; i < 2; i++) {
      const { sh } = await clusterWithWeb();
      names.push((await sh.run("kubectl debug web --image=busybox --profile=general")).stdout);
    }
    expect(names[0]).toMatch(/^Defaulting debug container name to debugger-[a-z0-9]{5}\.\n$/);
    expect(names[1]).toBe(names[0]);
  });
});

describe("kubectl debug: copies and nodes", () => {
  it("--copy-to creates a copy with the debug container, without labels under the general profile", async () => {
    const { sh } = await clusterWithWeb();
    const started = await sh.run("kubectl debug web -it --copy-to=web-debug --image=busybox --profile=general");
    expect(started.stderr).toBe(PROMPT_HINT);
    expect((await sh.run("hostname")).stdout).toBe("web-debug\n");
    await sh.run("exit");
    const copy = JSON.parse((await sh.run("kubectl get pod web-debug -o json")).stdout);
    expect(copy.metadata.labels).toBeUndefined();
    expect(copy.spec.shareProcessNamespace).toBe(true);
    expect(copy.spec.containers.map((c: { name: string; image: string }) => c.image)).toEqual(["nginx", "busybox"]);
    await sh.run("kubectl debug web --copy-to=web-127 --set-image=*=nginx:1.27 --replace --profile=general");
    expect((await sh.run("kubectl get pod web-127 -o jsonpath='{.spec.containers[*].image}'")).stdout).toBe("nginx:1.27");
    expect((await sh.run("kubectl get pod web")).exitCode).toBe(1);
  });

  it("node/NAME runs a pod in the host's namespaces with the node's root at /host", async () => {
    const { sh } = await clusterWithWeb();
    const started = await sh.run("kubectl debug node/controlplane -it --image=busybox");
    const pod = /Creating debugging pod (node-debugger-controlplane-[a-z0-9]{5}) with container debugger on node controlplane\.\n/.exec(started.stdout)?.[1];
    expect(pod).toBeDefined();
    expect(started.stderr).toBe(`${LEGACY}${PROMPT_HINT}`);
    expect((await sh.run("cat /host/etc/kubernetes/manifests/kube-apiserver.yaml | grep -c kube-apiserver")).exitCode).toBe(0);
    expect((await sh.run("ip addr show eth0")).stdout).toContain("inet 172.30.1.2/24");
    await sh.run("exit");
    const spec = JSON.parse((await sh.run(`kubectl get pod ${pod} -o jsonpath='{.spec}'`)).stdout);
    expect(spec).toMatchObject({ hostNetwork: true, hostPID: true, hostIPC: true, nodeName: "controlplane", restartPolicy: "Never", tolerations: [{ operator: "Exists" }] });
    expect(spec.volumes).toContainEqual({ name: "host-root", hostPath: { path: "/", type: "" } });
  });

  it("fails clearly for what it cannot debug", async () => {
    const { sh } = await clusterWithWeb();
    expect(await sh.run("kubectl debug nope --image=busybox --profile=general")).toMatchObject({ stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 });
    expect(await sh.run("kubectl debug node/nope --image=busybox --profile=general")).toMatchObject({ stderr: 'Error from server (NotFound): nodes "nope" not found\n', exitCode: 1 });
  });
});
