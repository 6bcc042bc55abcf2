// The PersistentVolume controller as v1.32's binder and reclaimer: which volume a claim binds
// (class, access modes, smallest fit, selector, pre-binding on either side), the events of a
// claim left Pending, reclaim policies, and the nfs-subdir provisioner behind `nfs-client`.
import { describe, expect, it } from "vitest";
import type { Event, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from "@/lib/engine/api";
import { nfsServer } from "@/lib/engine/storage";
import { apply, nfsLab } from "../../storage/nfs-lab";

type Lab = ReturnType<typeof nfsLab>;

const pv = (name: string, storage: string, spec: Partial<PersistentVolume["spec"]> = {}, labels?: Record<string, string>): PersistentVolume => ({
  apiVersion: "v1", kind: "PersistentVolume", metadata: { name, ...(labels ? { labels } : {}) },
  spec: { capacity: { storage }, accessModes: ["ReadWriteOnce"], nfs: { server: "nfs-server", path: "/srv/nfs/share" }, ...spec },
});

const pvc = (name: string, storage: string, spec: Partial<PersistentVolumeClaim["spec"]> = {}): PersistentVolumeClaim => ({
  apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name, namespace: "default" },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage } }, ...spec },
});

const defaultClass = (name: string): StorageClass => ({
  apiVersion: "storage.k8s.io/v1", kind: "StorageClass", provisioner: "example.com/none",
  metadata: { name, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
});

function settle(lab: Lab, ms = 1_000): void {
  lab.internals.advance(ms);
}

const claim = (lab: Lab, name: string) => lab.internals.store.get<PersistentVolumeClaim>("PersistentVolumeClaim", "default", name);
const volume = (lab: Lab, name: string) => lab.internals.store.find<PersistentVolume>("PersistentVolume", undefined, name);
const events = (lab: Lab, name: string) => lab.internals.store.list<Event>("Event", { namespace: "default" }).filter((e) => e.involvedObject?.name === name).map((e) => `${e.type} ${e.reason} ${e.message}`);

describe("binding", () => {
  it.each<[string, PersistentVolume[], PersistentVolumeClaim, string, StorageClass[]?]>([
    ["the smallest volume that fits", [pv("big", "10Gi"), pv("small", "1Gi"), pv("fits", "5Gi")], pvc("c", "2Gi"), "fits"],
    ["only volumes offering every requested access mode", [pv("rwo", "1Gi"), pv("rwx", "5Gi", { accessModes: ["ReadWriteOnce", "ReadWriteMany"] })], pvc("c", "1Gi", { accessModes: ["ReadWriteMany"] }), "rwx"],
    ["a class-less volume for storageClassName \"\"", [pv("classy", "1Gi", { storageClassName: "manual" }), pv("plain", "5Gi")], pvc("c", "1Gi", { storageClassName: "" }), "plain"],
    ["a volume of the claim's class only", [pv("plain", "1Gi"), pv("classy", "5Gi", { storageClassName: "manual" })], pvc("c", "1Gi", { storageClassName: "manual" }), "classy"],
    ["a class-less volume for an unset class when no class is default", [pv("plain", "1Gi")], pvc("c", "1Gi"), "plain"],
    ["the default class's volume for an unset class", [pv("plain", "1Gi"), pv("std", "5Gi", { storageClassName: "standard" })], pvc("c", "1Gi"), "std", [defaultClass("standard")]],
    ["a volume the selector picks", [pv("plain", "1Gi"), pv("gold", "5Gi", {}, { tier: "gold" })], pvc("c", "1Gi", { selector: { matchLabels: { tier: "gold" } } }), "gold"],
    ["the volume the claim names, though a smaller one fits", [pv("small", "1Gi"), pv("named", "8Gi")], pvc("c", "1Gi", { volumeName: "named" }), "named"],
    ["the volume pre-bound to the claim by claimRef", [pv("small", "1Gi"), pv("reserved", "8Gi", { claimRef: { namespace: "default", name: "c" } })], pvc("c", "1Gi"), "reserved"],
    ["no volume pre-bound to another claim", [pv("reserved", "8Gi", { claimRef: { namespace: "default", name: "other" } })], pvc("c", "1Gi"), ""],
    ["no volume too small", [pv("small", "1Gi")], pvc("c", "2Gi"), ""],
  ])("takes %s", (_rule, volumes, wanted, expected, classes = []) => {
    const lab = nfsLab();
    for (const sc of classes) lab.internals.store.create(sc);
    for (const v of volumes) lab.internals.store.create(v);
    lab.internals.store.create(wanted);
    settle(lab);
    const c = claim(lab, "c");
    expect(c.spec.volumeName ?? "").toBe(expected);
    expect(c.status?.phase).toBe(expected ? "Bound" : "Pending");
    if (!expected) return;
    const v = volume(lab, expected)!;
    expect(v.status?.phase).toBe("Bound");
    expect(v.spec.claimRef).toMatchObject({ kind: "PersistentVolumeClaim", namespace: "default", name: "c", uid: c.metadata.uid });
    expect(c.status).toEqual({ phase: "Bound", accessModes: v.spec.accessModes, capacity: v.spec.capacity });
    expect(c.metadata.annotations?.["pv.kubernetes.io/bind-completed"]).toBe("yes");
  });

  it("leaves volumes nobody claims Available, and shows both sides in kubectl get", async () => {
    const lab = nfsLab();
    const sh = lab.shell();
    lab.internals.store.create(pv("spare", "1Gi"));
    lab.internals.store.create(pv("used", "5Gi", { accessModes: ["ReadWriteMany"], persistentVolumeReclaimPolicy: "Retain" }));
    lab.internals.store.create(pvc("data", "2Gi", { accessModes: ["ReadWriteMany"], storageClassName: "" }));
    settle(lab);
    expect((await sh.run("kubectl get pv,pvc")).stdout).toBe([
      "NAME                     CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS      CLAIM          STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE",
      "persistentvolume/spare   1Gi        RWO            Retain           Available                                 <unset>                          1s",
      "persistentvolume/used    5Gi        RWX            Retain           Bound       default/data                  <unset>                          1s",
      "",
      "NAME                         STATUS   VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE",
      "persistentvolumeclaim/data   Bound    used     5Gi        RWX                           <unset>                 1s",
      "",
    ].join("\n"));
  });

  it("explains a Pending claim with the controller's events", () => {
    const lab = nfsLab();
    lab.internals.store.create(pv("tiny", "1Gi"));
    lab.internals.store.create(pvc("nothing", "1Gi", { storageClassName: "", selector: { matchLabels: { none: "x" } } }));
    lab.internals.store.create(pvc("noclass", "1Gi", { storageClassName: "fast" }));
    lab.internals.store.create(pvc("named", "5Gi", { volumeName: "tiny", storageClassName: "" }));
    settle(lab);
    expect(events(lab, "nothing")).toEqual(["Normal FailedBinding no persistent volumes available for this claim and no storage class is set"]);
    expect(events(lab, "noclass")).toEqual(['Warning ProvisioningFailed storageclass.storage.k8s.io "fast" not found']);
    expect(events(lab, "named")).toEqual(['Warning VolumeMismatch Cannot bind to requested volume "tiny": requested PV is too small']);
    // The controller's resync every 15 s says it again.
    settle(lab, 15_000);
    expect(lab.internals.store.list<Event>("Event", { namespace: "default" }).find((e) => e.involvedObject?.name === "nothing")?.count).toBe(2);
  });

  it("waits for a consumer under WaitForFirstConsumer, then binds", () => {
    const lab = nfsLab();
    const store = lab.internals.store;
    store.create<StorageClass>({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "local" }, provisioner: "kubernetes.io/no-provisioner", volumeBindingMode: "WaitForFirstConsumer" });
    store.create(pv("local-pv", "5Gi", { storageClassName: "local" }));
    store.create(pvc("c", "1Gi", { storageClassName: "local" }));
    settle(lab);
    expect(claim(lab, "c").status?.phase).toBe("Pending");
    expect(events(lab, "c")).toEqual(["Normal WaitForFirstConsumer waiting for first consumer to be created before binding"]);
    store.create<Pod>({ apiVersion: "v1", kind: "Pod", metadata: { name: "user", namespace: "default" }, spec: { containers: [{ name: "c", image: "busybox:1.36", command: ["sleep", "infinity"] }], volumes: [{ name: "d", persistentVolumeClaim: { claimName: "c" } }] } });
    settle(lab, 5_000);
    expect(claim(lab, "c")).toMatchObject({ spec: { volumeName: "local-pv" }, status: { phase: "Bound" } });
    expect(claim(lab, "c").metadata.annotations?.["volume.kubernetes.io/selected-node"]).toMatch(/^node0[12]$/);
  });
});

