import { describe, expect, it } from "vitest";
import { imageTag, type KubeObject } from "@/lib/engine/api";
import { deployment, newCluster, pod } from "./helpers";

/** Creates `obj` in a fresh cluster and returns what was stored. */
function created(obj: KubeObject): Record<string, unknown> {
  return newCluster().store.create(obj) as unknown as Record<string, unknown>;
}

// What a v1.32 apiserver stores for the same input (compare `kubectl get -o yaml` of a fresh object).
const DEFAULT_CONTAINER = {
  name: "app",
  image: "nginx:1.27",
  imagePullPolicy: "IfNotPresent",
  resources: {},
  terminationMessagePath: "/dev/termination-log",
  terminationMessagePolicy: "File",
};
const DEFAULT_POD_SPEC = {
  containers: [DEFAULT_CONTAINER],
  dnsPolicy: "ClusterFirst",
  restartPolicy: "Always",
  schedulerName: "default-scheduler",
  securityContext: {},
  terminationGracePeriodSeconds: 30,
};

describe("defaulting", () => {
  it("Deployment", () => {
    const d = created(deployment("web"));
    expect(d.spec).toEqual({
      progressDeadlineSeconds: 600,
      replicas: 1,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: "web" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      template: { metadata: { creationTimestamp: null, labels: { app: "web" } }, spec: DEFAULT_POD_SPEC },
    });
    expect(d.status).toEqual({});
  });

  it("Deployment with Recreate gets no rollingUpdate", () => {
    const d = created(deployment("web", { strategy: { type: "Recreate" } })) as { spec: { strategy: unknown } };
    expect(d.spec.strategy).toEqual({ type: "Recreate" });
  });

  it("Pod: spec defaults, admission and status", () => {
    const p = created(pod("web", { spec: { containers: [{ name: "app", image: "nginx:1.27", ports: [{ containerPort: 80 }], resources: { limits: { cpu: "1", memory: "1Gi" } } }] } })) as {
      spec: Record<string, unknown> & { containers: Record<string, unknown>[]; volumes: { name: string }[] };
      status: unknown;
    };
    const c = p.spec.containers[0];
    expect(c.ports).toEqual([{ containerPort: 80, protocol: "TCP" }]);
    expect(c.resources).toEqual({ limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "1", memory: "1Gi" } });
    expect(c.volumeMounts).toEqual([{ name: p.spec.volumes[0].name, readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }]);
    expect(p.spec.volumes[0].name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(p.spec).toMatchObject({
      dnsPolicy: "ClusterFirst",
      enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority",
      priority: 0,
      restartPolicy: "Always",
      schedulerName: "default-scheduler",
      securityContext: {},
      serviceAccount: "default",
      serviceAccountName: "default",
      terminationGracePeriodSeconds: 30,
      tolerations: [
        { effect: "NoExecute", key: "node.kubernetes.io/not-ready", operator: "Exists", tolerationSeconds: 300 },
        { effect: "NoExecute", key: "node.kubernetes.io/unreachable", operator: "Exists", tolerationSeconds: 300 },
      ],
    });
    expect(p.status).toEqual({ phase: "Pending", qosClass: "Guaranteed" });
  });

  it("Pod keeps its own tolerations and automount opt-out", () => {
    const p = created(pod("web", {
      spec: { automountServiceAccountToken: false, tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" }] },
    })) as { spec: { tolerations: unknown[]; volumes?: unknown[] } };
    expect(p.spec.tolerations).toHaveLength(2);
    expect(p.spec.volumes).toBeUndefined();
  });

  it("Pod QoS classes", () => {
    const qos = (resources: object) => (created(pod("p", { spec: { containers: [{ name: "a", image: "x:1", resources }] } })) as { status: { qosClass: string } }).status.qosClass;
    expect(qos({})).toBe("BestEffort");
    expect(qos({ requests: { cpu: "100m" } })).toBe("Burstable");
    expect(qos({ limits: { cpu: "1", memory: "1Gi" } })).toBe("Guaranteed");
  });

  it("Service (ClusterIP)", () => {
    const s = created({ apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }] } }) as { spec: Record<string, unknown>; status: unknown };
    expect(s.spec).toEqual({
      clusterIP: s.spec.clusterIP,
      clusterIPs: [s.spec.clusterIP],
      internalTrafficPolicy: "Cluster",
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      ports: [{ port: 80, protocol: "TCP", targetPort: 80 }],
      selector: { app: "web" },
      sessionAffinity: "None",
      type: "ClusterIP",
    });
    expect(s.status).toEqual({ loadBalancer: {} });
  });

  it("Service (NodePort, ClientIP affinity, named targetPort)", () => {
    const s = created({
      apiVersion: "v1", kind: "Service", metadata: { name: "web" },
      spec: { type: "NodePort", sessionAffinity: "ClientIP", ports: [{ port: 80, targetPort: "http" }] },
    }) as { spec: Record<string, unknown> & { ports: { nodePort: number; targetPort: unknown }[] } };
    expect(s.spec.externalTrafficPolicy).toBe("Cluster");
    expect(s.spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    expect(s.spec.ports[0].targetPort).toBe("http");
    expect(s.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
  });

  it("ReplicaSet, ReplicationController and DaemonSet", () => {
    const template = { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "app", image: "nginx:1.27" }] } };
    const rs = created({ apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "rs" }, spec: { selector: { matchLabels: { app: "x" } }, template } }) as { spec: { replicas: number } };
    expect(rs.spec.replicas).toBe(1);
    const rc = created({ apiVersion: "v1", kind: "ReplicationController", metadata: { name: "rc" }, spec: { template } }) as { spec: { selector: unknown; replicas: number }; metadata: { labels: unknown } };
    expect(rc.spec.selector).toEqual({ app: "x" });
    expect(rc.metadata.labels).toEqual({ app: "x" });
    expect(rc.spec.replicas).toBe(1);
    const ds = created({ apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "ds" }, spec: { selector: { matchLabels: { app: "x" } }, template } }) as { spec: Record<string, unknown> };
    expect(ds.spec.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(ds.spec.revisionHistoryLimit).toBe(10);
  });

  it("Secret folds stringData into base64 data and defaults the type", () => {
    const s = created({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { a: "eA==" }, stringData: { pw: "héllo" } }) as Record<string, unknown>;
    expect(s.data).toEqual({ a: "eA==", pw: "aMOpbGxv" });
    expect(s.stringData).toBeUndefined();
    expect(s.type).toBe("Opaque");
  });

  it("Namespace gets its name label, finalizer and phase", () => {
    const ns = created({ apiVersion: "v1", kind: "Namespace", metadata: { name: "dev" } }) as Record<string, unknown> & { metadata: { labels: unknown } };
    expect(ns.metadata.labels).toEqual({ "kubernetes.io/metadata.name": "dev" });
    expect(ns.spec).toEqual({ finalizers: ["kubernetes"] });
    expect(ns.status).toEqual({ phase: "Active" });
  });

  it("NetworkPolicy policyTypes and port protocols", () => {
    const np = (spec: object) => (created({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "np" }, spec }) as { spec: Record<string, unknown> }).spec;
    expect(np({ podSelector: {} }).policyTypes).toEqual(["Ingress"]);
    const both = np({ podSelector: {}, egress: [{ ports: [{ port: 53 }] }] });
    expect(both.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(both.egress).toEqual([{ ports: [{ port: 53, protocol: "TCP" }] }]);
  });

  it("storage kinds", () => {
    const pv = created({ apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pv" }, spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/data" } } }) as { spec: Record<string, unknown>; status: unknown };
    expect(pv.spec).toMatchObject({ persistentVolumeReclaimPolicy: "Retain", volumeMode: "Filesystem" });
    expect(pv.status).toEqual({ phase: "Pending" });
    const pvc = created({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "c" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }) as { spec: Record<string, unknown>; status: unknown };
    expect(pvc.spec.volumeMode).toBe("Filesystem");
    expect(pvc.status).toEqual({ phase: "Pending" });
    const sc = created({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "std" }, provisioner: "example.com/nfs" }) as Record<string, unknown>;
    expect(sc).toMatchObject({ reclaimPolicy: "Delete", volumeBindingMode: "Immediate" });
  });
});

describe("image pull policy from the image reference", () => {
  const cases: [string, string][] = [
    ["nginx", "latest"],
    ["nginx:latest", "latest"],
    ["nginx:1.27", "1.27"],
    ["registry.local:5000/team/app", "latest"],
    ["registry.local:5000/team/app:v2", "v2"],
    ["nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", ""],
    ["nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "latest"],
    ["Nginx", ""],
    ["nginx:", ""],
  ];
  it.each(cases)("%s has tag %j", (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });

  it("defaults Always only for latest", () => {
    const policy = (image: string) =>
      (created(pod("p", { spec: { containers: [{ name: "a", image }] } })) as { spec: { containers: { imagePullPolicy: string }[] } }).spec.containers[0].imagePullPolicy;
    expect(policy("busybox")).toBe("Always");
    expect(policy("busybox:1.36")).toBe("IfNotPresent");
  });
});
