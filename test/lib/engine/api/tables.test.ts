import { describe, expect, it } from "vitest";
import { RESOURCES, formatTable, renderTable, type KubeObject, type Pod, type Table } from "@/lib/engine/api";

const NOW = Date.UTC(2026, 0, 12, 10, 0, 0);
const ago = (ms: number) => new Date(NOW - ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: "default", creationTimestamp: ago(5 * 60_000), ...extra });

describe("columns", () => {
  // printers.go column definitions (names as upstream spells them; kubectl upper-cases them).
  const expected: Record<string, [string[], string[]]> = {
    Pod: [["Name", "Ready", "Status", "Restarts", "Age"], ["IP", "Node", "Nominated Node", "Readiness Gates"]],
    Service: [["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age"], ["Selector"]],
    Deployment: [["Name", "Ready", "Up-to-date", "Available", "Age"], ["Containers", "Images", "Selector"]],
    ReplicaSet: [["Name", "Desired", "Current", "Ready", "Age"], ["Containers", "Images", "Selector"]],
    ReplicationController: [["Name", "Desired", "Current", "Ready", "Age"], ["Containers", "Images", "Selector"]],
    DaemonSet: [["Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector", "Age"], ["Containers", "Images", "Selector"]],
    Node: [["Name", "Status", "Roles", "Age", "Version"], ["Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"]],
    Event: [["Last Seen", "Type", "Reason", "Object", "Message"], ["Subobject", "Source", "First Seen", "Count", "Name"]],
    Namespace: [["Name", "Status", "Age"], []],
    Endpoints: [["Name", "Endpoints", "Age"], []],
    EndpointSlice: [["Name", "AddressType", "Ports", "Endpoints", "Age"], []],
    ConfigMap: [["Name", "Data", "Age"], []],
    Secret: [["Name", "Type", "Data", "Age"], []],
    ServiceAccount: [["Name", "Secrets", "Age"], []],
    Ingress: [["Name", "Class", "Hosts", "Address", "Ports", "Age"], []],
    IngressClass: [["Name", "Controller", "Parameters", "Age"], []],
    NetworkPolicy: [["Name", "Pod-Selector", "Age"], []],
    PersistentVolume: [["Name", "Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim", "StorageClass", "VolumeAttributesClass", "Reason", "Age"], ["VolumeMode"]],
    PersistentVolumeClaim: [["Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass", "VolumeAttributesClass", "Age"], ["VolumeMode"]],
    StorageClass: [["Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode", "AllowVolumeExpansion", "Age"], []],
    Role: [["Name", "Created At"], []],
    ClusterRole: [["Name", "Created At"], []],
    RoleBinding: [["Name", "Role", "Age"], ["Users", "Groups", "ServiceAccounts"]],
    ClusterRoleBinding: [["Name", "Role", "Age"], ["Users", "Groups", "ServiceAccounts"]],
    Lease: [["Name", "Holder", "Age"], []],
    PeerAuthentication: [["Name", "Mode", "Age"], []],
    AuthorizationPolicy: [["Name", "Action", "Age"], []],
  };

  it("covers every served kind", () => {
    expect(Object.keys(expected).sort()).toEqual(RESOURCES.map((r) => r.kind).sort());
  });

  it.each(Object.entries(expected))("%s", (kind, [normal, wideOnly]) => {
    const names = (wide: boolean) => renderTable(kind, [], { now: NOW, wide }).columns.map((c) => c.name);
    expect(names(false)).toEqual(normal);
    const wide = names(true);
    expect(wide.filter((n) => !normal.includes(n) || wideOnly.includes(n))).toEqual(wideOnly);
    expect(wide).toHaveLength(normal.length + wideOnly.length);
  });
});

function podRow(p: Partial<Pod> & { status?: Pod["status"] }, wide = false): (string | number | boolean | null)[] {
  const full = { apiVersion: "v1", kind: "Pod", metadata: meta("p"), spec: { containers: [{ name: "app" }] }, ...p } as Pod;
  return [...renderTable("Pod", [full], { now: NOW, wide }).rows[0].cells];
}

const running = { running: { startedAt: ago(60_000) } };
const cs = (state: object, extra: object = {}) => ({ name: "app", ready: false, restartCount: 0, image: "nginx", imageID: "", state, ...extra });

