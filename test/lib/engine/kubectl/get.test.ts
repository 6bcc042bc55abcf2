import { beforeAll, describe, expect, test } from "vitest";
import { type Case, expectRun, kubectlCluster } from "./helpers";

/**
 * `kubectl get` over a small fixed set of objects (no controllers run, so deployments have no
 * pods): table layout, kinds and names, selectors, -A, label columns, sorting, formats, errors.
 */
describe("kubectl get", () => {
  const { sh, store, cluster } = kubectlCluster();
  beforeAll(async () => {
    store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } });
    store.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: "team-a" } });
    const pod = (name: string, ns: string, labels: Record<string, string>, node?: string) =>
      store.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace: ns, labels },
        spec: { containers: [{ name: "app", image: "nginx:1.27" }], ...(node ? { nodeName: node } : {}) },
      });
    pod("web-1", "default", { app: "web", tier: "fe" }, "node01");
    cluster.advance(60_000);
    pod("web-2", "default", { app: "web", tier: "be" }, "node02");
    pod("db-0", "default", { app: "db" });
    pod("api", "team-a", { app: "api" });
    await sh.run("kubectl create deployment web --image=nginx:1.27");
    cluster.advance(30_000);
  });

  const cases: Case[] = [
    [
      "a table in the namespace",
      "kubectl get pods",
      { stdout: "NAME    READY   STATUS    RESTARTS   AGE\ndb-0    0/1     Pending   0          30s\nweb-1   0/1     Pending   0          90s\nweb-2   0/1     Pending   0          30s\n" },
    ],
    ["a short name and one object", "kubectl get po web-1 --no-headers", { stdout: "web-1   0/1   Pending   0     90s\n" }],
    ["TYPE/NAME", "kubectl get pod/db-0 -o name", { stdout: "pod/db-0\n" }],
    [
      "-A adds NAMESPACE",
      "kubectl get pods -A -l app=api",
      { stdout: "NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE\nteam-a      api    0/1     Pending   0          30s\n" },
    ],
    ["set-based selectors", "kubectl get pods -l 'app in (web,db),tier!=fe' -o name", { stdout: "pod/db-0\npod/web-2\n" }],
    ["field selectors", "kubectl get pods --field-selector spec.nodeName=node02 -o name", { stdout: "pod/web-2\n" }],
    [
      "label columns",
      "kubectl get pods -l app=web -L tier,app",
      { stdout: "NAME    READY   STATUS    RESTARTS   AGE   TIER   APP\nweb-1   0/1     Pending   0          90s   fe     web\nweb-2   0/1     Pending   0          30s   be     web\n" },
    ],
    ["--show-labels", "kubectl get pods db-0 --show-labels", { stdout: "NAME   READY   STATUS    RESTARTS   AGE   LABELS\ndb-0   0/1     Pending   0          30s   app=db\n" }],
    ["--sort-by", "kubectl get pods --sort-by=.metadata.creationTimestamp -o name", { stdout: "pod/web-1\npod/db-0\npod/web-2\n" }],
    ["--sort-by with no such field", "kubectl get pods --sort-by=.spec.nothing", { stderr: 'error: couldn\'t find any field with path "{.spec.nothing}" in the list of objects\n', exitCode: 1 }],
    [
      "several types: one table each, kind prefixes, a blank line between",
      "kubectl get deploy,svc",
      {
        stdout:
          "NAME                  READY   UP-TO-DATE   AVAILABLE   AGE\ndeployment.apps/web   0/1     0            0           30s\n\nNAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nservice/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   90s\n",
      },
    ],
    ["the all category", "kubectl get all -o name", { stdout: "pod/db-0\npod/web-1\npod/web-2\nservice/kubernetes\ndeployment.apps/web\n" }],
    ["nothing in the namespace", "kubectl get deploy -n kube-system", { stdout: "", stderr: "No resources found in kube-system namespace.\n" }],
    ["nothing anywhere", "kubectl get rs -A", { stderr: "No resources found\n" }],
    ["cluster-scoped kinds", "kubectl get nodes", { stderr: "No resources found\n" }],
    [
      "found and missing names",
      "kubectl get pods web-1 nope",
      { stdout: "NAME    READY   STATUS    RESTARTS   AGE\nweb-1   0/1     Pending   0          90s\n", stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 },
    ],
    ["--ignore-not-found", "kubectl get pod nope --ignore-not-found", { stdout: "", stderr: "", exitCode: 0 }],
    ["an unknown type", "kubectl get foo", { stderr: 'error: the server doesn\'t have a resource type "foo"\n', exitCode: 1 }],
    ["names across namespaces", "kubectl get pod web-1 -A", { stderr: "error: a resource cannot be retrieved by name across all namespaces\n", exitCode: 1 }],
    ["several types with names", "kubectl get pods,svc web-1", { stderr: "error: you must specify only one resource\n", exitCode: 1 }],
    [
      "mixed TYPE and TYPE/NAME",
      "kubectl get pods pod/web-1",
      { stderr: /^error: there is no need to specify a resource type as a separate argument/, exitCode: 1 },
    ],
    ["a bad label selector", "kubectl get pods -l 'a in (b'", { stderr: /^Error from server \(BadRequest\): /, exitCode: 1 }],
    ["jsonpath over a list", "kubectl get pods -o jsonpath='{.items[*].metadata.name}'", { stdout: "db-0 web-1 web-2" }],
    ["yaml of one named object is the object", "kubectl get pod db-0 -o yaml", { stdout: /^apiVersion: v1\nkind: Pod\nmetadata:\n/ }],
    ["yaml of a list is a List", "kubectl get pods -l app=db -o yaml", { stdout: /^apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n[\s\S]*kind: List\nmetadata:\n  resourceVersion: ""\n$/ }],
    ["custom columns", "kubectl get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName --sort-by=.metadata.name", { stdout: "NAME    NODE\ndb-0    <none>\nweb-1   node01\nweb-2   node02\n" }],
    ["an unknown output format", "kubectl get pods -o foo", { stderr: /^error: unable to match a printer suitable for the output format "foo", allowed formats are: /, exitCode: 1 }],
    ["watching is refused", "kubectl get pods -w", { stderr: /^error: --watch is not supported here/, exitCode: 1 }],
  ];
  test.each(cases)("%s", async (_name, input, expected) => {
    await expectRun(sh, input, expected);
  });

  // printGeneric: "No resources found" belongs to the human-readable path only.
  const emptyList = '{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n';
  const generic: Case[] = [
    ["jsonpath of a field a named object lacks", "kubectl get pod db-0 -o jsonpath='{.metadata.ownerReferences}'", { stdout: "", stderr: "", exitCode: 0 }],
    ["-o name of nothing", "kubectl get pods -l app=none -o name", { stdout: "", stderr: "", exitCode: 0 }],
    ["-o name of nothing anywhere", "kubectl get rs -A -o name", { stdout: "", stderr: "", exitCode: 0 }],
    ["-o json of nothing is an empty List", "kubectl get pods -l app=none -o json", { stdout: emptyList, stderr: "", exitCode: 0 }],
    ["-o yaml of nothing is an empty List", "kubectl get deploy -n kube-system -o yaml", { stdout: 'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n', stderr: "" }],
    ["jsonpath over nothing", "kubectl get pods -l app=none -o jsonpath='{.items}'", { stdout: "[]", stderr: "" }],
    ["custom columns of nothing: the headers", "kubectl get pods -l app=none -o custom-columns=NAME:.metadata.name", { stdout: "NAME\n", stderr: "" }],
    ["-o wide of nothing still says so", "kubectl get pods -l app=none -o wide", { stdout: "", stderr: "No resources found in default namespace.\n" }],
    ["a missing named object: the error alone", "kubectl get pod nope -o json", { stdout: "", stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 }],
    ["missing names: an empty List, then the errors", "kubectl get pods nope nope2 -o name", { stdout: "", stderr: 'Error from server (NotFound): pods "nope" not found\nError from server (NotFound): pods "nope2" not found\n', exitCode: 1 }],
    ["--ignore-not-found prints nothing at all", "kubectl get pod nope -o json --ignore-not-found", { stdout: "", stderr: "", exitCode: 0 }],
  ];
  test.each(generic)("%s", async (_name, input, expected) => {
    await expectRun(sh, input, expected);
  });

  test("wide tables add the priority columns", async () => {
    const { stdout } = await sh.run("kubectl get pods web-1 -o wide");
    expect(stdout.split("\n")[0]).toBe("NAME    READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES");
  });
});
