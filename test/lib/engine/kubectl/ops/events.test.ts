/**
 * `kubectl events` through the public contract: the Events the scheduler and kubelet recorded,
 * as kubectl 1.32's own table (oldest first, repeats as `(xN over …)`), filtered by object and
 * type, across namespaces, and as an EventList.
 */
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";

async function clusterWithPods() {
  const sh = createCluster({ scenario: "single-node", seed: 1 }).shell();
  await sh.run("kubectl run web --image=nginx && kubectl run bad --image=nginx:nope && kubectl wait --for=condition=Ready pod/web && sleep 40");
  return sh;
}

describe("kubectl events", () => {
  it("prints the namespace's events oldest first in kubectl's table, repeats with their count", async () => {
    const sh = await clusterWithPods();
    const { stdout, exitCode } = await sh.run("kubectl events");
    expect(exitCode).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$/);
    expect(lines).toContainEqual(expect.stringMatching(/^\d+s +Normal +Scheduled +Pod\/web +Successfully assigned default\/web to controlplane$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\d+s \(x\d over \d+s\) +Warning +Failed +Pod\/bad +Error: ErrImagePull$/));
    expect(lines.findIndex((l) => l.includes("Scheduled") && l.includes("Pod/web"))).toBeLessThan(lines.findIndex((l) => l.includes("Started")));
  });

  it("filters by object (--for) and by type (--types, any case)", async () => {
    const sh = await clusterWithPods();
    const web = (await sh.run("kubectl events --for pod/web")).stdout;
    expect(web).toMatch(/Pod\/web/);
    expect(web).not.toMatch(/Pod\/bad/);
    const warnings = (await sh.run("kubectl events --types=warning")).stdout.trimEnd().split("\n").slice(1);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((l) => /\bWarning\b/.test(l) && l.includes("Pod/bad"))).toBe(true);
    expect(await sh.run("kubectl events --for pod/web --types Warning")).toMatchObject({ stdout: "", stderr: "No events found in default namespace.\n", exitCode: 0 });
    expect(await sh.run("kubectl events --for=deploy/nope -n kube-system")).toMatchObject({ stderr: "No events found in kube-system namespace.\n" });
  });

  it("lists every namespace with -A, and an EventList with -o", async () => {
    const sh = await clusterWithPods();
    const all = (await sh.run("kubectl events -A --no-headers --types=Warning")).stdout;
    expect(all.split("\n")[0]).toMatch(/^default +\d+s \(x\d over \d+s\) +Warning /);
    const json = JSON.parse((await sh.run("kubectl events --for pod/web -o json")).stdout);
    expect(json).toMatchObject({ kind: "EventList", apiVersion: "v1" });
    expect(Object.keys(json)).toEqual(["kind", "apiVersion", "metadata", "items"]);
    expect(json.items[0]).toMatchObject({ kind: "Event", reason: "Scheduled", involvedObject: { kind: "Pod", name: "web" } });
    expect((await sh.run("kubectl events --for pod/web -o yaml")).stdout).toMatch(/^apiVersion: v1\nitems:\n- apiVersion: v1\n/);
    expect((await sh.run("kubectl events --for pod/web -o jsonpath='{.items[0].reason}'")).stdout).toBe("Scheduled");
  });

  it("refuses a watch it cannot keep", async () => {
    const sh = await clusterWithPods();
    expect(await sh.run("kubectl events -w")).toMatchObject({ stderr: "error: --watch is not supported here: run the command again to see new events\n", exitCode: 1 });
  });
});