describe("pod STATUS, READY and RESTARTS", () => {
  const cases: [string, Partial<Pod>, [string, string, string]][] = [
    ["pending", { status: { phase: "Pending" } }, ["0/1", "Pending", "0"]],
    ["container creating", { status: { phase: "Pending", containerStatuses: [cs({ waiting: { reason: "ContainerCreating" } })] } }, ["0/1", "ContainerCreating", "0"]],
    ["running and ready", { status: { phase: "Running", containerStatuses: [cs(running, { ready: true })] } }, ["1/1", "Running", "0"]],
    ["image pull backoff", { status: { phase: "Pending", containerStatuses: [cs({ waiting: { reason: "ImagePullBackOff" } })] } }, ["0/1", "ImagePullBackOff", "0"]],
    ["err image pull", { status: { phase: "Pending", containerStatuses: [cs({ waiting: { reason: "ErrImagePull" } })] } }, ["0/1", "ErrImagePull", "0"]],
    ["crash loop with last restart", {
      status: { phase: "Running", containerStatuses: [cs({ waiting: { reason: "CrashLoopBackOff" } }, {
        restartCount: 5, lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(125_000) } },
      })] },
    }, ["0/1", "CrashLoopBackOff", "5 (2m5s ago)"]],
    ["completed", { status: { phase: "Succeeded", containerStatuses: [cs({ terminated: { exitCode: 0, reason: "Completed" } })] } }, ["0/1", "Completed", "0"]],
    ["error", { status: { phase: "Failed", containerStatuses: [cs({ terminated: { exitCode: 1, reason: "Error" } })] } }, ["0/1", "Error", "0"]],
    ["exit code", { status: { phase: "Failed", containerStatuses: [cs({ terminated: { exitCode: 137 } })] } }, ["0/1", "ExitCode:137", "0"]],
    ["signal", { status: { phase: "Failed", containerStatuses: [cs({ terminated: { exitCode: 0, signal: 9 } })] } }, ["0/1", "Signal:9", "0"]],
    ["evicted", { status: { phase: "Failed", reason: "Evicted" } }, ["0/1", "Evicted", "0"]],
    ["init running", {
      spec: { containers: [{ name: "app" }], initContainers: [{ name: "init" }] },
      status: { phase: "Pending", initContainerStatuses: [{ ...cs(running), name: "init" }], containerStatuses: [cs({ waiting: { reason: "PodInitializing" } })] },
    }, ["0/1", "Init:0/1", "0"]],
    ["init waiting for another reason", {
      spec: { containers: [{ name: "app" }], initContainers: [{ name: "a" }, { name: "b" }] },
      status: { phase: "Pending", initContainerStatuses: [
        { ...cs({ terminated: { exitCode: 0, reason: "Completed" } }), name: "a" },
        { ...cs({ waiting: { reason: "CrashLoopBackOff" } }, { restartCount: 3 }), name: "b" },
      ] },
    }, ["0/1", "Init:CrashLoopBackOff", "3"]],
    ["init failed", {
      spec: { containers: [{ name: "app" }], initContainers: [{ name: "a" }] },
      status: { phase: "Pending", initContainerStatuses: [{ ...cs({ terminated: { exitCode: 2, reason: "Error" } }), name: "a" }] },
    }, ["0/1", "Init:Error", "0"]],
    ["sidecar started counts as ready", {
      spec: { containers: [{ name: "app" }], initContainers: [{ name: "proxy", restartPolicy: "Always" }] },
      status: { phase: "Running", conditions: [{ type: "Initialized", status: "True" }],
        initContainerStatuses: [{ ...cs(running, { ready: true, started: true }), name: "proxy" }],
        containerStatuses: [cs(running, { ready: true })] },
    }, ["2/2", "Running", "0"]],
    ["completed container while another runs, pod ready", {
      spec: { containers: [{ name: "a" }, { name: "b" }] },
      status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }], containerStatuses: [
        { ...cs(running, { ready: true }), name: "a" }, { ...cs({ terminated: { exitCode: 0, reason: "Completed" } }), name: "b" },
      ] },
    }, ["1/2", "Running", "0"]],
    ["completed container while another runs, pod not ready", {
      spec: { containers: [{ name: "a" }, { name: "b" }] },
      status: { phase: "Running", containerStatuses: [
        { ...cs(running, { ready: true }), name: "a" }, { ...cs({ terminated: { exitCode: 0, reason: "Completed" } }), name: "b" },
      ] },
    }, ["1/2", "NotReady", "0"]],
    ["terminating", { metadata: meta("p", { deletionTimestamp: ago(-30_000) }), status: { phase: "Running", containerStatuses: [cs(running, { ready: true })] } }, ["1/1", "Terminating", "0"]],
    ["node lost", { metadata: meta("p", { deletionTimestamp: ago(0) }), status: { phase: "Running", reason: "NodeLost" } }, ["0/1", "Unknown", "0"]],
    ["scheduling gated", { status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }] } }, ["0/1", "SchedulingGated", "0"]],
  ];
  it.each(cases)("%s", (_name, p, [ready, status, restarts]) => {
    const row = podRow(p);
    expect(row.slice(1, 4)).toEqual([ready, status, restarts]);
    expect(row[4]).toBe("5m");
  });

  it("fills the wide columns", () => {
    expect(podRow({ spec: { containers: [{ name: "app" }], nodeName: "node-1", readinessGates: [{ conditionType: "a" }, { conditionType: "b" }] },
      status: { phase: "Running", podIPs: [{ ip: "10.244.1.5" }], conditions: [{ type: "a", status: "True" }] } }, true).slice(5))
      .toEqual(["10.244.1.5", "node-1", "<none>", "1/2"]);
    expect(podRow({ status: { phase: "Pending" } }, true).slice(5)).toEqual(["<none>", "<none>", "<none>", "<none>"]);
  });
});

