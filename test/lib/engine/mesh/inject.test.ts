// Sidecar injection as the apiserver admits a pod: only with istiod installed and the namespace
// labelled, istio-init + istio-proxy (READY 2/2) with Istio's labels, annotations and volumes;
// the opt-out label; pods created before the label untouched until restarted (the classic
// trap, which istioctl analyze reports); and istio-init's rules in the pod's own netns.
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";
import type { Pod } from "@/lib/engine/api";
import { meshed } from "./fixtures";

const podsOf = (cluster: ReturnType<typeof createCluster>, ns: string) => cluster.internals.store.list("Pod", { namespace: ns }) as Pod[];

describe("sidecar injection", () => {
  it("injects istio-init and istio-proxy into pods of a labelled namespace", async () => {
    const { cluster, sh } = meshed();
    const pod = podsOf(cluster, "demo").find((p) => p.metadata.labels?.app === "web")!;
    expect(pod.spec.initContainers?.map((c) => c.name)).toEqual(["istio-init"]);
    expect(pod.spec.containers.map((c) => c.name)).toEqual(["whoami", "istio-proxy"]);
    const proxy = pod.spec.containers[1];
    expect(proxy.image).toBe("docker.io/istio/proxyv2:1.24.2");
    expect(proxy.args?.slice(0, 2)).toEqual(["proxy", "sidecar"]);
    expect(proxy.securityContext).toMatchObject({ runAsUser: 1337, runAsGroup: 1337, runAsNonRoot: true });
    expect(pod.spec.initContainers![0].args).toEqual(["istio-iptables", "-p", "15001", "-z", "15006", "-u", "1337", "-m", "REDIRECT", "-i", "*", "-x", "", "-b", "*", "-d", "15090,15021,15020", "--log_output_level=default:info"]);
    expect(pod.metadata.labels).toMatchObject({ "security.istio.io/tlsMode": "istio", "service.istio.io/canonical-name": "web", "service.istio.io/canonical-revision": "latest" });
    expect(JSON.parse(pod.metadata.annotations!["sidecar.istio.io/status"])).toEqual({
      initContainers: ["istio-init"], containers: ["istio-proxy"],
      volumes: ["workload-socket", "credential-socket", "workload-certs", "istio-envoy", "istio-data", "istio-podinfo", "istio-token", "istiod-ca-cert"],
      imagePullSecrets: null, revision: "default",
    });
    expect(pod.metadata.annotations!["kubectl.kubernetes.io/default-container"]).toBe("whoami");
    expect(pod.spec.volumes?.find((v) => v.name === "istiod-ca-cert")).toMatchObject({ configMap: { name: "istio-ca-root-cert" } });
    const get = await sh.run("kubectl get pods -n demo");
    expect(get.stdout).toMatch(/^web-\S+\s+2\/2\s+Running\s+0/m);
    expect(get.stdout).toMatch(/^sleep-\S+\s+2\/2\s+Running\s+0/m);
  });

  it("leaves namespaces without the label, and pods that opt out, alone", async () => {
    const { cluster, sh } = meshed();
    expect(podsOf(cluster, "legacy")[0].spec.containers.map((c) => c.name)).toEqual(["curl"]);
    await sh.run("kubectl run -n demo optout --image=busybox:1.36 --labels=sidecar.istio.io/inject=false --command -- sleep 3600");
    expect(podsOf(cluster, "demo").find((p) => p.metadata.name === "optout")!.spec.containers.map((c) => c.name)).toEqual(["optout"]);
  });

  it("does nothing without istiod, even in a labelled namespace", async () => {
    const sh = createCluster({ scenario: "three-node-calico", seed: 3 }).shell();
    await sh.run("kubectl label namespace default istio-injection=enabled");
    await sh.run("kubectl run plain --image=busybox:1.36 --command -- sleep 3600");
    expect((await sh.run("kubectl get pod plain -o jsonpath='{.spec.containers[*].name}'")).stdout).toBe("plain");
  });

  it("does not touch running pods when the label is added: they need a restart (istioctl analyze says so)", async () => {
    const { sh } = meshed();
    await sh.run("kubectl label namespace legacy istio-injection=enabled");
    expect((await sh.run("kubectl get pods -n legacy")).stdout).toMatch(/^sleep-\S+\s+1\/1\s+Running/m);
    const analyze = await sh.run("istioctl analyze -n legacy");
    expect(analyze.stdout).toMatch(/^Warning \[IST0103\] \(Pod legacy\/sleep-\S+\) The pod legacy\/sleep-\S+ is missing the Istio proxy\. This can often be resolved by restarting or redeploying the workload\.$/m);
    await sh.run("kubectl rollout restart deployment sleep -n legacy");
    await sh.run("kubectl rollout status deployment sleep -n legacy");
    await sh.run("sleep 30");
    expect((await sh.run("kubectl get pods -n legacy")).stdout).toMatch(/^sleep-\S+\s+2\/2\s+Running/m);
    expect((await sh.run("istioctl analyze -n legacy")).stdout).toBe("\u2714 No validation issues found when analyzing namespace: legacy.\n");
  });

  it("istio-init writes the capture rules into the pod's own network namespace", async () => {
    const { cluster, sh } = meshed();
    const web = podsOf(cluster, "demo").find((p) => p.metadata.labels?.app === "web")!;
    const pid = (await sh.run(`ssh node02 crictl inspect --output go-template --template '{{.info.pid}}' $(ssh node02 crictl ps --name whoami -q)`)).stdout.trim();
    const save = await sh.run(`ssh node02 nsenter -t ${pid} -n iptables-save -t nat`);
    expect(save.stdout).toContain(":ISTIO_INBOUND - [0:0]");
    expect(save.stdout).toContain("-A PREROUTING -p tcp -j ISTIO_INBOUND\n");
    expect(save.stdout).toContain("-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006\n");
    expect(save.stdout).toContain("-A ISTIO_OUTPUT -o lo -m owner ! --uid-owner 1337 -j RETURN\n");
    expect(save.stdout).toContain("-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN\n");
    expect(save.stdout).toContain("-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001\n");
    // The node's own tables have none of it.
    expect((await sh.run("ssh node02 iptables-save -t nat")).stdout).not.toContain("ISTIO");
    const log = await sh.run(`kubectl logs -n demo ${web.metadata.name} -c istio-init`);
    expect(log.stdout).toContain("-A ISTIO_OUTPUT -j ISTIO_REDIRECT\nCOMMIT\n");
  });
});
