/**
 * `kubectl describe` layouts for the states lessons show: pods that are being created,
 * running, crash-looping and terminating, a NodePort Service with endpoints, a node with its
 * lease and pods, a Deployment with its ReplicaSet and events, and a few simpler kinds.
 * Expected texts follow describe.go (v1.32) line by line, with Go's tabwriter alignment.
 */
import { describe, expect, it } from "vitest";
import type { Deployment, Node, ObjectStore, Pod, ReplicaSet } from "@/lib/engine/api";
import type { VirtualClock } from "@/lib/engine/util/clock";
import { describeObject } from "@/lib/engine/kubectl/describe";
import { smartLabel } from "@/lib/engine/kubectl/describe/generic";
import { createPod, newCluster, recordEvent, setStatus } from "./fixtures";

/** The pod conditions the kubelet sets, Ready or not; `conditionsTable` is how describe prints them. */
const conditions = (ready: "True" | "False") =>
  ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"].map((type) => ({
    type, status: type === "Initialized" || type === "PodScheduled" ? "True" : ready,
  }));
const conditionsTable = (ready: "True" | "False") =>
  ["Conditions:", "  Type                        Status", ...conditions(ready).map(({ type, status }) => `  ${type.padEnd(28)}${status} `), ""].join("\n");

/**
 * Every pod here gets the projected service-account token volume and the default not-ready and
 * unreachable tolerations (admission adds them), and most carry `conditions(ready)`: those blocks
 * are checked here, exactly, and stand as one line each in the snapshots below, so each test
 * shows what its own state changes.
 */
function describePod(store: ObjectStore, clock: VirtualClock, name: string): string {
  const text = describeObject(store, store.get("Pod", "default", name), { now: clock.now() });
  const qos = /^QoS Class: +(\S+)$/m.exec(text)?.[1] ?? "";
  const block = [
    "Volumes:",
    "  kube-api-access-5r9g7:",
    "    Type:                    Projected (a volume that contains injected data from multiple sources)",
    "    TokenExpirationSeconds:  3607",
    "    ConfigMapName:           kube-root-ca.crt",
    "    ConfigMapOptional:       <nil>",
    "    DownwardAPI:             true",
    `QoS Class:                   ${qos}`,
    "Node-Selectors:              <none>",
    "Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
    "                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s",
    "",
  ].join("\n");
  expect(text).toContain(block);
  let shown = text.replace(block, `[kube-api-access volume, QoS Class: ${qos}, default tolerations]\n`);
  for (const ready of ["True", "False"] as const) shown = shown.replace(conditionsTable(ready), `[conditions(${ready})]\n`);
  return shown;
}