describe("reclaiming", () => {
  it("keeps a Retain volume Released, bound to no new claim, until its claimRef is cleared", () => {
    const lab = nfsLab();
    const store = lab.internals.store;
    store.create(pv("keep", "1Gi", { persistentVolumeReclaimPolicy: "Retain" }));
    store.create(pvc("c", "1Gi", { storageClassName: "" }));
    settle(lab);
    store.delete("PersistentVolumeClaim", "default", "c");
    settle(lab);
    expect(volume(lab, "keep")?.status?.phase).toBe("Released");
    store.create(pvc("c", "1Gi", { storageClassName: "" }));
    settle(lab);
    expect(claim(lab, "c").status?.phase).toBe("Pending");
    // The administrator frees it by hand.
    const released = volume(lab, "keep")!;
    store.update<PersistentVolume>({ ...released, spec: { ...released.spec, claimRef: undefined } });
    settle(lab, 15_000);
    expect(claim(lab, "c")).toMatchObject({ spec: { volumeName: "keep" }, status: { phase: "Bound" } });
  });

  it("fails a Delete volume no plugin can delete", () => {
    const lab = nfsLab();
    const store = lab.internals.store;
    store.create(pv("gone", "1Gi", { persistentVolumeReclaimPolicy: "Delete" }));
    store.create(pvc("c", "1Gi", { storageClassName: "" }));
    settle(lab);
    store.delete("PersistentVolumeClaim", "default", "c");
    settle(lab);
    const message = 'error getting deleter volume plugin for volume "gone": no deletable volume plugin matched';
    expect(volume(lab, "gone")?.status).toEqual({ phase: "Failed", message });
    expect(events(lab, "gone")).toEqual([`Warning VolumeFailedDelete ${message}`]);
  });

  it("marks a bound claim Lost when its volume disappears", () => {
    const lab = nfsLab();
    lab.internals.store.create(pv("v", "1Gi"));
    lab.internals.store.create(pvc("c", "1Gi", { storageClassName: "" }));
    settle(lab);
    lab.internals.store.delete("PersistentVolume", undefined, "v");
    settle(lab);
    expect(claim(lab, "c").status?.phase).toBe("Lost");
    expect(events(lab, "c")).toContain("Warning ClaimLost Bound claim has lost its PersistentVolume. Data on the volume is lost!");
  });
});