const cells = (kind: string, obj: KubeObject, wide = true) => [...renderTable(kind, [obj], { now: NOW, wide }).rows[0].cells];

describe("cells", () => {
  it("services", () => {
    const s = (spec: object, status: object = {}) => cells("Service", { apiVersion: "v1", kind: "Service", metadata: meta("web"), spec, status });
    expect(s({ type: "ClusterIP", clusterIPs: ["10.96.3.4"], ports: [{ port: 80, protocol: "TCP" }], selector: { app: "web" } }))
      .toEqual(["web", "ClusterIP", "10.96.3.4", "<none>", "80/TCP", "5m", "app=web"]);
    expect(s({ type: "NodePort", clusterIPs: ["10.96.3.4"], ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }, { port: 53, nodePort: 30053, protocol: "UDP" }] }).slice(1, 5))
      .toEqual(["NodePort", "10.96.3.4", "<none>", "80:30080/TCP,53:30053/UDP"]);
    expect(s({ type: "LoadBalancer", clusterIPs: ["10.96.3.4"], ports: [{ port: 80, nodePort: 31000, protocol: "TCP" }] })[3]).toBe("<pending>");
    expect(s({ type: "LoadBalancer", clusterIPs: ["10.96.3.4"], ports: [] }, { loadBalancer: { ingress: [{ ip: "203.0.113.10" }] } }).slice(3, 5)).toEqual(["203.0.113.10", "<none>"]);
    expect(s({ type: "ExternalName", externalName: "db.example.com" }).slice(1, 5)).toEqual(["ExternalName", "<none>", "db.example.com", "<none>"]);
    expect(s({ type: "ClusterIP", clusterIPs: ["None"], ports: [] })[2]).toBe("None");
  });

  it("deployments and replica sets", () => {
    const d = { apiVersion: "apps/v1", kind: "Deployment", metadata: meta("web"),
      spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: { spec: { containers: [{ name: "a", image: "nginx:1.27" }, { name: "b", image: "busybox" }] } } },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
    expect(cells("Deployment", d)).toEqual(["web", "2/3", 3, 2, "5m", "a,b", "nginx:1.27,busybox", "app=web"]);
    const rs = { ...d, kind: "ReplicaSet", status: { replicas: 3, readyReplicas: 1 } };
    expect(cells("ReplicaSet", rs)).toEqual(["web", 3, 3, 1, "5m", "a,b", "nginx:1.27,busybox", "app=web"]);
  });

  it("nodes", () => {
    const n = { apiVersion: "v1", kind: "Node", metadata: { ...meta("cp"), namespace: undefined, labels: { "node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "master" } },
      spec: { unschedulable: true },
      status: { conditions: [{ type: "Ready", status: "False" }], nodeInfo: { kubeletVersion: "v1.32.4", containerRuntimeVersion: "containerd://1.7.24" },
        addresses: [{ type: "InternalIP", address: "172.18.0.2" }] } };
    expect(cells("Node", n)).toEqual(["cp", "NotReady,SchedulingDisabled", "control-plane,master", "5m", "v1.32.4", "172.18.0.2", "<none>", "<unknown>", "<unknown>", "containerd://1.7.24"]);
  });

  it("events", () => {
    const e = { apiVersion: "v1", kind: "Event", metadata: meta("web.17e2"), involvedObject: { kind: "Pod", name: "web", namespace: "default" },
      reason: "Scheduled", type: "Normal", message: "Successfully assigned default/web to node-1\n", source: { component: "default-scheduler" }, firstTimestamp: ago(12_000) };
    expect(cells("Event", e)).toEqual(["12s", "Normal", "Scheduled", "pod/web", "", "default-scheduler", "Successfully assigned default/web to node-1", "12s", 1, "web.17e2"]);
    expect(cells("Event", e, false)).toEqual(["12s", "Normal", "Scheduled", "pod/web", "Successfully assigned default/web to node-1"]);
  });

  it("endpoints and slices", () => {
    const addrs = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"].map((ip) => ({ ip }));
    const ep = (subsets: object[]) => cells("Endpoints", { apiVersion: "v1", kind: "Endpoints", metadata: meta("web"), subsets })[1];
    expect(ep([])).toBe("<none>");
    expect(ep([{ addresses: addrs.slice(0, 2), ports: [{ port: 80 }] }])).toBe("10.0.0.1:80,10.0.0.2:80");
    expect(ep([{ addresses: addrs, ports: [{ port: 80 }] }])).toBe("10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...");
    const slice = { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: meta("web-abc"), addressType: "IPv4", ports: [{ port: 80 }], endpoints: [{ addresses: ["10.0.0.1"] }] };
    expect(cells("EndpointSlice", slice)).toEqual(["web-abc", "IPv4", "80", "10.0.0.1", "5m"]);
    expect(cells("EndpointSlice", { ...slice, ports: [], endpoints: [] }).slice(2, 4)).toEqual(["<unset>", "<unset>"]);
  });

  it("rbac, storage and mesh", () => {
    const rb = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: meta("read"), roleRef: { kind: "ClusterRole", name: "view" },
      subjects: [{ kind: "User", name: "jane" }, { kind: "ServiceAccount", name: "ci", namespace: "tools" }] };
    expect(cells("RoleBinding", rb)).toEqual(["read", "ClusterRole/view", "5m", "jane", "", "tools/ci"]);
    expect(cells("Role", { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: meta("r") })).toEqual(["r", ago(5 * 60_000)]);
    const sc = { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { ...meta("std"), annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }, provisioner: "rancher.io/local-path" };
    expect(cells("StorageClass", sc)).toEqual(["std (default)", "rancher.io/local-path", "Delete", "Immediate", false, "5m"]);
    expect(cells("PeerAuthentication", { apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: meta("default") })).toEqual(["default", null, "5m"]);
    expect(cells("AuthorizationPolicy", { apiVersion: "security.istio.io/v1", kind: "AuthorizationPolicy", metadata: meta("web"), spec: { action: "DENY" } })).toEqual(["web", "DENY", "5m"]);
  });
});

