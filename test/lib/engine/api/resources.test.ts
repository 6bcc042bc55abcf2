import { describe, expect, it } from "vitest";
import { RESOURCES, apiVersionOf, resolveResource, resourceForObject, resourcesInCategory, strategyFor } from "@/lib/engine/api";

describe("discovery table", () => {
  // Rows as `kubectl api-resources -o wide` prints them for these kinds on v1.32.
  const rows: [string, string, string, boolean, string, string][] = [
    ["configmaps", "cm", "v1", true, "ConfigMap", ""],
    ["endpoints", "ep", "v1", true, "Endpoints", ""],
    ["events", "ev", "v1", true, "Event", ""],
    ["namespaces", "ns", "v1", false, "Namespace", ""],
    ["nodes", "no", "v1", false, "Node", ""],
    ["persistentvolumeclaims", "pvc", "v1", true, "PersistentVolumeClaim", ""],
    ["persistentvolumes", "pv", "v1", false, "PersistentVolume", ""],
    ["pods", "po", "v1", true, "Pod", "all"],
    ["replicationcontrollers", "rc", "v1", true, "ReplicationController", "all"],
    ["secrets", "", "v1", true, "Secret", ""],
    ["serviceaccounts", "sa", "v1", true, "ServiceAccount", ""],
    ["services", "svc", "v1", true, "Service", "all"],
    ["daemonsets", "ds", "apps/v1", true, "DaemonSet", "all"],
    ["deployments", "deploy", "apps/v1", true, "Deployment", "all"],
    ["replicasets", "rs", "apps/v1", true, "ReplicaSet", "all"],
    ["leases", "", "coordination.k8s.io/v1", true, "Lease", ""],
    ["endpointslices", "", "discovery.k8s.io/v1", true, "EndpointSlice", ""],
    ["ingressclasses", "", "networking.k8s.io/v1", false, "IngressClass", ""],
    ["ingresses", "ing", "networking.k8s.io/v1", true, "Ingress", ""],
    ["networkpolicies", "netpol", "networking.k8s.io/v1", true, "NetworkPolicy", ""],
    ["clusterrolebindings", "", "rbac.authorization.k8s.io/v1", false, "ClusterRoleBinding", ""],
    ["clusterroles", "", "rbac.authorization.k8s.io/v1", false, "ClusterRole", ""],
    ["rolebindings", "", "rbac.authorization.k8s.io/v1", true, "RoleBinding", ""],
    ["roles", "", "rbac.authorization.k8s.io/v1", true, "Role", ""],
    ["peerauthentications", "pa", "security.istio.io/v1", true, "PeerAuthentication", "istio-io,security-istio-io"],
    ["authorizationpolicies", "ap", "security.istio.io/v1", true, "AuthorizationPolicy", "istio-io,security-istio-io"],
    ["storageclasses", "sc", "storage.k8s.io/v1", false, "StorageClass", ""],
  ];

  it("lists every served kind in api-resources order", () => {
    expect(RESOURCES.map((r) => [r.plural, r.shortNames.join(","), apiVersionOf(r), r.namespaced, r.kind, r.categories.join(",")])).toEqual(rows);
  });

  it("has a strategy for every row and sorted verbs", () => {
    for (const r of RESOURCES) {
      expect(strategyFor(r.kind), r.kind).toBeDefined();
      expect([...r.verbs].sort()).toEqual(r.verbs);
    }
    expect(resolveResource("ns")?.verbs).toEqual(["create", "delete", "get", "list", "patch", "update", "watch"]);
    expect(resolveResource("po")?.verbs).toContain("deletecollection");
  });

  const lookups: [string, string | undefined][] = [
    ["po", "Pod"],
    ["pod", "Pod"],
    ["Pods", "Pod"],
    ["deploy", "Deployment"],
    ["deployments.apps", "Deployment"],
    ["deployments.v1.apps", "Deployment"],
    ["pods.v1.", "Pod"],
    ["svc", "Service"],
    ["netpol", "NetworkPolicy"],
    ["pa", "PeerAuthentication"],
    ["ap", "AuthorizationPolicy"],
    ["deployments.batch", undefined],
    ["jobs", undefined],
  ];
  it.each(lookups)("resolves %j", (text, kind) => {
    expect(resolveResource(text)?.kind).toBe(kind);
  });

  it("routes objects by apiVersion and kind", () => {
    expect(resourceForObject("apps/v1", "Deployment")?.plural).toBe("deployments");
    expect(resourceForObject("extensions/v1beta1", "Deployment")).toBeUndefined();
  });

  it("knows the all category", () => {
    expect(resourcesInCategory("all").map((r) => r.plural)).toEqual([
      "pods", "replicationcontrollers", "services", "daemonsets", "deployments", "replicasets",
    ]);
  });
});
