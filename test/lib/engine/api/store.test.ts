import { describe, expect, it } from "vitest";
import type { ConfigMap, Deployment, Pod, Service, Stored, WatchEvent } from "@/lib/engine/api";
import { apiError, deployment, errorText, newCluster, pod } from "./helpers";

const cm = (name: string, namespace = "default", data: Record<string, string> = { k: "v" }) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace },
  data,
});

describe("create", () => {
  it("fills system fields from the clock, the Rng and the revision counter", () => {
    const { store, clock } = newCluster();
    clock.advance(61_000);
    const before = Number(store.resourceVersion);
    const a = store.create(cm("a"));
    const b = store.create(cm("b"));
    expect(a.metadata.creationTimestamp).toBe("2026-01-12T09:01:01Z");
    expect(a.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.metadata.uid).not.toBe(b.metadata.uid);
    expect(Number(a.metadata.resourceVersion)).toBe(before + 1);
    expect(Number(b.metadata.resourceVersion)).toBe(before + 2);
    expect(store.resourceVersion).toBe(b.metadata.resourceVersion);
  });

  it("is deterministic for a seed", () => {
    const uids = () => {
      const { store } = newCluster({ seed: 42 });
      return store.create(cm("a")).metadata.uid;
    };
    expect(uids()).toBe(uids());
  });

  it("returns frozen records and ignores later changes to the input", () => {
    const { store } = newCluster();
    const input = cm("a");
    const stored = store.create(input);
    input.data.k = "changed";
    expect(store.get<ConfigMap>("ConfigMap", "default", "a").data).toEqual({ k: "v" });
    expect(Object.isFrozen(stored.metadata)).toBe(true);
    expect(() => {
      (stored as unknown as { data: Record<string, string> }).data.k = "x";
    }).toThrow(TypeError);
  });

  it("generates names from generateName with the apimachinery alphabet", () => {
    const { store } = newCluster();
    const a = store.create({ ...cm(""), metadata: { generateName: "web-", namespace: "default" } });
    expect(a.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const long = store.create({ ...cm(""), metadata: { generateName: "x".repeat(70), namespace: "default" } });
    expect(long.metadata.name).toHaveLength(63);
  });

  it("rejects a name that exists", () => {
    const { store } = newCluster();
    store.create(cm("a"));
    expect(errorText(() => store.create(cm("a")))).toBe('Error from server (AlreadyExists): configmaps "a" already exists');
  });

  it("says when the existing object is still being deleted", () => {
    const { store } = newCluster();
    store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "dev" } });
    store.create(pod("web", { metadata: { namespace: "dev" }, spec: { nodeName: "node-1" } }));
    store.delete("Namespace", undefined, "dev");
    expect(errorText(() => store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "dev" } }))).toBe(
      'Error from server (AlreadyExists): object is being deleted: namespaces "dev" already exists',
    );
  });

  it("requires the namespace to exist", () => {
    const { store } = newCluster();
    expect(errorText(() => store.create(cm("a", "foo")))).toBe('Error from server (NotFound): namespaces "foo" not found');
  });

  it("defaults the namespace and rejects a mismatching request namespace", () => {
    const { store } = newCluster();
    const noNs = store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } });
    expect(noNs.metadata.namespace).toBe("default");
    expect(store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "y" } }, { namespace: "kube-system" }).metadata.namespace).toBe("kube-system");
    expect(errorText(() => store.create(cm("z", "default"), { namespace: "kube-system" }))).toBe(
      "Error from server (BadRequest): the namespace of the provided object does not match the namespace sent on the request",
    );
  });

  it("drops a namespace given to a cluster-scoped kind", () => {
    const { store } = newCluster();
    const ns = store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "dev", namespace: "default" } });
    expect(ns.metadata.namespace).toBeUndefined();
  });

  it("rejects unknown kinds", () => {
    const { store } = newCluster();
    expect(errorText(() => store.create({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "j" } }))).toBe(
      'Error from server (BadRequest): no kind "Job" is registered for version "batch/v1"',
    );
  });

  it("does not persist a dry run", () => {
    const { store } = newCluster();
    const rv = store.resourceVersion;
    const svc = store.create<Service>({ apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { type: "NodePort", ports: [{ port: 80 }] } }, { dryRun: true });
    expect(svc.spec.clusterIP).toBeTruthy();
    expect(store.find("Service", "default", "web")).toBeUndefined();
    expect(store.resourceVersion).toBe(rv);
    expect(store.clusterIPs.isAllocated(svc.spec.clusterIP!)).toBe(false);
    expect(store.nodePorts.isAllocated(svc.spec.ports![0].nodePort!)).toBe(false);
  });
});

