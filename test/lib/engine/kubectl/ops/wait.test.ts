/**
 * `kubectl wait` through the public contract: waits let the cluster's virtual time run until
 * the condition holds (the kubelet starting a pod, a graceful deletion ending) or `--timeout`
 * passes, and print kubectl 1.32's messages.
 */
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";

function shell() {
  return createCluster({ scenario: "single-node", seed: 1 }).shell();
}

/** The virtual clock as `date +%s` reads it on the control plane. */
const epoch = async (sh: ReturnType<typeof shell>) => Number((await sh.run("date +%s")).stdout);

describe("kubectl wait", () => {
  it("waits for a condition while the kubelet starts the pod, then says so", async () => {
    const sh = shell();
    await sh.run("kubectl run web --image=nginx");
    expect((await sh.run("kubectl get pod web -o jsonpath='{.status.phase}'")).stdout).toBe("Pending");
    const before = await epoch(sh);
    expect(await sh.run("kubectl wait --for=condition=Ready pod/web")).toMatchObject({ stdout: "pod/web condition met\n", stderr: "", exitCode: 0 });
    const waited = (await epoch(sh)) - before;
    expect(waited).toBeGreaterThan(0);
    expect(waited).toBeLessThan(30);
    expect((await sh.run("kubectl get pod web -o jsonpath='{.status.phase}'")).stdout).toBe("Running");
  });

  it("times out on virtual time with the object named, and looks once with --timeout=0", async () => {
    const sh = shell();
    await sh.run("kubectl run web --image=nginx && kubectl wait --for=condition=Ready pod/web");
    const before = await epoch(sh);
    expect(await sh.run("kubectl wait --for=condition=Ready=false pod/web --timeout=5s")).toMatchObject({
      stdout: "",
      stderr: "error: timed out waiting for the condition on pods/web\n",
      exitCode: 1,
    });
    expect((await epoch(sh)) - before).toBe(5);
    expect(await sh.run("kubectl wait --for=condition=ready=FALSE pod/web --timeout=0")).toMatchObject({ stderr: "error: condition not met for pods/web\n", exitCode: 1 });
    expect((await sh.run("kubectl wait --for=condition=Ready pod/web --timeout=0")).stdout).toBe("pod/web condition met\n");
  });

  it("waits for a JSONPath value, or for any value", async () => {
    const sh = shell();
    await sh.run("kubectl run web --image=nginx");
    expect((await sh.run("kubectl wait --for=jsonpath='{.status.phase}'=Running pod/web")).stdout).toBe("pod/web condition met\n");
    expect((await sh.run(`kubectl wait --for='jsonpath={.status.conditions[?(@.type=="Ready")].status}=True' pod/web`)).stdout).toBe("pod/web condition met\n");
    expect((await sh.run("kubectl wait --for=jsonpath='{.status.podIP}' pod/web")).stdout).toBe("pod/web condition met\n");
    expect(await sh.run("kubectl wait --for=jsonpath='{.spec.containers}'=x pod/web --timeout=1s")).toMatchObject({
      stderr: "error: jsonpath leads to a nested object or list which is not supported\n",
      exitCode: 1,
    });
  });

  it("waits for a deletion to finish; an object already gone is no error", async () => {
    const sh = shell();
    await sh.run("kubectl run web --image=nginx && kubectl wait --for=condition=Ready pod/web");
    await sh.run("kubectl delete pod web --wait=false");
    expect((await sh.run("kubectl get pod web -o jsonpath='{.metadata.deletionTimestamp}'")).stdout).not.toBe("");
    expect(await sh.run("kubectl wait --for=delete pod/web --timeout=60s")).toMatchObject({ stdout: "pod/web condition met\n", exitCode: 0 });
    expect((await sh.run("kubectl get pod web")).exitCode).toBe(1);
    expect(await sh.run("kubectl wait --for=delete pod/web")).toMatchObject({ stdout: "", stderr: "", exitCode: 0 });
  });

  it("waits for objects to be created, and lists a type with -l", async () => {
    const sh = shell();
    expect(await sh.run("kubectl wait --for=create pod/web --timeout=2s")).toMatchObject({ stderr: "error: timed out waiting for the condition\n", exitCode: 1 });
    await sh.run("kubectl create deployment web --image=nginx --replicas=2");
    expect(await sh.run("kubectl wait --for=create deployment/web")).toMatchObject({ stdout: "", exitCode: 0 });
    expect((await sh.run("kubectl wait --for=condition=Available deploy/web")).stdout).toBe("deployment.apps/web condition met\n");
    const pods = await sh.run("kubectl wait --for=condition=Ready pod -l app=web");
    expect(pods.stdout).toMatch(/^pod\/web-[a-z0-9]+-[a-z0-9]{5} condition met\npod\/web-[a-z0-9]+-[a-z0-9]{5} condition met\n$/);
    expect(await sh.run("kubectl wait --for=condition=Ready pod -l app=nope")).toMatchObject({ stderr: "error: no matching resources found\n", exitCode: 1 });
    expect(await sh.run("kubectl wait --for=condition=Ready pod/nope")).toMatchObject({ stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 });
  });

  it("prints the object with -o", async () => {
    const sh = shell();
    await sh.run("kubectl create namespace team-a");
    expect((await sh.run("kubectl wait --for=jsonpath='{.status.phase}'=Active ns/team-a -o name")).stdout).toBe("namespace/team-a\n");
    expect((await sh.run("kubectl wait --for=jsonpath='{.status.phase}'=Active ns/team-a -o jsonpath='{.metadata.name}'")).stdout).toBe("team-a");
  });
});