describe("formatTable", () => {
  const table: Table = {
    columns: [{ name: "Name", type: "string", priority: 0 }, { name: "Ready", type: "string", priority: 0 }, { name: "Restarts", type: "integer", priority: 0 }, { name: "Age", type: "string", priority: 0 }],
    rows: [
      { cells: ["web-7d4b9c", "1/1", 0, "5m"], object: { apiVersion: "v1", kind: "Pod", metadata: { name: "web-7d4b9c", namespace: "default", labels: { app: "web" } } } },
      { cells: ["db", "0/1", 12, "47h"], object: { apiVersion: "v1", kind: "Pod", metadata: { name: "db", namespace: "kube-system" } } },
    ],
  };

  it("pads every column but the last by 3 and upper-cases headers", () => {
    expect(formatTable(table)).toBe(
      "NAME         READY   RESTARTS   AGE\n" +
      "web-7d4b9c   1/1     0          5m\n" +
      "db           0/1     12         47h\n",
    );
  });

  it("adds NAMESPACE, kind prefixes, label columns and --show-labels", () => {
    expect(formatTable(table, { withNamespace: true, kindPrefix: "pod", labelColumns: ["example.com/app"], showLabels: true, noHeaders: false })).toBe(
      "NAMESPACE     NAME             READY   RESTARTS   AGE   APP   LABELS\n" +
      "default       pod/web-7d4b9c   1/1     0          5m          app=web\n" +
      "kube-system   pod/db           0/1     12         47h         <none>\n",
    );
  });

  it("keeps a minimum width of 6 and cuts cells at line breaks", () => {
    const t: Table = {
      columns: [{ name: "A", type: "string", priority: 0 }, { name: "B", type: "string", priority: 0 }],
      rows: [{ cells: [null, "line one\nline two"], object: { apiVersion: "v1", kind: "Pod", metadata: { name: "x" } } }],
    };
    expect(formatTable(t, { noHeaders: true })).toBe("      line one...\n");
    expect(formatTable(t)).toBe("A     B\n      line one...\n");
  });
});