describe("update and patch", () => {
  it("rejects a stale resourceVersion with the apiserver's Conflict", () => {
    const { store } = newCluster();
    const first = store.create(cm("a"));
    store.update({ ...first, data: { k: "2" } });
    expect(errorText(() => store.update({ ...first, data: { k: "3" } }))).toBe(
      'Error from server (Conflict): Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it("updates unconditionally without a resourceVersion and keeps system fields", () => {
    const { store } = newCluster();
    const first = store.create(cm("a"));
    const next = store.update({ ...cm("a", "default", { k: "2" }), metadata: { name: "a", namespace: "default", uid: undefined } });
    expect(next.metadata.uid).toBe(first.metadata.uid);
    expect(next.metadata.creationTimestamp).toBe(first.metadata.creationTimestamp);
    expect(Number(next.metadata.resourceVersion)).toBeGreaterThan(Number(first.metadata.resourceVersion));
  });

  it("treats an unchanged object as a no-op", () => {
    const { store } = newCluster();
    const first = store.create(cm("a"));
    const events: WatchEvent[] = [];
    store.watch((e) => events.push(e));
    const again = store.update(first);
    expect(again).toBe(first);
    expect(events).toEqual([]);
  });

  it("404s an update of a missing object", () => {
    const { store } = newCluster();
    expect(errorText(() => store.update(cm("ghost")))).toBe('Error from server (NotFound): configmaps "ghost" not found');
  });

  it("bumps generation on spec changes only (and on Deployment annotations)", () => {
    const { store } = newCluster();
    const d = store.create<Deployment>(deployment("web") as Deployment);
    expect(d.metadata.generation).toBe(1);
    const relabeled = store.patch<Deployment>("Deployment", "default", "web", { metadata: { labels: { team: "a" } } });
    expect(relabeled.metadata.generation).toBe(1);
    const scaled = store.patch<Deployment>("Deployment", "default", "web", { spec: { replicas: 3 } });
    expect(scaled.metadata.generation).toBe(2);
    const annotated = store.patch<Deployment>("Deployment", "default", "web", { metadata: { annotations: { a: "b" } } });
    expect(annotated.metadata.generation).toBe(3);
    expect(store.create(cm("x")).metadata.generation).toBeUndefined();
  });

  it("keeps status on plain updates and only status on status updates", () => {
    const { store } = newCluster();
    store.create(deployment("web"));
    const withStatus = store.patch<Deployment>("Deployment", "default", "web", { status: { replicas: 2 }, spec: { replicas: 5 } }, { subresource: "status" });
    expect(withStatus.status).toEqual({ replicas: 2 });
    expect(withStatus.spec.replicas).toBe(1);
    const plain = store.patch<Deployment>("Deployment", "default", "web", { status: { replicas: 9 } });
    expect(plain.status).toEqual({ replicas: 2 });
  });

  it("applies JSON merge patches, null deleting a key", () => {
    const { store } = newCluster();
    store.create({ ...cm("a"), metadata: { name: "a", namespace: "default", labels: { x: "1", y: "2" } } });
    const patched = store.patch("ConfigMap", "default", "a", { metadata: { labels: { x: null, z: "3" } }, data: { k2: "v2" } });
    expect(patched.metadata.labels).toEqual({ y: "2", z: "3" });
    expect((patched as Stored<ConfigMap>).data).toEqual({ k: "v", k2: "v2" });
  });

  it("honours a resourceVersion inside a patch as a precondition", () => {
    const { store } = newCluster();
    store.create(cm("a"));
    expect(apiError(() => store.patch("ConfigMap", "default", "a", { metadata: { resourceVersion: "1" }, data: { k: "x" } })).reason).toBe("Conflict");
  });

  it("keeps identity fields immutable", () => {
    const { store } = newCluster();
    const first = store.create(cm("a"));
    expect(errorText(() => store.update({ ...first, metadata: { ...first.metadata, uid: "other" } }))).toMatch(
      /^Error from server \(Conflict\): Operation cannot be fulfilled on configmaps "a": Precondition failed: UID in precondition: other, UID in object meta: /,
    );
  });
});

describe("watch", () => {
  it("delivers typed events in commit order, with the old object", () => {
    const { store } = newCluster();
    const events: string[] = [];
    store.watch((e) => events.push(`${e.type} ${e.object.metadata.name} ${e.old?.metadata.resourceVersion ?? "-"}`), { kind: "ConfigMap" });
    const a = store.create(cm("a"));
    const b = store.update({ ...a, data: { k: "2" } });
    store.delete("ConfigMap", "default", "a");
    store.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "ignored" } });
    expect(events).toEqual([
      `ADDED a -`,
      `MODIFIED a ${a.metadata.resourceVersion}`,
      `DELETED a ${b.metadata.resourceVersion}`,
    ]);
  });

  it("filters by namespace and stops after unsubscribe", () => {
    const { store } = newCluster();
    const seen: string[] = [];
    const stop = store.watch((e) => seen.push(e.object.metadata.name), { namespace: "kube-system" });
    store.create(cm("a"));
    store.create(cm("b", "kube-system"));
    stop();
    store.create(cm("c", "kube-system"));
    expect(seen).toEqual(["b"]);
  });

  it("queues writes made by a handler behind the event being delivered", () => {
    const { store } = newCluster();
    const first: string[] = [];
    const second: string[] = [];
    store.watch((e) => {
      first.push(e.object.metadata.name);
      if (e.object.metadata.name === "a") store.create(cm("b"));
    });
    store.watch((e) => second.push(e.object.metadata.name));
    store.create(cm("a"));
    expect(first).toEqual(["a", "b"]);
    expect(second).toEqual(["a", "b"]);
  });
});

