/**
 * `kubectl explain` in kubectl 1.32's plaintext layout, `api-resources` and `api-versions`.
 */
import { describe, expect, it } from "vitest";
import { explain, wordWrap } from "@/lib/engine/kubectl/explain";
import type { KubectlArgs } from "@/lib/engine/kubectl/types";
import { apiResourcesText } from "@/lib/engine/kubectl/verbs/api-resources";
import { apiVersionsText } from "@/lib/engine/kubectl/verbs/api-versions";

const text = (path: string, recursive = false) => {
  const r = explain(path, { recursive });
  if (!r.ok) throw new Error(r.message);
  return r.text;
};

describe("kubectl explain", () => {
  it("prints a kind with its fields", () => {
    expect(text("pods")).toBe(
      "KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n" +
        "    Pod is a collection of containers that can run on a host. This resource is\n    created by clients and scheduled onto hosts.\n    \n" +
        "FIELDS:\n" +
        "  apiVersion\t<string>\n" +
        "    APIVersion defines the versioned schema of this representation of an object.\n" +
        "    Servers should convert recognized schemas to the latest internal value, and\n" +
        "    may reject unrecognized values. More info:\n" +
        "    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources\n\n" +
        "  kind\t<string>\n" +
        "    Kind is a string value representing the REST resource this object\n" +
        "    represents. Servers may infer this from the endpoint the client submits\n" +
        "    requests to. Cannot be updated. In CamelCase. More info:\n" +
        "    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds\n\n" +
        "  metadata\t<ObjectMeta>\n" +
        "    Standard object's metadata. More info:\n" +
        "    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata\n\n" +
        "  spec\t<PodSpec>\n" +
        "    Specification of the desired behavior of the pod. More info:\n" +
        "    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status\n\n" +
        "  status\t<PodStatus>\n" +
        "    Most recently observed status of the pod. This data may not be up to date.\n" +
        "    Populated by the system. Read-only. More info:\n" +
        "    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status\n\n\n",
    );
  });

  it("prints a field with its own and its type's description", () => {
    const t = text("pod.spec.containers.ports");
    expect(t.startsWith(
      "KIND:       Pod\nVERSION:    v1\n\nFIELD: ports <[]ContainerPort>\n\n\nDESCRIPTION:\n" +
        "    List of ports to expose from the container. Not specifying a port here DOES\n",
    )).toBe(true);
    expect(t).toContain("    ContainerPort represents a network port in a single container.\n    \nFIELDS:\n");
    expect(t).toContain("  containerPort\t<integer> -required-\n    Number of port to expose on the pod's IP address. This must be a valid port\n    number, 0 < x < 65536.\n\n");
  });

  it("shows the group for grouped kinds and resolves short names", () => {
    expect(text("deploy").startsWith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n")).toBe(true);
    expect(text("svc.spec.type")).toMatch(/^KIND: {7}Service\nVERSION: {4}v1\n\nFIELD: type <string>\n\n\nDESCRIPTION:\n {4}type determines how the Service is exposed/);
    expect(text("ing.spec.rules").startsWith("GROUP:      networking.k8s.io\nKIND:       Ingress\n")).toBe(true);
  });

  it("lists the whole tree with --recursive", () => {
    const t = text("svc.spec", true);
    expect(t).toContain("FIELDS:\n  allocateLoadBalancerNodePorts\t<boolean>\n  clusterIP\t<string>\n");
    expect(t).toContain("  ports\t<[]ServicePort>\n    appProtocol\t<string>\n    name\t<string>\n    nodePort\t<integer>\n    port\t<integer> -required-\n");
    expect(t).toContain("    targetPort\t<IntOrString>\n");
  });

  it.each([
    ["foo", 'error: the server doesn\'t have a resource type "foo"\n'],
    ["pod.spec.nope", 'error: field "nope" does not exist\n'],
    ["pod.spec.nodeName.deeper.still", 'error: field "still" does not exist\n'],
  ])("fails for %s", (path, message) => expect(explain(path)).toEqual({ ok: false, message }));

  it("wraps like go-wordwrap, keeping long words whole", () => {
    expect(wordWrap("aaa bbb ccc", 7)).toBe("aaa bbb\nccc");
    expect(wordWrap("x https://example.com/a/long/url y", 10)).toBe("x\nhttps://example.com/a/long/url\ny");
  });
});

/** A minimal KubectlArgs over parsed flags. */
function argsOf(flags: Record<string, string | boolean | string[]>, operands: string[] = []): KubectlArgs {
  return {
    operands,
    afterDash: [],
    has: (f) => f in flags,
    string: (f) => (typeof flags[f] === "string" ? (flags[f] as string) : undefined),
    bool: (f) => flags[f] === true,
    int: () => undefined,
    strings: (f) => (Array.isArray(flags[f]) ? (flags[f] as string[]) : []),
  };
}

describe("kubectl api-resources / api-versions", () => {
  it("lists cluster-scoped resources sorted by group then name", () => {
    expect(apiResourcesText(argsOf({ namespaced: false }))).toBe(
      "NAME                  SHORTNAMES   APIVERSION                     NAMESPACED   KIND\n" +
        "namespaces            ns           v1                             false        Namespace\n" +
        "nodes                 no           v1                             false        Node\n" +
        "persistentvolumes     pv           v1                             false        PersistentVolume\n" +
        "ingressclasses                     networking.k8s.io/v1           false        IngressClass\n" +
        "clusterrolebindings                rbac.authorization.k8s.io/v1   false        ClusterRoleBinding\n" +
        "clusterroles                       rbac.authorization.k8s.io/v1   false        ClusterRole\n" +
        "storageclasses        sc           storage.k8s.io/v1              false        StorageClass\n",
    );
  });

  it("adds VERBS and CATEGORIES with -o wide, filters by group", () => {
    expect(apiResourcesText(argsOf({ "api-group": "apps", output: "wide" }))).toBe(
      "NAME          SHORTNAMES   APIVERSION   NAMESPACED   KIND         VERBS                                                        CATEGORIES\n" +
        "daemonsets    ds           apps/v1      true         DaemonSet    create,delete,deletecollection,get,list,patch,update,watch   all\n" +
        "deployments   deploy       apps/v1      true         Deployment   create,delete,deletecollection,get,list,patch,update,watch   all\n" +
        "replicasets   rs           apps/v1      true         ReplicaSet   create,delete,deletecollection,get,list,patch,update,watch   all\n",
    );
  });

  it("prints names, honours --no-headers and rejects bad flags", () => {
    expect(apiResourcesText(argsOf({ "api-group": "apps", output: "name" }))).toBe("daemonsets.apps\ndeployments.apps\nreplicasets.apps\n");
    expect(apiResourcesText(argsOf({ "api-group": "apps", "no-headers": true, "sort-by": "kind" })).split("\n")[0]).toMatch(/^daemonsets/);
    expect(() => apiResourcesText(argsOf({ output: "json" }))).toThrow("--output json is not available");
    expect(() => apiResourcesText(argsOf({}, ["pods"]))).toThrow("unexpected arguments: [pods]");
  });

  it("lists api versions with v1 last", () => {
    const lines = apiVersionsText().trim().split("\n");
    expect(lines[0]).toBe("apps/v1");
    expect(lines.at(-1)).toBe("v1");
  });
});