describe("describe pod", () => {
  it("ContainerCreating", () => {
    const { store, clock } = newCluster();
    const pod = createPod(store, "pending");
    setStatus(store, pod, {
      phase: "Pending", hostIP: "172.18.0.3", startTime: clock.rfc3339(), qosClass: "BestEffort", conditions: conditions("False"),
      containerStatuses: [{ name: "nginx", ready: false, restartCount: 0, image: "nginx:1.27", imageID: "", started: false, state: { waiting: { reason: "ContainerCreating" } } }],
    });
    recordEvent(store, clock, pod, { reason: "Scheduled", message: "Successfully assigned default/pending to node-1", from: "default-scheduler" });
    clock.advance(3000);
    expect(describePod(store, clock, "pending")).toMatchInlineSnapshot(`
      "Name:             pending
      Namespace:        default
      Priority:         0
      Service Account:  default
      Node:             node-1/172.18.0.3
      Start Time:       Mon, 12 Jan 2026 09:00:00 +0000
      Labels:           app=pending
      Annotations:      <none>
      Status:           Pending
      IP:               
      IPs:              <none>
      Containers:
        nginx:
          Container ID:   
          Image:          nginx:1.27
          Image ID:       
          Port:           80/TCP
          Host Port:      0/TCP
          State:          Waiting
            Reason:       ContainerCreating
          Ready:          False
          Restart Count:  0
          Environment:    <none>
          Mounts:
            /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-5r9g7 (ro)
      [conditions(False)]
      [kube-api-access volume, QoS Class: BestEffort, default tolerations]
      Events:
        Type    Reason     Age   From               Message
        ----    ------     ----  ----               -------
        Normal  Scheduled  3s    default-scheduler  Successfully assigned default/pending to node-1
      "
    `);
  });

  it("Running, controlled by a ReplicaSet", () => {
    const { store, clock } = newCluster();
    const pod = store.create<Pod>({
      apiVersion: "v1", kind: "Pod",
      metadata: {
        name: "web-7c5b9d8c6f-x2x4z", namespace: "default", labels: { app: "web", "pod-template-hash": "7c5b9d8c6f" },
        ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-7c5b9d8c6f", uid: "u1", controller: true }],
      },
      spec: { containers: [{ name: "nginx", image: "nginx:1.27", ports: [{ containerPort: 80, name: "http" }], readinessProbe: { tcpSocket: { port: 80 } } }], nodeName: "node-1" },
    });
    clock.advance(4000);
    setStatus(store, pod, {
      phase: "Running", hostIP: "172.18.0.3", podIP: "10.244.1.5", podIPs: [{ ip: "10.244.1.5" }], startTime: pod.metadata.creationTimestamp!,
      qosClass: "BestEffort", conditions: conditions("True"),
      containerStatuses: [{
        name: "nginx", ready: true, restartCount: 0, image: "docker.io/library/nginx:1.27", imageID: "docker.io/library/nginx@sha256:0b97", containerID: "containerd://4f1e",
        started: true, state: { running: { startedAt: clock.rfc3339() } },
      }],
    });
    recordEvent(store, clock, pod, { reason: "Started", message: "Started container nginx", from: "kubelet" });
    clock.advance(125_000);
    expect(describePod(store, clock, pod.metadata.name)).toMatchInlineSnapshot(`
      "Name:             web-7c5b9d8c6f-x2x4z
      Namespace:        default
      Priority:         0
      Service Account:  default
      Node:             node-1/172.18.0.3
      Start Time:       Mon, 12 Jan 2026 09:00:00 +0000
      Labels:           app=web
                        pod-template-hash=7c5b9d8c6f
      Annotations:      <none>
      Status:           Running
      IP:               10.244.1.5
      IPs:
        IP:           10.244.1.5
      Controlled By:  ReplicaSet/web-7c5b9d8c6f
      Containers:
        nginx:
          Container ID:   containerd://4f1e
          Image:          nginx:1.27
          Image ID:       docker.io/library/nginx@sha256:0b97
          Port:           80/TCP (http)
          Host Port:      0/TCP (http)
          State:          Running
            Started:      Mon, 12 Jan 2026 09:00:04 +0000
          Ready:          True
          Restart Count:  0
          Readiness:      tcp-socket :80 delay=0s timeout=1s period=10s #success=1 #failure=3
          Environment:    <none>
          Mounts:
            /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-5r9g7 (ro)
      [conditions(True)]
      [kube-api-access volume, QoS Class: BestEffort, default tolerations]
      Events:
        Type    Reason   Age   From     Message
        ----    ------   ----  ----     -------
        Normal  Started  2m5s  kubelet  Started container nginx
      "
    `);
  });

  it("CrashLoopBackOff with Last State, resources, probes and environment", () => {
    const { store, clock } = newCluster();
    const pod = createPod(store, "crash", {
      containers: [{
        name: "app", image: "busybox", command: ["sh", "-c", "exit 1"],
        env: [
          { name: "MODE", value: "debug" },
          { name: "NODE", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "spec.nodeName" } } },
          { name: "PASS", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
        ],
        resources: { limits: { cpu: "500m", memory: "128Mi" }, requests: { cpu: "250m", memory: "64Mi" } },
        livenessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 10 },
      }],
    });
    clock.advance(60_000);
    setStatus(store, pod, {
      phase: "Running", hostIP: "172.18.0.3", podIP: "10.244.1.7", podIPs: [{ ip: "10.244.1.7" }], startTime: pod.metadata.creationTimestamp!,
      qosClass: "Burstable", conditions: conditions("False"),
      containerStatuses: [{
        name: "app", ready: false, restartCount: 3, image: "docker.io/library/busybox:latest", imageID: "docker.io/library/busybox@sha256:1", containerID: "containerd://aa",
        started: false, state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 40s restarting failed container" } },
        lastState: { terminated: { exitCode: 1, reason: "Error", startedAt: clock.rfc3339(clock.now() - 20_000), finishedAt: clock.rfc3339(clock.now() - 19_000) } },
      }],
    });
    recordEvent(store, clock, pod, { reason: "BackOff", message: "Back-off restarting failed container app in pod crash_default", from: "kubelet", type: "Warning", count: 5, firstAgo: 50_000 });
    clock.advance(1000);
    expect(describePod(store, clock, "crash")).toMatchInlineSnapshot(`
      "Name:             crash
      Namespace:        default
      Priority:         0
      Service Account:  default
      Node:             node-1/172.18.0.3
      Start Time:       Mon, 12 Jan 2026 09:00:00 +0000
      Labels:           app=crash
      Annotations:      <none>
      Status:           Running
      IP:               10.244.1.7
      IPs:
        IP:  10.244.1.7
      Containers:
        app:
          Container ID:  containerd://aa
          Image:         busybox
          Image ID:      docker.io/library/busybox@sha256:1
          Port:          <none>
          Host Port:     <none>
          Command:
            sh
            -c
            exit 1
          State:          Waiting
            Reason:       CrashLoopBackOff
          Last State:     Terminated
            Reason:       Error
            Exit Code:    1
            Started:      Mon, 12 Jan 2026 09:00:40 +0000
            Finished:     Mon, 12 Jan 2026 09:00:41 +0000
          Ready:          False
          Restart Count:  3
          Limits:
            cpu:     500m
            memory:  128Mi
          Requests:
            cpu:     250m
            memory:  64Mi
          Liveness:  http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3
          Environment:
            MODE:  debug
            NODE:  node-1 (v1:spec.nodeName)
            PASS:  <set to the key 'password' in secret 'db'>  Optional: false
          Mounts:
            /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-5r9g7 (ro)
      [conditions(False)]
      [kube-api-access volume, QoS Class: Burstable, default tolerations]
      Events:
        Type     Reason   Age               From     Message
        ----     ------   ----              ----     -------
        Warning  BackOff  1s (x5 over 51s)  kubelet  Back-off restarting failed container app in pod crash_default
      "
    `);
  });

  it("Terminating", () => {
    const { store, clock } = newCluster();
    const pod = createPod(store, "going");
    setStatus(store, pod, { phase: "Running", hostIP: "172.18.0.3", podIP: "10.244.1.8", podIPs: [{ ip: "10.244.1.8" }], startTime: clock.rfc3339(), qosClass: "BestEffort" });
    store.delete("Pod", "default", "going");
    clock.advance(2000);
    expect(describePod(store, clock, "going")).toMatchInlineSnapshot(`
      "Name:                      going
      Namespace:                 default
      Priority:                  0
      Service Account:           default
      Node:                      node-1/172.18.0.3
      Start Time:                Mon, 12 Jan 2026 09:00:00 +0000
      Labels:                    app=going
      Annotations:               <none>
      Status:                    Terminating (lasts <invalid>)
      Termination Grace Period:  30s
      IP:                        10.244.1.8
      IPs:
        IP:  10.244.1.8
      Containers:
        nginx:
          Image:        nginx:1.27
          Port:         80/TCP
          Host Port:    0/TCP
          Environment:  <none>
          Mounts:
            /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-5r9g7 (ro)
      [kube-api-access volume, QoS Class: BestEffort, default tolerations]
      Events:                      <none>
      "
    `);
  });
});