describe("list", () => {
  it("lists in etcd key order across namespaces and filters by namespace", () => {
    const { store } = newCluster();
    store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a-b" } });
    store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } });
    for (const [ns, name] of [["a", "z"], ["a-b", "y"], ["a", "b"]]) store.create(cm(name, ns));
    expect(store.list("ConfigMap").map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(["a-b/y", "a/b", "a/z"]);
    expect(store.list("ConfigMap", { namespace: "a" }).map((o) => o.metadata.name)).toEqual(["b", "z"]);
  });

  it("404s kinds it does not serve", () => {
    const { store } = newCluster();
    expect(errorText(() => store.list("CronJob"))).toBe("Error from server (NotFound): the server could not find the requested resource");
  });

  it("filters by label and field selectors", () => {
    const { store } = newCluster();
    store.create(pod("a", { metadata: { labels: { app: "web" } }, spec: { nodeName: "n1" } }));
    store.create(pod("b", { metadata: { labels: { app: "db" } }, spec: { nodeName: "n2" } }));
    store.create(pod("c", { metadata: { labels: { app: "web" } } }));
    const names = (o: Parameters<typeof store.list>[1]) => store.list("Pod", o).map((p) => p.metadata.name);
    expect(names({ labelSelector: "app=web" })).toEqual(["a", "c"]);
    expect(names({ fieldSelector: "spec.nodeName=n2" })).toEqual(["b"]);
    expect(names({ fieldSelector: "spec.nodeName=" })).toEqual(["c"]);
    expect(names({ labelSelector: "app=web", fieldSelector: "metadata.name!=a" })).toEqual(["c"]);
    expect(names({ fieldSelector: "status.phase=Pending,spec.hostNetwork=false" })).toEqual(["a", "b", "c"]);
  });

  const selectorErrors: [string, string, object, string][] = [
    ["pods: custom conversion", "Pod", { fieldSelector: "foo=bar" }, "Error from server (BadRequest): field label not supported: foo"],
    ["configmaps: default conversion", "ConfigMap", { fieldSelector: "data.k=v" },
      'Error from server (BadRequest): "data.k" is not a known field selector: only "metadata.name", "metadata.namespace"'],
    ["unparsable field selector", "Pod", { fieldSelector: "nope" }, "Error from server (BadRequest): invalid selector: 'nope'; can't understand 'nope'"],
    ["unparsable label selector", "Pod", { labelSelector: "a in b" }, "Error from server (BadRequest): unable to parse requirement: found 'b' expected: '('"],
  ];
  it.each(selectorErrors)("%s", (_name, kind, opts, text) => {
    const { store } = newCluster();
    expect(errorText(() => store.list(kind, opts))).toBe(text);
  });

  it("lists 5,000 pods well under 10 ms", () => {
    const { store } = newCluster();
    for (let i = 0; i < 5000; i++) {
      store.create(pod(`p-${i}`, { metadata: { labels: { app: `a${i % 10}` } }, spec: { nodeName: `n${i % 3}` } }));
    }
    const timed = (fn: () => unknown) => {
      fn();
      let best = Infinity;
      for (let r = 0; r < 5; r++) {
        const t = globalThis.performance.now();
        fn();
        best = Math.min(best, globalThis.performance.now() - t);
      }
      return best;
    };
    expect(store.list("Pod", { namespace: "default" })).toHaveLength(5000);
    expect(timed(() => store.list("Pod", { namespace: "default" }))).toBeLessThan(10);
    expect(timed(() => store.list("Pod", { labelSelector: "app=a3" }))).toBeLessThan(10);
    expect(timed(() => store.list("Pod", { fieldSelector: "spec.nodeName=n1" }))).toBeLessThan(10);
  });
});