describe("the nfs-client StorageClass", () => {
  const claimYaml = (name: string, cls = "nfs-client") => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: ${name} }
spec:
  storageClassName: ${cls}
  accessModes: [ReadWriteMany]
  resources: { requests: { storage: 2Gi } }
`;

  it("provisions a directory on the export and a volume bound to the claim", async () => {
    const lab = nfsLab();
    const sh = lab.shell();
    await sh.run(apply(claimYaml("data")));
    await sh.run("sleep 2");
    const c = claim(lab, "data");
    const pvName = `pvc-${c.metadata.uid}`;
    expect(c).toMatchObject({ spec: { volumeName: pvName }, status: { phase: "Bound", capacity: { storage: "2Gi" } } });
    const v = volume(lab, pvName)!;
    expect(v.spec).toMatchObject({ storageClassName: "nfs-client", persistentVolumeReclaimPolicy: "Delete", accessModes: ["ReadWriteMany"], nfs: { server: "172.30.1.50", path: `/srv/nfs/kubernetes/default-data-${pvName}` } });
    expect(v.metadata.annotations?.["pv.kubernetes.io/provisioned-by"]).toBe("cluster.local/nfs-subdir-external-provisioner");
    expect(events(lab, "data").slice(-2)).toEqual([
      'Normal Provisioning External provisioner is provisioning volume for claim "default/data"',
      `Normal ProvisioningSucceeded Successfully provisioned volume ${pvName}`,
    ]);
    expect(events(lab, "data")[0]).toBe("Normal ExternalProvisioning Waiting for a volume to be created either by the external provisioner 'cluster.local/nfs-subdir-external-provisioner' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.");
    expect((await sh.run("ssh nfs-server ls /srv/nfs/kubernetes")).stdout).toBe(`default-data-${pvName}\n`);
  });

  it("archives the directory when the claim goes (archiveOnDelete), or removes it when told not to archive", async () => {
    const lab = nfsLab();
    const sh = lab.shell();
    const server = nfsServer(lab.internals.network)!.fs!;
    await sh.run(apply(claimYaml("data")));
    await sh.run(apply(`apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: nfs-scratch }
provisioner: cluster.local/nfs-subdir-external-provisioner
parameters: { archiveOnDelete: "false" }
`));
    await sh.run(apply(claimYaml("scratch", "nfs-scratch")));
    await sh.run("sleep 2");
    const dataPv = claim(lab, "data").spec.volumeName!;
    server.writeFile(`/srv/nfs/kubernetes/default-data-${dataPv}/keep.txt`, "data\n");
    await sh.run("kubectl delete pvc data scratch");
    await sh.run("sleep 2");
    expect((await sh.run("kubectl get pv")).stderr).toBe("No resources found\n");
    expect(server.list("/srv/nfs/kubernetes")).toEqual([`archived-default-data-${dataPv}`]);
    expect(server.readFile(`/srv/nfs/kubernetes/archived-default-data-${dataPv}/keep.txt`)).toBe("data\n");
  });
});
