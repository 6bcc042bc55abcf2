// istioctl against a cluster without Istio: install (confirmation, profiles, what each
// creates), version before and after, proxy-status, and its errors.
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";

const fresh = () => createCluster({ scenario: "three-node-calico", seed: 5 }).shell();

describe("istioctl", () => {
  it("installs the minimal profile: istiod only, then injection works", async () => {
    const sh = fresh();
    expect((await sh.run("istioctl version")).stdout).toBe('Istio is not present in the cluster: no running Istio pods in namespace "istio-system"\nclient version: 1.24.2\n');
    const r = await sh.run("istioctl install --set profile=minimal -y");
    expect(r.exitCode).toBe(0);
    expect(r.stdout.endsWith("✔ Istio core installed ⛵️\n✔ Istiod installed 🧠\n✔ Installation complete\nMade this installation the default for cluster-wide operations.\n")).toBe(true);
    expect((await sh.run("kubectl get deploy -n istio-system")).stdout).toMatch(/^NAME\s+READY.*\nistiod\s+1\/1\s+1\s+1\s+/);
    expect((await sh.run("kubectl get configmap istio-ca-root-cert -n default -o name")).stdout).toBe("configmap/istio-ca-root-cert\n");
    await sh.run("kubectl label namespace default istio-injection=enabled");
    await sh.run("kubectl create deployment web --image=nginx:1.27");
    await sh.run("kubectl rollout status deployment web");
    await sh.run("sleep 20");
    expect((await sh.run("kubectl get pods")).stdout).toMatch(/^web-\S+\s+2\/2\s+Running/m);
    expect((await sh.run("istioctl version")).stdout).toBe("client version: 1.24.2\ncontrol plane version: 1.24.2\ndata plane version: 1.24.2 (1 proxy)\n");
    expect((await sh.run("istioctl proxy-status")).stdout).toMatch(/^NAME\s+CLUSTER\s+CDS\s+LDS\s+EDS\s+RDS\s+ECDS\s+ISTIOD\s+VERSION\nweb-\S+\.default\s+Kubernetes\s+SYNCED\s+SYNCED\s+SYNCED\s+SYNCED\s+NOT SENT\s+istiod-\S+\s+1\.24\.2\n$/);
  });

  it("installs the demo profile with both gateways", async () => {
    const sh = fresh();
    const r = await sh.run("istioctl install --set profile=demo -y");
    expect(r.stdout).toContain("✔ Egress gateways installed 🛫\n✔ Ingress gateways installed 🛬\n");
    const pods = (await sh.run("kubectl get pods -n istio-system")).stdout;
    expect(pods).toMatch(/^istio-ingressgateway-\S+\s+1\/1\s+Running/m);
    expect(pods).toMatch(/^istio-egressgateway-\S+\s+1\/1\s+Running/m);
    expect((await sh.run("kubectl get svc istio-ingressgateway -n istio-system")).stdout).toMatch(/LoadBalancer\s+\S+\s+172\.30\.1\.\d+\s+15021:\d+\/TCP,80:\d+\/TCP,443:\d+\/TCP/);
  });

  it("asks before installing, and refuses what it cannot do", async () => {
    const sh = fresh();
    const cancelled = await sh.run("echo n | istioctl install --set profile=minimal");
    expect(cancelled.stdout).toBe('This will install the Istio 1.24.2 profile "minimal" into the cluster. Proceed? (y/N) Cancelled.\n');
    expect((await sh.run("kubectl get ns istio-system")).exitCode).not.toBe(0);
    expect((await sh.run("istioctl install --set profile=nope -y")).stderr).toBe('Error: generate config: profile "nope" not found\n');
    expect((await sh.run("istioctl frobnicate")).stderr).toBe('Error: unknown command "frobnicate" for "istioctl"\nRun \'istioctl --help\' for usage.\n');
    expect((await sh.run("istioctl proxy-status")).stderr).toBe("Error: unable to find any Istiod instances\n");
  });
});
