import { describe, expect, test } from "vitest";
import type { Deployment, Service } from "@/lib/engine/api";
import { type Case, expectRun, kubectlCluster } from "./helpers";

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{ containerPort: 80 }]
        env: [{ name: MODE, value: prod }, { name: DEBUG, value: "0" }]
`;

const SERVICE = `---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 80 }]
`;

describe("kubectl create", () => {
  const { sh, store, fs } = kubectlCluster();
  fs.writeFile("/root/web.yaml", DEPLOY + SERVICE);
  fs.writeFile("/root/list.json", JSON.stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } }, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" } }] }));
  fs.writeFile("/root/bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n");
  const cases: Case[] = [
    ["generators create objects", "kubectl create deployment api --image=registry.k8s.io/e2e-test-images/agnhost:2.53 --replicas=2", { stdout: "deployment.apps/api created\n" }],
    ["a namespaced generator in -n", "kubectl create ns team-a && kubectl create sa deployer -n team-a", { stdout: "namespace/team-a created\nserviceaccount/deployer created\n" }],
    ["server dry run", "kubectl create configmap dry --from-literal=a=b --dry-run=server", { stdout: "configmap/dry created (server dry run)\n" }],
    // Most generators wrap the server's error in their own words (create_deployment.go & co).
    ["a name that exists", "kubectl create deployment api --image=nginx", { stderr: 'error: failed to create deployment: deployments.apps "api" already exists\n', exitCode: 1 }],
    ["a namespace that does not exist", "kubectl create configmap c -n nope", { stderr: 'error: failed to create configmap: namespaces "nope" not found\n', exitCode: 1 }],
    ["a generator that does not wrap", "kubectl create namespace default", { stderr: 'Error from server (AlreadyExists): namespaces "default" already exists\n', exitCode: 1 }],
    ["multi-document YAML", "kubectl create -f web.yaml", { stdout: "deployment.apps/web created\nservice/web created\n" }],
    ["the same again", "kubectl create -f web.yaml", { stderr: 'Error from server (AlreadyExists): error when creating "web.yaml": deployments.apps "web" already exists\nError from server (AlreadyExists): error when creating "web.yaml": services "web" already exists\n', exitCode: 1 }],
    ["a JSON List", "kubectl create -f list.json -o name", { stdout: "configmap/a\nconfigmap/b\n" }],
    ["stdin", "printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: piped\\n' | kubectl create -f -", { stdout: "configmap/piped created\n" }],
    [
      "good and bad documents",
      "kubectl create -f bad.yaml",
      { stdout: "configmap/c created\n", stderr: 'error: resource mapping not found for name: "w" namespace: "" from "bad.yaml": no matches for kind "Widget" in version "v1"\nensure CRDs are installed first\n', exitCode: 1 },
    ],
    ["an invalid object", "kubectl create deployment Bad --image=nginx", { stderr: /^error: failed to create deployment: Deployment\.apps "Bad" is invalid: metadata\.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain/, exitCode: 1 }],
    ["--save-config records the configuration", "kubectl create cm saved --from-literal=k=v --save-config -o jsonpath='{.metadata.annotations}'", { stdout: '{"kubectl.kubernetes.io/last-applied-configuration":"{\\"kind\\":\\"ConfigMap\\",\\"apiVersion\\":\\"v1\\",\\"metadata\\":{\\"name\\":\\"saved\\",\\"creationTimestamp\\":null},\\"data\\":{\\"k\\":\\"v\\"}}\\n"}' }],
    // Roles need discovery, so these were checked against the real kubectl with a read-only apiserver.
    [
      "create role: one rule per API group, short names resolved",
      "kubectl create role pod-reader --verb=get,list,watch --resource=pods,deploy,rs.apps,pods/status --resource-name=a --resource-name=b --dry-run=client -o yaml",
      { stdout: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  creationTimestamp: null\n  name: pod-reader\nrules:\n- apiGroups:\n  - ""\n  resourceNames:\n  - a\n  - b\n  resources:\n  - pods\n  - pods/status\n  verbs:\n  - get\n  - list\n  - watch\n- apiGroups:\n  - apps\n  resourceNames:\n  - a\n  - b\n  resources:\n  - deployments\n  - replicasets\n  verbs:\n  - get\n  - list\n  - watch\n' },
    ],
    ["create role: * collapses verbs", "kubectl create role r --verb=get --verb=* --resource=* --dry-run=client -o yaml", { stdout: "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  creationTimestamp: null\n  name: r\nrules:\n- apiGroups:\n  - \"\"\n  resources:\n  - '*'\n  verbs:\n  - '*'\n" }],
    ["create role: an odd verb is only a warning", "kubectl create role r --verb=foo --resource=pods --dry-run=client -o name", { stdout: "role.rbac.authorization.k8s.io/r\n", stderr: "Warning: 'foo' is not a standard resource verb\n" }],
    ["create role: an unknown resource", "kubectl create role r --verb=get --resource=nope --dry-run=client", { stderr: 'the server doesn\'t have a resource type "nope"\n', exitCode: 1 }],
    ["create role: an unknown group", "kubectl create role r --verb=get --resource=rs.extensions --dry-run=client", { stderr: 'the server doesn\'t have a resource type "rs" in group "extensions"\n', exitCode: 1 }],
    ["create role: a special verb elsewhere", "kubectl create role r --verb=use --resource=pods --dry-run=client", { stderr: "error: can not perform 'use' on 'pods' in group ''\n", exitCode: 1 }],
    [
      "create clusterrole: resources and non-resource URLs",
      "kubectl create clusterrole c --verb=get --resource=nodes --non-resource-url=/metrics --dry-run=client -o yaml",
      { stdout: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  creationTimestamp: null\n  name: c\nrules:\n- apiGroups:\n  - ""\n  resources:\n  - nodes\n  verbs:\n  - get\n- nonResourceURLs:\n  - /metrics\n  verbs:\n  - get\n' },
    ],
    ["create clusterrole: a verb URLs do not take", "kubectl create clusterrole c --verb=list --non-resource-url=/logs --dry-run=client", { stderr: "error: invalid verb: 'list' for nonResourceURL\n", exitCode: 1 }],
    ["create role for real", "kubectl create role reader --verb=get --resource=pods", { stdout: "role.rbac.authorization.k8s.io/reader created\n" }],
  ];
  test.each(cases)("%s", async (_name, input, expected) => {
    await expectRun(sh, input, expected);
  });

  test("what the generators stored", () => {
    const api = store.get<Deployment>("Deployment", "default", "api");
    expect(api.spec.replicas).toBe(2);
    expect(api.spec.template.spec.containers.map((c) => [c.name, c.image])).toEqual([["agnhost", "registry.k8s.io/e2e-test-images/agnhost:2.53"]]);
    expect(store.find("ServiceAccount", "team-a", "deployer")).toBeDefined();
    expect(store.find("ConfigMap", "default", "dry")).toBeUndefined();
    expect(store.get<Service>("Service", "default", "web").spec.clusterIP).toMatch(/^10\.\d+\.\d+\.\d+$/);
  });
});

describe("kubectl apply: client-side apply with a three-way merge", () => {
  const { sh, store, fs } = kubectlCluster();
  const deployment = () => store.get<Deployment>("Deployment", "default", "web");

  test("created, unchanged, configured", async () => {
    fs.writeFile("/root/web.yaml", DEPLOY + SERVICE);
    await expectRun(sh, "kubectl apply -f web.yaml", { stdout: "deployment.apps/web created\nservice/web created\n" });
    expect(deployment().metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"]).toBe(
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"env":[{"name":"MODE","value":"prod"},{"name":"DEBUG","value":"0"}],"image":"nginx:1.27","name":"web","ports":[{"containerPort":80}]}]}}}}\n',
    );
    await expectRun(sh, "kubectl apply -f web.yaml", { stdout: "deployment.apps/web unchanged\nservice/web unchanged\n" });
    // Someone else scales and adds a label; the file drops DEBUG and changes the image.
    await sh.run("kubectl label deploy web owner=ops && kubectl scale deploy web --replicas=5");
    fs.writeFile("/root/web.yaml", DEPLOY.replace('nginx:1.27', "nginx:1.28").replace(', { name: DEBUG, value: "0" }', "").replace("replicas: 2", "replicas: 3"));
    await expectRun(sh, "kubectl apply -f web.yaml", { stdout: "deployment.apps/web configured\n" });
    const d = deployment();
    expect(d.spec.replicas).toBe(3);
    expect(d.metadata.labels).toEqual({ app: "web", owner: "ops" });
    const [web] = d.spec.template.spec.containers;
    expect([web.image, web.env, web.ports]).toEqual(["nginx:1.28", [{ name: "MODE", value: "prod" }], [{ containerPort: 80, protocol: "TCP" }]]);
    await expectRun(sh, "kubectl apply -f web.yaml --dry-run=client", { stdout: "deployment.apps/web unchanged (dry run)\n" });
  });

  test("containers merge by name: a sidecar added by someone else stays, one removed from the file goes", async () => {
    await sh.run("kubectl patch deploy web -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"probe\",\"image\":\"busybox\"}]}}}}'");
    expect(deployment().spec.template.spec.containers.map((c) => c.name)).toEqual(["probe", "web"]);
    fs.writeFile("/root/two.yaml", DEPLOY.replace("        env:", "      - name: log\n        image: busybox\n        env:").replace("      - name: web\n        image: nginx:1.27\n        ports: [{ containerPort: 80 }]\n", "      - name: web\n        image: nginx:1.27\n        ports: [{ containerPort: 80 }]\n"));
    await sh.run("kubectl apply -f two.yaml");
    expect(deployment().spec.template.spec.containers.map((c) => c.name)).toEqual(["probe", "web", "log"]);
    fs.writeFile("/root/one.yaml", DEPLOY);
    await sh.run("kubectl apply -f one.yaml");
    expect(deployment().spec.template.spec.containers.map((c) => c.name)).toEqual(["probe", "web"]);
  });

  test("a Deployment's strategy keeps only the keys the file names (retainKeys)", async () => {
    expect(deployment().spec.strategy?.rollingUpdate).toBeDefined();
    fs.writeFile("/root/recreate.yaml", DEPLOY.replace("  replicas: 2\n", "  replicas: 2\n  strategy: { type: Recreate }\n"));
    await expectRun(sh, "kubectl apply -f recreate.yaml", { stdout: "deployment.apps/web configured\n" });
    expect(deployment().spec.strategy).toEqual({ type: "Recreate" });
  });

  test("an object created without the annotation gets a warning, then the annotation", async () => {
    await sh.run("kubectl create configmap plain --from-literal=a=1");
    fs.writeFile("/root/plain.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: \"2\"\n");
    await expectRun(sh, "kubectl apply -f plain.yaml", {
      stdout: "configmap/plain configured\n",
      stderr: "Warning: resource configmaps/plain is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
    });
  });

  test.each([
    ["a YAML mistake with go-yaml's line", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels:\n    a: b\n   c: d\n", "error: error parsing bad.yaml: error converting YAML to JSON: yaml: line 6: did not find expected key\n"],
    ["a tab", "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n", "error: error parsing bad.yaml: error converting YAML to JSON: yaml: line 4: found character that cannot start any token\n"],
    ["no kind", "apiVersion: v1\nmetadata:\n  name: x\n", 'error: error validating "bad.yaml": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false\n'],
    ["an invalid object", "apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  ports: [{ port: 0 }]\n", /^The Service "bad" is invalid: \n\* spec\.ports\[0\]\.port: Invalid value: 0: must be between 1 and 65535, inclusive\n\* spec\.ports\[0\]\.targetPort: /],
  ])("%s", async (_name, text, stderr) => {
    fs.writeFile("/root/bad.yaml", text);
    await expectRun(sh, "kubectl apply -f bad.yaml", { stderr, exitCode: 1 });
  });

  test("here-documents on stdin", async () => {
    await expectRun(sh, "kubectl apply -f - <<EOF\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: heredoc\ndata:\n  k: v\nEOF", { stdout: "configmap/heredoc created\n" });
  });
});
