import { describe, expect, it } from "vitest";
import { renderTable, type Namespace, type Stored } from "@/lib/engine/api";
import { errorText, newCluster, pod } from "./helpers";

const cm = (name: string, namespace = "default", finalizers?: string[]) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace, finalizers },
});

function recorder(store: ReturnType<typeof newCluster>["store"]): string[] {
  const log: string[] = [];
  store.watch((e) => log.push(`${e.type} ${e.object.kind}/${e.object.metadata.name}`));
  return log;
}

describe("plain deletion", () => {
  it("removes objects without finalizers at once", () => {
    const { store } = newCluster();
    store.create(cm("a"));
    const log = recorder(store);
    const res = store.delete("ConfigMap", "default", "a");
    expect(res.deleted).toBe(true);
    expect(log).toEqual(["DELETED ConfigMap/a"]);
    expect(errorText(() => store.get("ConfigMap", "default", "a"))).toBe('Error from server (NotFound): configmaps "a" not found');
    expect(errorText(() => store.delete("ConfigMap", "default", "a"))).toBe('Error from server (NotFound): configmaps "a" not found');
  });

  it("keeps objects with finalizers until the last one is removed", () => {
    const { store, clock } = newCluster();
    store.create(cm("a", "default", ["example.com/hold"]));
    const res = store.delete("ConfigMap", "default", "a");
    expect(res.deleted).toBe(false);
    expect(res.object.metadata.deletionTimestamp).toBe(clock.rfc3339());
    expect(res.object.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(errorText(() => store.patch("ConfigMap", "default", "a", { metadata: { finalizers: ["example.com/hold", "b.io/x"] } }))).toBe(
      'The ConfigMap "a" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/x"}',
    );
    const log = recorder(store);
    store.patch("ConfigMap", "default", "a", { metadata: { finalizers: null } });
    expect(log).toEqual(["MODIFIED ConfigMap/a", "DELETED ConfigMap/a"]);
    expect(store.find("ConfigMap", "default", "a")).toBeUndefined();
  });

  it("adds the GC finalizer for Orphan and Foreground propagation", () => {
    const { store } = newCluster();
    store.create(cm("a"));
    store.create(cm("b"));
    expect(store.delete("ConfigMap", "default", "a", { propagationPolicy: "Orphan" }).object.metadata.finalizers).toEqual(["orphan"]);
    expect(store.delete("ConfigMap", "default", "b", { propagationPolicy: "Foreground" }).object.metadata.finalizers).toEqual(["foregroundDeletion"]);
  });

  it("checks preconditions", () => {
    const { store } = newCluster();
    const a = store.create(cm("a"));
    expect(errorText(() => store.delete("ConfigMap", "default", "a", { preconditions: { uid: "x" } }))).toBe(
      `Error from server (Conflict): Operation cannot be fulfilled on configmaps "a": Precondition failed: UID in precondition: x, UID in object meta: ${a.metadata.uid}`,
    );
  });
});

describe("graceful pod deletion", () => {
  it("deletes unscheduled pods at once (marked first, as upstream)", () => {
    const { store } = newCluster();
    store.create(pod("web"));
    const log = recorder(store);
    expect(store.delete("Pod", "default", "web").deleted).toBe(true);
    expect(log).toEqual(["MODIFIED Pod/web", "DELETED Pod/web"]);
  });

  it("marks bound pods for their grace period; only a shorter one changes anything", () => {
    const { store, clock } = newCluster();
    store.create(pod("web", { spec: { nodeName: "node-1" } }));
    const first = store.delete("Pod", "default", "web");
    expect(first.deleted).toBe(false);
    expect(first.object.metadata.deletionTimestamp).toBe(clock.rfc3339(clock.now() + 30_000));
    expect(first.object.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(renderTable("Pod", [first.object], { now: clock.now() }).rows[0].cells[2]).toBe("Terminating");
    clock.advance(5_000);
    const again = store.delete("Pod", "default", "web");
    expect(again.object).toBe(first.object);
    const shorter = store.delete("Pod", "default", "web", { gracePeriodSeconds: 10 });
    // The deadline moves by the difference, from the original start of deletion.
    expect(shorter.object.metadata.deletionTimestamp).toBe(clock.rfc3339(clock.now() - 5_000 + 10_000));
    expect(shorter.object.metadata.deletionGracePeriodSeconds).toBe(10);
    const log = recorder(store);
    expect(store.delete("Pod", "default", "web", { gracePeriodSeconds: 0 }).deleted).toBe(true);
    expect(log).toEqual(["MODIFIED Pod/web", "DELETED Pod/web"]);
  });

  it("deletes finished pods at once", () => {
    const { store } = newCluster();
    const p = store.create(pod("job", { spec: { nodeName: "node-1" } }));
    store.updateStatus({ ...p, status: { phase: "Succeeded" } });
    expect(store.delete("Pod", "default", "job").deleted).toBe(true);
  });
});

describe("namespace deletion", () => {
  it("turns Terminating, empties the namespace and disappears when empty", () => {
    const { store, clock } = newCluster();
    store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "dev" } });
    store.create(cm("settings", "dev"));
    store.create(pod("unbound", { metadata: { namespace: "dev" } }));
    store.create(pod("bound", { metadata: { namespace: "dev" }, spec: { nodeName: "node-1" } }));
    const res = store.delete("Namespace", undefined, "dev");
    expect(res.deleted).toBe(false);
    const ns = store.get<Namespace>("Namespace", undefined, "dev") as Stored<Namespace>;
    expect(ns.status?.phase).toBe("Terminating");
    expect(ns.metadata.deletionTimestamp).toBe(clock.rfc3339());
    expect(renderTable("Namespace", [ns], { now: clock.now() }).rows[0].cells).toEqual(["dev", "Terminating", "0s"]);
    expect(store.list("ConfigMap", { namespace: "dev" })).toEqual([]);
    expect(store.list("Pod", { namespace: "dev" }).map((p) => p.metadata.name)).toEqual(["bound"]);
    expect(errorText(() => store.create(cm("late", "dev")))).toBe(
      'Error from server (Forbidden): configmaps "late" is forbidden: unable to create new content in namespace dev because it is being terminated',
    );
    expect(errorText(() => store.delete("Namespace", undefined, "dev"))).toBe(
      'Error from server (Conflict): Operation cannot be fulfilled on namespaces "dev": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
    );
    // The kubelet confirms the pod is gone; the namespace is then finalized and removed.
    const log = recorder(store);
    store.delete("Pod", "dev", "bound", { gracePeriodSeconds: 0 });
    expect(log).toEqual(["MODIFIED Pod/bound", "DELETED Pod/bound", "MODIFIED Namespace/dev", "DELETED Namespace/dev"]);
    expect(store.find("Namespace", undefined, "dev")).toBeUndefined();
  });

  it("removes an empty namespace at once", () => {
    const { store } = newCluster();
    store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "tmp" } });
    expect(store.delete("Namespace", undefined, "tmp").deleted).toBe(true);
  });

  it.each(["default", "kube-system", "kube-public"])("refuses to delete %s", (name) => {
    const { store } = newCluster();
    expect(errorText(() => store.delete("Namespace", undefined, name))).toBe(
      `Error from server (Forbidden): namespaces "${name}" is forbidden: this namespace may not be deleted`,
    );
  });
});