describe("describe other kinds", () => {
  it("Service with endpoints", () => {
    const { store, clock } = newCluster();
    store.create({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default", labels: { app: "web" } },
      spec: { type: "NodePort", selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: 8080, nodePort: 30080 }] } });
    store.create({ apiVersion: "v1", kind: "Endpoints", metadata: { name: "web", namespace: "default" }, subsets: [{
      addresses: ["10.244.1.5", "10.244.2.3", "10.244.2.4", "10.244.3.9"].map((ip) => ({ ip })), ports: [{ name: "http", port: 8080, protocol: "TCP" }],
    }] });
    expect(describeObject(store, store.get("Service", "default", "web"), { now: clock.now() })).toMatchInlineSnapshot(`
      "Name:                     web
      Namespace:                default
      Labels:                   app=web
      Annotations:              <none>
      Selector:                 app=web
      Type:                     NodePort
      IP Family Policy:         SingleStack
      IP Families:              IPv4
      IP:                       10.103.118.99
      IPs:                      10.103.118.99
      Port:                     http  80/TCP
      TargetPort:               8080/TCP
      NodePort:                 http  30080/TCP
      Endpoints:                10.244.1.5:8080,10.244.2.3:8080,10.244.2.4:8080 + 1 more...
      Session Affinity:         None
      External Traffic Policy:  Cluster
      Internal Traffic Policy:  Cluster
      Events:                   <none>
      "
    `);
  });

  it("Node with lease, pods and events", () => {
    const { store, clock } = newCluster();
    const node = store.create<Node>({ apiVersion: "v1", kind: "Node",
      metadata: { name: "node-1", labels: { "kubernetes.io/hostname": "node-1", "node-role.kubernetes.io/worker": "" } },
      spec: { podCIDR: "10.244.1.0/24", podCIDRs: ["10.244.1.0/24"], taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }] } });
    store.updateStatus<Node>({ ...node, status: {
      capacity: { cpu: "2", memory: "4015928Ki", pods: "110", "ephemeral-storage": "61202244Ki", "hugepages-2Mi": "0" },
      allocatable: { cpu: "2", memory: "3913528Ki", pods: "110", "ephemeral-storage": "61202244Ki", "hugepages-2Mi": "0" },
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status", lastHeartbeatTime: clock.rfc3339(), lastTransitionTime: clock.rfc3339() }],
      addresses: [{ type: "InternalIP", address: "172.18.0.3" }, { type: "Hostname", address: "node-1" }],
      nodeInfo: { machineID: "m1", systemUUID: "s1", bootID: "b1", kernelVersion: "6.8.0", osImage: "Debian GNU/Linux 12 (bookworm)", operatingSystem: "linux",
        architecture: "amd64", containerRuntimeVersion: "containerd://1.7.24", kubeletVersion: "v1.32.4" },
    } });
    store.create({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "node-1", namespace: "kube-node-lease" },
      spec: { holderIdentity: "node-1", leaseDurationSeconds: 40, renewTime: "2026-01-12T09:00:10.000000Z" } });
    const web = createPod(store, "web-1", { tolerations: [{ key: "dedicated", operator: "Equal", value: "web", effect: "NoSchedule" }],
      containers: [{ name: "nginx", image: "nginx", resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } } }] });
    setStatus(store, web, { phase: "Running" });
    recordEvent(store, clock, store.get("Node", undefined, "node-1"), { reason: "NodeReady", message: "Node node-1 status is now: NodeReady", from: "kubelet", uid: "node-1" });
    clock.advance(90_000);
    expect(describeObject(store, store.get("Node", undefined, "node-1"), { now: clock.now() })).toMatchInlineSnapshot(`
      "Name:               node-1
      Roles:              worker
      Labels:             kubernetes.io/hostname=node-1
                          node-role.kubernetes.io/worker=
      Annotations:        <none>
      CreationTimestamp:  Mon, 12 Jan 2026 09:00:00 +0000
      Taints:             dedicated=web:NoSchedule
      Unschedulable:      false
      Lease:
        HolderIdentity:  node-1
        AcquireTime:     <unset>
        RenewTime:       Mon, 12 Jan 2026 09:00:10 +0000
      Conditions:
        Type    Status  LastHeartbeatTime                 LastTransitionTime                Reason         Message
        ----    ------  -----------------                 ------------------                ------         -------
        Ready   True    Mon, 12 Jan 2026 09:00:00 +0000   Mon, 12 Jan 2026 09:00:00 +0000   KubeletReady   kubelet is posting ready status
      Addresses:
        InternalIP:  172.18.0.3
        Hostname:    node-1
      Capacity:
        cpu:                2
        ephemeral-storage:  61202244Ki
        hugepages-2Mi:      0
        memory:             4015928Ki
        pods:               110
      Allocatable:
        cpu:                2
        ephemeral-storage:  61202244Ki
        hugepages-2Mi:      0
        memory:             3913528Ki
        pods:               110
      System Info:
        Machine ID:                 m1
        System UUID:                s1
        Boot ID:                    b1
        Kernel Version:             6.8.0
        OS Image:                   Debian GNU/Linux 12 (bookworm)
        Operating System:           linux
        Architecture:               amd64
        Container Runtime Version:  containerd://1.7.24
        Kubelet Version:            v1.32.4
      PodCIDR:                      10.244.1.0/24
      PodCIDRs:                     10.244.1.0/24
      Non-terminated Pods:          (1 in total)
        Namespace                   Name     CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
        ---------                   ----     ------------  ----------  ---------------  -------------  ---
        default                     web-1    100m (5%)     0 (0%)      64Mi (1%)        128Mi (3%)     90s
      Allocated resources:
        (Total limits may be over 100 percent, i.e., overcommitted.)
        Resource           Requests   Limits
        --------           --------   ------
        cpu                100m (5%)  0 (0%)
        memory             64Mi (1%)  128Mi (3%)
        ephemeral-storage  0 (0%)     0 (0%)
        hugepages-2Mi      0 (0%)     0 (0%)
      Events:
        Type    Reason     Age   From     Message
        ----    ------     ----  ----     -------
        Normal  NodeReady  90s   kubelet  Node node-1 status is now: NodeReady
      "
    `);
  });

  it("Deployment with its ReplicaSet and events", () => {
    const { store, clock } = newCluster();
    const d = store.create<Deployment>({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "default", labels: { app: "web" } },
      spec: { replicas: 2, selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.27", ports: [{ containerPort: 80 }] }] } } } });
    const rs = store.create<ReplicaSet>({ apiVersion: "apps/v1", kind: "ReplicaSet",
      metadata: { name: "web-7c5b9d8c6f", namespace: "default", labels: { app: "web", "pod-template-hash": "7c5b9d8c6f" },
        ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }] },
      spec: { replicas: 2, selector: { matchLabels: { app: "web", "pod-template-hash": "7c5b9d8c6f" } },
        template: { metadata: { labels: { app: "web", "pod-template-hash": "7c5b9d8c6f" } }, spec: d.spec.template.spec } } });
    store.updateStatus<ReplicaSet>({ ...rs, status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 } });
    store.updateStatus<Deployment>({ ...store.get<Deployment>("Deployment", "default", "web"), status: {
      replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2,
      conditions: [
        { type: "Available", status: "True", reason: "MinimumReplicasAvailable" },
        { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" },
      ],
    } });
    recordEvent(store, clock, store.get("Deployment", "default", "web"), {
      reason: "ScalingReplicaSet", message: "Scaled up replica set web-7c5b9d8c6f to 2", from: "deployment-controller" });
    clock.advance(30_000);
    expect(describeObject(store, store.get("Deployment", "default", "web"), { now: clock.now() })).toMatchInlineSnapshot(`
      "Name:                   web
      Namespace:              default
      CreationTimestamp:      Mon, 12 Jan 2026 09:00:00 +0000
      Labels:                 app=web
      Annotations:            <none>
      Selector:               app=web
      Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable
      StrategyType:           RollingUpdate
      MinReadySeconds:        0
      RollingUpdateStrategy:  25% max unavailable, 25% max surge
      Pod Template:
        Labels:  app=web
        Containers:
         nginx:
          Image:         nginx:1.27
          Port:          80/TCP
          Host Port:     0/TCP
          Environment:   <none>
          Mounts:        <none>
        Volumes:         <none>
        Node-Selectors:  <none>
        Tolerations:     <none>
      Conditions:
        Type           Status  Reason
        ----           ------  ------
        Available      True    MinimumReplicasAvailable
        Progressing    True    NewReplicaSetAvailable
      OldReplicaSets:  <none>
      NewReplicaSet:   web-7c5b9d8c6f (2/2 replicas created)
      Events:
        Type    Reason             Age   From                   Message
        ----    ------             ----  ----                   -------
        Normal  ScalingReplicaSet  30s   deployment-controller  Scaled up replica set web-7c5b9d8c6f to 2
      "
    `);
  });

  it("ConfigMap, Secret and a generic kind", () => {
    const { store, clock } = newCluster();
    store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app", namespace: "default" }, data: { mode: "prod", "app.conf": "a=1\nb=2" } });
    store.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "db", namespace: "default" }, type: "Opaque", stringData: { password: "s3cr3t" } });
    store.create({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "node-1", namespace: "kube-node-lease" }, spec: { holderIdentity: "node-1", leaseDurationSeconds: 40 } });
    const text = ["ConfigMap/default/app", "Secret/default/db", "Lease/kube-node-lease/node-1"].map((k) => {
      const [kind, ns, name] = k.split("/");
      return describeObject(store, store.get(kind, ns, name), { now: clock.now() });
    });
    expect(text.join("\n")).toMatchInlineSnapshot(`
      "Name:         app
      Namespace:    default
      Labels:       <none>
      Annotations:  <none>

      Data
      ====
      app.conf:
      ----
      a=1
      b=2

      mode:
      ----
      prod


      BinaryData
      ====

      Events:  <none>

      Name:         db
      Namespace:    default
      Labels:       <none>
      Annotations:  <none>

      Type:  Opaque

      Data
      ====
      password:  6 bytes

      Name:         node-1
      Namespace:    kube-node-lease
      Labels:       <none>
      Annotations:  <none>
      API Version:  coordination.k8s.io/v1
      Kind:         Lease
      Metadata:
        Creation Timestamp:  2026-01-12T09:00:00Z
        Resource Version:    10
        UID:                 f80d4bf0-6c7e-41ae-b2d6-000351b50f16
      Spec:
        Holder Identity:         node-1
        Lease Duration Seconds:  40
      Events:                    <none>
      "
    `);
  });

  it("smartLabel splits camel case and upper-cases acronyms", () => {
    expect(["apiVersion", "holderIdentity", "uid", "resourceVersion", "mtls", "port-level"].map(smartLabel)).toEqual([
      "API Version", "Holder Identity", "UID", "Resource Version", "Mtls", "Port - Level",
    ]);
  });
});