describe("pods", () => {
  it("lets only images and a few fields change", () => {
    const { store } = newCluster();
    const p = store.create<Pod>(pod("web") as Pod);
    const newImage = store.update({ ...p, spec: { ...p.spec, containers: [{ ...p.spec.containers[0], image: "nginx:1.28" }] } });
    expect((newImage as Stored<Pod>).spec.containers[0].image).toBe("nginx:1.28");
    const text = errorText(() => store.update({ ...newImage, spec: { ...(newImage as Stored<Pod>).spec, restartPolicy: "Never" } }));
    expect(text.startsWith(
      'The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n',
    )).toBe(true);
    expect(text).toContain('restartPolicy: "Always"');
  });

  it("rejects pods whose service account is missing, naming them by generateName", () => {
    const { store } = newCluster({ requireServiceAccount: true });
    expect(errorText(() => store.create(pod("", { metadata: { generateName: "web-" } })))).toBe(
      'Error from server (Forbidden): pods "web-" is forbidden: error looking up service account default/default: serviceaccount "default" not found',
    );
    store.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default" } });
    expect(store.create<Pod>(pod("ok") as Pod).spec.serviceAccountName).toBe("default");
  });
});

describe("a new version", () => {
  it("shares what did not change with the old one and keeps the key order it was written in", () => {
    const { store } = newCluster();
    const a = store.create(pod("web"));
    const relabelled = store.update<Pod>({ ...a, metadata: { ...a.metadata, labels: { app: "web" } }, spec: JSON.parse(JSON.stringify(a.spec)) });
    // The spec came in as a fresh copy, equal to the stored one: the new version holds the old spec.
    expect(relabelled.spec).toBe(a.spec);
    expect(relabelled.metadata.labels).toEqual({ app: "web" });
    expect(Object.isFrozen(relabelled.metadata)).toBe(true);
    // Equal parts in another key order are written as sent, not replaced by the old one.
    const cmA = store.create({ ...cm("ordered", "default", { x: "1" }), binaryData: { a: "AA==", b: "AQ==" } });
    const reordered = store.update<ConfigMap>({ ...cmA, data: { x: "2" }, binaryData: { b: "AQ==", a: "AA==" } });
    expect(Object.keys(reordered.binaryData!)).toEqual(["b", "a"]);
    expect(reordered.data).toEqual({ x: "2" });
  });
});
